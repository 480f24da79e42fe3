// Runtime matrix, workerd: tests/_uploads_query_worker.mjs (uploads from a fetched Response,
// `new Response(bytes)`, an async generator and toFile(); defaultQuery / query;
// withOptions({ defaultHeaders })) runs the bundled core in workerd through miniflare against the
// emulator bundle served by node:http on 127.0.0.1.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { Miniflare } from "miniflare";
import { createEmulator } from "../.build/emulator.mjs";
import { createHandler, uploadQueryScenarioNames } from "./_uploads_query_scenarios.mjs";
import { serve } from "./_serve.mjs";

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

test("workerd: the worker ran every upload/query scenario", () => {
  assert.match(report.userAgent, /Cloudflare-Workers/);
  assert.equal(report.results.length, NAMES.length);
});

NAMES.forEach((name, i) => {
  test(`workerd: ${name}`, () => {
    const r = report.results[i];
    assert.equal(r.name, name);
    assert.ok(r.ok, r.error);
  });
});
