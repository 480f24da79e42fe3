#!/bin/sh
# Bundles the edge app's Cloudflare Worker (edge/worker.ts) into one ES module for workerd
# (miniflare), and the emulator when the compat build has not made it yet.
set -eu
cd "$(dirname "$0")/../.."
mkdir -p compat/.build
npx --yes deno@2.9.6 bundle --quiet --platform=browser edge/worker.ts -o compat/.build/edge_worker.tmp.mjs
mv compat/.build/edge_worker.tmp.mjs compat/.build/edge_worker.mjs
if [ ! -f compat/.build/emulator.mjs ]; then
  npx --yes deno@2.9.6 bundle --quiet --platform=browser src/emulator/mod.ts -o compat/.build/emulator.tmp.mjs
  mv compat/.build/emulator.tmp.mjs compat/.build/emulator.mjs
fi
