// Runtime matrix, Node: the bundled core and edge app (compat/.build/core.mjs, edge.mjs, built
// by compat/build_runtime.sh) against the emulator bundle served by node:http.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import * as core from "../.build/core.mjs";
import * as edge from "../.build/edge.mjs";
import { createEmulator, DEFAULT_DEPLOYMENTS } from "../.build/emulator.mjs";
import { EMULATOR_OPTIONS, runScenarios, SCENARIO_NAMES } from "../runtime/scenarios.mjs";
import {
  createUploadApp,
  EMULATOR_DEPLOYMENTS,
  runStreamUploadScenarios,
  runWireScenarios,
  STREAM_UPLOAD_SCENARIO_NAMES,
  WIRE_SCENARIO_NAMES,
} from "../runtime/stream_upload_scenarios.mjs";
import { serve } from "./_serve.mjs";
import { scenarioTests } from "./_matrix.mjs";

const UPSTREAM_KEY = "runtime-upstream-key";
let server;
let results;
let streamUploadResults;
let wireResults;

before(async () => {
  const emulator = createEmulator({
    ...EMULATOR_OPTIONS,
    apiKeys: [UPSTREAM_KEY],
    deployments: [...DEFAULT_DEPLOYMENTS, ...EMULATOR_DEPLOYMENTS],
  });
  server = await serve((request) => emulator.fetch(request));
  const upstream = { core, edge, endpoint: server.url, apiKey: UPSTREAM_KEY };
  results = await runScenarios(upstream);
  streamUploadResults = await runStreamUploadScenarios(upstream);
  // The edge app behind node:http, so uploads come in as a socket's stream.
  const { app } = createUploadApp(upstream);
  const edgeServer = await serve((request) => app.fetch(request));
  try {
    wireResults = await runWireScenarios({ url: edgeServer.url });
  } finally {
    await edgeServer.close();
  }
});

after(async () => {
  await server.close();
});

scenarioTests(`node ${process.version}`, SCENARIO_NAMES, () => results);
scenarioTests(
  `node ${process.version}`,
  [...STREAM_UPLOAD_SCENARIO_NAMES, ...WIRE_SCENARIO_NAMES],
  () => [...streamUploadResults, ...wireResults],
);

// Node 20 has no `navigator`: the core must still recognise Node and put every call's deadline
// on one shared timer instead of arming and clearing a timer per call.
test(`node ${process.version}: sequential calls share one deadline timer`, async () => {
  const TIMEOUT_MS = 123_457;
  const client = new core.AzureOpenAI({
    endpoint: server.url,
    apiKey: UPSTREAM_KEY,
    timeoutMs: TIMEOUT_MS,
  });
  const call = () => client.embeddings.create({ model: "text-embedding-3-small", input: "timer" });
  await call();
  const original = globalThis.setTimeout;
  let armed = 0;
  globalThis.setTimeout = (fn, ms, ...rest) => {
    if (ms > TIMEOUT_MS - 1_000 && ms <= TIMEOUT_MS) armed++;
    return original(fn, ms, ...rest);
  };
  try {
    for (let i = 0; i < 20; i++) assert.equal((await call()).data.length, 1);
  } finally {
    globalThis.setTimeout = original;
  }
  assert.ok(armed <= 2, `20 calls armed ${armed} deadline timers; expected one shared timer`);
});
