// Runtime matrix, Bun: spawns `bun tests/_uploads_query_bun.mjs` (npm `bun` from
// compat/node_modules; uploads from a Response, an async generator, toFile() and an fs.ReadStream;
// defaultQuery / query; withOptions({ defaultHeaders })) and turns each of its TAP lines into a
// node:test test, so Bun's results reach the summary.
import { uploadQueryScenarioNames } from "./_uploads_query_scenarios.mjs";
import { bunScriptTests } from "./_matrix.mjs";

bunScriptTests([["tests/_uploads_query_bun.mjs", uploadQueryScenarioNames(true)]]);
