/**
 * What event-loop work costs a real local request: raw fetch + `json()` (8-dim embeddings,
 * float) against the same with extra promise hops (async wrappers), with `text()` +
 * `JSON.parse`, with a signal, and with per-call allocations like the client's. Interleaved
 * rounds of 50 calls, medians, ratios to raw fetch.
 *
 * Run: `deno run -A bench/hop_cost.ts [rounds=100]`
 *
 * @module
 */
import { BENCH_API_VERSION, BENCH_KEY, INPUT } from "./overhead_fixture.ts";
import { interleave, pinning, ratioRows, startBenchServer } from "./_interleave.ts";
import { countArgs } from "./_args.ts";

const [rounds] = countArgs(Deno.args, [100], "usage: deno run -A bench/hop_cost.ts [rounds=100]");
const server = await startBenchServer([8]);
const url =
  `${server.endpoint}/openai/deployments/emb-8/embeddings?api-version=${BENCH_API_VERSION}`;
type Embedding = { data: Array<{ embedding: number[] }> };
const init = (signal?: AbortSignal): RequestInit => ({
  method: "POST",
  headers: { "api-key": BENCH_KEY, accept: "application/json", "content-type": "application/json" },
  body: JSON.stringify({ input: INPUT, encoding_format: "float" }),
  signal,
});
const raw = async () => ((await (await fetch(url, init())).json()) as Embedding).data[0].embedding;
const wrap = <T>(f: () => Promise<T>) => async () => {
  const r = await f();
  return r;
};
let hops5: () => Promise<unknown> = () => fetch(url, init());
for (let i = 0; i < 5; i++) hops5 = wrap(hops5);
const raw5 = async () =>
  ((await ((await hops5()) as Response).json()) as Embedding).data[0].embedding;
const rawText = async () =>
  (JSON.parse(await (await fetch(url, init())).text()) as Embedding).data[0].embedding;
const rawSignal = async () =>
  ((await (await fetch(url, init(new AbortController().signal))).json()) as Embedding).data[0]
    .embedding;
const contenders: Array<[string, () => Promise<unknown>]> = [
  ["raw fetch + json()", raw],
  ["+5 async hops", raw5],
  ["text() + JSON.parse", rawText],
  ["fresh signal", rawSignal],
  ["raw fetch + json() (again)", raw],
];
try {
  for (const [, c] of contenders) for (let i = 0; i < 300; i++) await c();
  const medians = await interleave(contenders.map(([, c]) => c), rounds, 50);
  console.log(`${rounds} rounds; ${pinning(server)}`);
  for (const row of ratioRows(contenders.map(([n]) => n), medians, 3)) console.log(row);
} finally {
  await server.close();
}
