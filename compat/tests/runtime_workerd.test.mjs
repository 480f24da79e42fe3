// Runtime matrix, workerd: compat/runtime/worker.mjs (bundled core + edge app) runs in workerd
// through miniflare and calls the emulator bundle served by node:http on 127.0.0.1.
import { after, before } from "node:test";
import { fileURLToPath } from "node:url";
import { Miniflare } from "miniflare";
import { createEmulator, DEFAULT_DEPLOYMENTS } from "../.build/emulator.mjs";
import { EMULATOR_OPTIONS, SCENARIO_NAMES } from "../runtime/scenarios.mjs";
import {
  EMULATOR_DEPLOYMENTS,
  runWireScenarios,
  STREAM_UPLOAD_SCENARIO_NAMES,
  WIRE_SCENARIO_NAMES,
} from "../runtime/stream_upload_scenarios.mjs";
import { serve } from "./_serve.mjs";
import { ranEveryTest, scenarioTests } from "./_matrix.mjs";

const COMPAT = fileURLToPath(new URL("..", import.meta.url));
const UPSTREAM_KEY = "runtime-upstream-key";
let upstream;
let mf;
let report;
let mfStream;
let streamReport;
let wireResults;

const worker = (script) =>
  new Miniflare({
    modules: true,
    modulesRoot: COMPAT,
    scriptPath: `${COMPAT}runtime/${script}`,
    compatibilityDate: "2026-04-01",
    bindings: { UPSTREAM_ENDPOINT: upstream.url, UPSTREAM_KEY },
  });

before(async () => {
  const emulator = createEmulator({
    ...EMULATOR_OPTIONS,
    apiKeys: [UPSTREAM_KEY],
    deployments: [...DEFAULT_DEPLOYMENTS, ...EMULATOR_DEPLOYMENTS],
  });
  upstream = await serve((request) => emulator.fetch(request));
  mf = worker("worker.mjs");
  const res = await mf.dispatchFetch("http://runtime.test/");
  report = await res.json();
  mfStream = worker("worker_stream_upload.mjs");
  streamReport = await (await mfStream.dispatchFetch("http://runtime.test/run")).json();
  // Uploads over HTTP into the Worker: the app reads workerd's own request body stream.
  wireResults = await runWireScenarios({
    url: "http://runtime.test",
    send: (url, init) => mfStream.dispatchFetch(url, init),
  });
});

after(async () => {
  await mf?.dispose();
  await mfStream?.dispose();
  await upstream?.close();
});

const WORKERD = /Cloudflare-Workers/;
ranEveryTest(
  "workerd: the worker ran every scenario",
  WORKERD,
  () => report,
  SCENARIO_NAMES.length,
);
scenarioTests("workerd", SCENARIO_NAMES, () => report.results);
ranEveryTest(
  "workerd: the stream/upload worker ran every scenario",
  WORKERD,
  () => streamReport,
  STREAM_UPLOAD_SCENARIO_NAMES.length,
);
scenarioTests(
  "workerd",
  [...STREAM_UPLOAD_SCENARIO_NAMES, ...WIRE_SCENARIO_NAMES],
  () => [...streamReport.results, ...wireResults],
);
