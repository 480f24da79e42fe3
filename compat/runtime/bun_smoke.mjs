// Runtime matrix, Bun: the bundled core and edge app against the emulator bundle served by
// Bun.serve on 127.0.0.1 (random port). Prints one TAP line per scenario ("ok N - name" or
// "not ok N - name # error") and "1..N"; exits 1 when any scenario failed.
// Run: `npx bun runtime/bun_smoke.mjs` from compat/ (after sh build.sh && sh build_runtime.sh).
import * as core from "../.build/core.mjs";
import * as edge from "../.build/edge.mjs";
import { createEmulator } from "../.build/emulator.mjs";
import { EMULATOR_OPTIONS, runScenarios } from "./scenarios.mjs";
import { printTap } from "./tap.mjs";

const UPSTREAM_KEY = "runtime-upstream-key";
const emulator = createEmulator({ ...EMULATOR_OPTIONS, apiKeys: [UPSTREAM_KEY] });
const server = Bun.serve({
  port: 0,
  hostname: "127.0.0.1",
  fetch: (request) => emulator.fetch(request),
});
let failed = 0;
try {
  const results = await runScenarios({
    core,
    edge,
    endpoint: `http://127.0.0.1:${server.port}`,
    apiKey: UPSTREAM_KEY,
  });
  failed = printTap(results);
} finally {
  server.stop(true);
}
process.exit(failed === 0 ? 0 : 1);
