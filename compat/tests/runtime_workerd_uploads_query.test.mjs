// Runtime matrix, workerd: tests/_uploads_query_worker.mjs (uploads from a fetched Response,
// `new Response(bytes)`, an async generator and toFile(); defaultQuery / query;
// withOptions({ defaultHeaders })) runs the bundled core in workerd through miniflare against the
// emulator bundle served by node:http on 127.0.0.1.
import { after, before } from "node:test";
import { fileURLToPath } from "node:url";
import { Miniflare } from "miniflare";
import { createEmulator } from "../.build/emulator.mjs";
import { createHandler, uploadQueryScenarioNames } from "./_uploads_query_scenarios.mjs";
import { serve } from "./_serve.mjs";
import { ranEveryTest, scenarioTests } from "./_matrix.mjs";

const COMPAT = fileURLToPath(new URL("..", import.meta.url));
const NAMES = uploadQueryScenarioNames(false);
let upstream;
let mf;
let report;

before(async () => {
  upstream = await serve(createHandler(createEmulator));
  mf = new Miniflare({
    modules: true,
    modulesRoot: COMPAT,
    scriptPath: `${COMPAT}tests/_uploads_query_worker.mjs`,
    compatibilityDate: "2026-04-01",
    bindings: { UPSTREAM_ENDPOINT: upstream.url },
  });
  report = await (await mf.dispatchFetch("http://runtime.test/")).json();
});

after(async () => {
  await mf?.dispose();
  await upstream?.close();
});

ranEveryTest(
  "workerd: the worker ran every upload/query scenario",
  /Cloudflare-Workers/,
  () => report,
  NAMES.length,
);
scenarioTests("workerd", NAMES, () => report.results);
