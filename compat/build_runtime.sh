#!/bin/sh
# Bundles what the runtime matrix (Node, Bun, workerd) and the Node benches import:
# the core (mod.ts), the edge app (edge/mod.ts) and the bench fixture, as ES modules for any
# web-standard runtime. Output: compat/.build/{core,edge,bench_fixture}.mjs
set -eu
cd "$(dirname "$0")/.."
mkdir -p compat/.build
npx --yes deno@2.9.6 bundle --platform=browser mod.ts -o compat/.build/core.mjs
npx --yes deno@2.9.6 bundle --platform=browser edge/mod.ts -o compat/.build/edge.mjs
npx --yes deno@2.9.6 bundle --platform=browser bench/overhead_fixture.ts \
  -o compat/.build/bench_fixture.mjs
