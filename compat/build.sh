#!/bin/sh
# Bundles the emulator (web-standard TypeScript) into one ES module Node can import.
set -eu
cd "$(dirname "$0")/.."
mkdir -p compat/.build
npx --yes deno@2.9.6 bundle --platform=browser src/emulator/mod.ts -o compat/.build/emulator.mjs
