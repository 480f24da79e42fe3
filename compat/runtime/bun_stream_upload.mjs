// Runtime matrix, Bun: stream_upload_scenarios.mjs with the bundled core and edge app against the
// emulator bundle served by Bun.serve, then the over-the-wire uploads to the edge app served by
// Bun.serve (127.0.0.1, random ports). Prints one TAP line per check ("ok N - name" or
// "not ok N - name # error") and "1..N"; exits 1 when any failed.
// Run: `npx bun runtime/bun_stream_upload.mjs` from compat/ (after sh build.sh && sh build_runtime.sh).
import * as core from "../.build/core.mjs";
import * as edge from "../.build/edge.mjs";
import { createEmulator, DEFAULT_DEPLOYMENTS } from "../.build/emulator.mjs";
import {
  createUploadApp,
  EMULATOR_DEPLOYMENTS,
  runStreamUploadScenarios,
  runWireScenarios,
} from "./stream_upload_scenarios.mjs";
import { printTap } from "./tap.mjs";

const UPSTREAM_KEY = "runtime-upstream-key";
const emulator = createEmulator({
  apiKeys: [UPSTREAM_KEY],
  deployments: [...DEFAULT_DEPLOYMENTS, ...EMULATOR_DEPLOYMENTS],
});
const listen = (fetch) => Bun.serve({ port: 0, hostname: "127.0.0.1", fetch });
const server = listen((request) => emulator.fetch(request));
const upstream = {
  core,
  edge,
  endpoint: `http://127.0.0.1:${server.port}`,
  apiKey: UPSTREAM_KEY,
};
const { app } = createUploadApp(upstream);
const edgeServer = listen((request) => app.fetch(request));
let failed = 0;
try {
  const results = [
    ...await runStreamUploadScenarios(upstream),
    ...await runWireScenarios({ url: `http://127.0.0.1:${edgeServer.port}` }),
  ];
  failed = printTap(results);
} finally {
  edgeServer.stop(true);
  server.stop(true);
}
process.exit(failed === 0 ? 0 : 1);
