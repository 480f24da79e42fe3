// Runtime matrix, Bun: spawns `bun runtime/bun_smoke.mjs` and `bun runtime/bun_stream_upload.mjs`
// (npm `bun` from compat/node_modules) and turns each of their TAP lines into a node:test test,
// so Bun's results reach the summary.
import { SCENARIO_NAMES } from "../runtime/scenarios.mjs";
import {
  STREAM_UPLOAD_SCENARIO_NAMES,
  WIRE_SCENARIO_NAMES,
} from "../runtime/stream_upload_scenarios.mjs";
import { bunScriptTests } from "./_matrix.mjs";

bunScriptTests([
  ["runtime/bun_smoke.mjs", SCENARIO_NAMES],
  ["runtime/bun_stream_upload.mjs", [...STREAM_UPLOAD_SCENARIO_NAMES, ...WIRE_SCENARIO_NAMES]],
]);
