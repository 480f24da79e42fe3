// Runtime matrix, Node: the bundled core and edge app (compat/.build/core.mjs, edge.mjs, built
// by compat/build_runtime.sh) against the emulator bundle served by node:http.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import * as core from "../.build/core.mjs";
import * as edge from "../.build/edge.mjs";
import { createEmulator } from "../.build/emulator.mjs";
import { runScenarios, SCENARIO_NAMES } from "../runtime/scenarios.mjs";
import { serve } from "./_serve.mjs";

const UPSTREAM_KEY = "runtime-upstream-key";
let server;
let results;

before(async () => {
  const emulator = createEmulator({ apiKeys: [UPSTREAM_KEY] });
  server = await serve((request) => emulator.fetch(request));
  results = await runScenarios({
    core,
    edge,
    endpoint: server.url,
    apiKey: UPSTREAM_KEY,
  });
});

after(async () => {
  await server.close();
});

SCENARIO_NAMES.forEach((name, i) => {
  test(`node ${process.version}: ${name}`, () => {
    const r = results[i];
    assert.equal(r.name, name);
    assert.ok(r.ok, r.error);
  });
});
