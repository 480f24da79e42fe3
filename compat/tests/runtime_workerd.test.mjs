// Runtime matrix, workerd: compat/runtime/worker.mjs (bundled core + edge app) runs in workerd
// through miniflare and calls the emulator bundle served by node:http on 127.0.0.1.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { Miniflare } from "miniflare";
import { createEmulator } from "../.build/emulator.mjs";
import { SCENARIO_NAMES } from "../runtime/scenarios.mjs";
import { serve } from "./_serve.mjs";

const COMPAT = fileURLToPath(new URL("..", import.meta.url));
const UPSTREAM_KEY = "runtime-upstream-key";
let upstream;
let mf;
let report;

before(async () => {
  const emulator = createEmulator({ apiKeys: [UPSTREAM_KEY] });
  upstream = await serve((request) => emulator.fetch(request));
  mf = new Miniflare({
    modules: true,
    modulesRoot: COMPAT,
    scriptPath: `${COMPAT}runtime/worker.mjs`,
    compatibilityDate: "2026-04-01",
    bindings: { UPSTREAM_ENDPOINT: upstream.url, UPSTREAM_KEY },
  });
  const res = await mf.dispatchFetch("http://runtime.test/");
  report = await res.json();
});

after(async () => {
  await mf?.dispose();
  await upstream?.close();
});

test("workerd: the worker ran every scenario", () => {
  assert.match(report.userAgent, /Cloudflare-Workers/);
  assert.equal(report.results.length, SCENARIO_NAMES.length);
});

SCENARIO_NAMES.forEach((name, i) => {
  test(`workerd: ${name}`, () => {
    const r = report.results[i];
    assert.equal(r.name, name);
    assert.ok(r.ok, r.error);
  });
});
