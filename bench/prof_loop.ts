/**
 * One contender's sequential embeddings calls (8 dims, float) against the bench server, for a
 * profiler: `deno run -A --v8-flags=--prof bench/prof_loop.ts ours|raw|bare [calls=20000]`, then
 * `node --prof-process isolate-*.log`.
 *
 * @module
 */
import { AzureOpenAI } from "../mod.ts";
import { rawCall } from "./overhead_contenders.ts";
import { BENCH_API_VERSION, BENCH_KEY, INPUT } from "./overhead_fixture.ts";
import { startBenchServer } from "./_interleave.ts";

const [which = "ours", callsArg = "20000"] = Deno.args;
const server = await startBenchServer([8]);
const endpoint = server.endpoint;
const client = (options: { maxRetries?: number; timeoutMs?: number }) => {
  const c = new AzureOpenAI({
    endpoint,
    apiKey: BENCH_KEY,
    apiVersion: BENCH_API_VERSION,
    ...options,
  });
  return async () =>
    (await c.embeddings.create({ model: "emb-8", input: INPUT, encoding_format: "float" }))
      .data[0].embedding;
};
const raw = rawCall(endpoint, "float");
const call = which === "raw"
  ? () => raw(8)
  : which === "bare"
  ? client({ maxRetries: 0, timeoutMs: 0 })
  : client({});
try {
  const t0 = performance.now();
  for (let i = 0; i < Number(callsArg); i++) await call();
  console.log(
    which,
    ((performance.now() - t0) * 1000 / Number(callsArg)).toFixed(1),
    "µs/call",
  );
} finally {
  await server.close();
}
