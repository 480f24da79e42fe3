/**
 * Per-call JavaScript cost without I/O: `fetch` replaced by a stub that builds the `Request`
 * fetch would (URL, headers, body; not the signal) and answers a ready
 * `Response` (8-dim embeddings, float JSON). Interleaved rounds of sequential calls: raw fetch +
 * `json()`, and `embeddings.create()` of this tree and, given a checkout, of another, with the
 * default stack and with retry and timeout off. Medians of µs per call. A screen for A/B
 * candidates (less noisy than real I/O); `ab_trees.ts` decides.
 *
 * Run: `deno run -A bench/stub_loop.ts [otherTree] [rounds=40]`
 *
 * @module
 */
import { AzureOpenAI } from "../mod.ts";
import { BENCH_API_VERSION, BENCH_KEY, embeddingsBodies, INPUT } from "./overhead_fixture.ts";
import { median } from "./_interleave.ts";
import { countArgs } from "./_args.ts";

const otherTree = Deno.args[0];
const [rounds] = countArgs(
  Deno.args.slice(1),
  [40],
  "usage: deno run -A bench/stub_loop.ts [otherTree] [rounds=40] (otherTree '' for none)",
);
const body = embeddingsBodies(8).float;
globalThis.fetch = ((input: string | Request, init?: RequestInit) => {
  // Without the signal: a dependent signal's WeakRefs are kept until the microtask checkpoint
  // ends, which (no I/O) is never here, so the set would grow all run long.
  new Request(input, init && { ...init, signal: undefined });
  return Promise.resolve(new Response(body, { headers: { "content-type": "application/json" } }));
}) as typeof fetch;

const endpoint = "http://127.0.0.1:9";
const url = `${endpoint}/openai/deployments/emb-8/embeddings?api-version=${BENCH_API_VERSION}`;
const raw = async () => {
  const res = await fetch(url, {
    method: "POST",
    headers: {
      "api-key": BENCH_KEY,
      accept: "application/json",
      "content-type": "application/json",
    },
    body: JSON.stringify({ input: INPUT, encoding_format: "float" }),
  });
  return ((await res.json()) as { data: Array<{ embedding: number[] }> }).data[0].embedding;
};
const make = (Client: typeof AzureOpenAI, options: Record<string, number>) => {
  const c = new Client({ endpoint, apiKey: BENCH_KEY, apiVersion: BENCH_API_VERSION, ...options });
  return async () =>
    (await c.embeddings.create({ model: "emb-8", input: INPUT, encoding_format: "float" }))
      .data[0].embedding;
};
const bare = { maxRetries: 0, timeoutMs: 0 };
const contenders: Array<[string, () => Promise<unknown>]> = [["raw fetch", raw]];
if (otherTree) {
  const other = await import(new URL("mod.ts", `file://${Deno.realPathSync(otherTree)}/`).href);
  contenders.push(
    ["other tree, default", make(other.AzureOpenAI, {})],
    ["other tree, bare", make(other.AzureOpenAI, bare)],
  );
}
contenders.push(["this tree, default", make(AzureOpenAI, {})], [
  "this tree, bare",
  make(AzureOpenAI, bare),
]);
const CALLS = 2000;
const times = contenders.map((): number[] => []);
for (const [, c] of contenders) for (let i = 0; i < 5000; i++) await c();
for (let r = 0; r < rounds; r++) {
  for (let k = 0; k < contenders.length; k++) {
    const c = r % 2 ? contenders.length - 1 - k : k;
    const t0 = performance.now();
    for (let i = 0; i < CALLS; i++) await contenders[c][1]();
    times[c].push((performance.now() - t0) * 1000 / CALLS);
    await new Promise((resolve) => setTimeout(resolve, 0)); // end the microtask checkpoint
  }
}
const base = median(times[0]);
for (const [i, [name]] of contenders.entries()) {
  const m = median(times[i]);
  console.log(`${name.padEnd(22)} ${m.toFixed(2).padStart(7)} µs  +${(m - base).toFixed(2)} µs`);
}
