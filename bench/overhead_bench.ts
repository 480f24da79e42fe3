/**
 * Request overhead: 1,000 sequential embeddings calls (8 and 1536 dimensions) against a local
 * server that answers precomputed responses from its own thread (a Worker), by:
 * - raw `fetch` + `response.json()` (same URL, headers and body as ours) — the baseline,
 * - ours (`client.embeddings.create`, default client: retry + timeout middleware),
 * - the official `openai` SDK's `AzureOpenAI`.
 *
 * Two groups per size: float JSON on the wire, and base64 on the wire decoded to `number[]`
 * (our default and the SDK's default). Comparing the groups answers whether asking for base64
 * and decoding pays against asking for float. `deno bench` runs each contender's iterations
 * back to back, so on a busy machine prefer `bench/overhead_compare.ts` (interleaved rounds,
 * medians, client CPU time).
 *
 * Run: `deno bench -A bench/overhead_bench.ts`
 *
 * @module
 */
import {
  type Call,
  type Format,
  oursCall,
  rawCall,
  sdkCall,
  verify,
  verifySameRequest,
} from "./overhead_contenders.ts";

const CALLS = 1000;
const DIMS = [8, 1536];

const worker = new Worker(new URL("./overhead_server.ts", import.meta.url), { type: "module" });
const port = await new Promise<number>((resolve) => {
  worker.onmessage = (e: MessageEvent<{ port: number }>) => resolve(e.data.port);
  worker.postMessage({ dims: DIMS });
});
const endpoint = `http://127.0.0.1:${port}`;

await verifySameRequest(endpoint);
const CONTENDERS: Array<[string, (f: Format) => Call]> = [
  ["raw fetch", (f) => rawCall(endpoint, f)],
  ["ours", (f) => oursCall(endpoint, f)],
  ["openai SDK", (f) => sdkCall(endpoint, f)],
];
for (const dims of DIMS) {
  for (const format of ["float", "base64"] as const) {
    for (const [who, make] of CONTENDERS) await verify(`${who} ${format}`, make(format), dims);
  }
}

for (const dims of DIMS) {
  for (const format of ["float", "base64"] as const) {
    const wire = format === "float" ? "float JSON on the wire" : "base64 on the wire, decoded";
    const group = `embeddings ${dims} dims, ${wire}, ${CALLS} calls`;
    for (const [who, make] of CONTENDERS) {
      const call = make(format);
      Deno.bench({
        name: `${who} (${dims}d, ${format})`,
        group,
        baseline: who === "raw fetch",
        n: 10,
        warmup: 2,
        async fn() {
          for (let i = 0; i < CALLS; i++) await call(dims);
        },
      });
    }
  }
}

let stopped = false;
Deno.bench({
  name: "stop the server worker",
  group: "teardown",
  n: 1,
  warmup: 0,
  async fn() {
    // Registered last, so it runs last: shut the worker's server down (once; deno bench always
    // runs one warmup too).
    if (stopped) return;
    stopped = true;
    await new Promise<void>((resolve) => {
      worker.onmessage = () => resolve();
      worker.postMessage("stop");
    });
    worker.terminate();
  },
});
