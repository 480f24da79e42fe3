#!/bin/sh
# Builds the emulator bundle and runs the Node compatibility tests (official openai SDK).
set -eu
cd "$(dirname "$0")"
if [ ! -d node_modules/openai ] || [ ! -d node_modules/zod ]; then
  npm ci --no-audit --no-fund
fi
sh ./build.sh
sh ./build_runtime.sh
node --test tests/
