/**
 * What handing fetch an AbortSignal costs per call in this runtime: 100 sequential small POSTs to a
 * local `Deno.serve` with no signal, with a new AbortController's signal per call (what `timeout()`
 * hands fetch) and with one shared signal, interleaved in rounds (the first 4 rounds are warm-up),
 * medians of the per-round times as ratios to no signal.
 *
 * Run: `deno run -A bench/fetch_signal_cost.ts [rounds=40]`
 *
 * @module
 */
import { countArgs } from "./_args.ts";

const [ROUNDS] = countArgs(
  Deno.args,
  [40],
  "usage: deno run -A bench/fetch_signal_cost.ts [rounds=40]",
  5,
);
const REPLY = JSON.stringify({
  object: "list",
  data: [{ object: "embedding", index: 0, embedding: [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8] }],
  model: "m",
  usage: { prompt_tokens: 1, total_tokens: 1 },
});
const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, async (req) => {
  await req.arrayBuffer();
  return new Response(REPLY, { headers: { "content-type": "application/json" } });
});
const url = `http://127.0.0.1:${server.addr.port}/embeddings`;
const shared = new AbortController().signal;
const init = (): RequestInit => ({
  method: "POST",
  headers: { "content-type": "application/json", "api-key": "bench-key" },
  body: '{"input":"hi"}',
});
const modes: Record<string, () => Promise<unknown>> = {
  none: async () => (await fetch(url, init())).json(),
  fresh: async () => (await fetch(url, { ...init(), signal: new AbortController().signal })).json(),
  shared: async () => (await fetch(url, { ...init(), signal: shared })).json(),
};
const times: Record<string, number[]> = { none: [], fresh: [], shared: [] };
for (let round = 0; round < ROUNDS; round++) {
  for (const name of round % 2 ? ["none", "fresh", "shared"] : ["shared", "fresh", "none"]) {
    const start = performance.now();
    for (let i = 0; i < 100; i++) await modes[name]();
    if (round >= 4) times[name].push(performance.now() - start);
  }
}
const median = (a: number[]) => a.slice().sort((x, y) => x - y)[a.length >> 1];
console.log(`Deno ${Deno.version.deno}, ${ROUNDS - 4} rounds × 100 calls each way, medians`);
console.log(`no signal: ${(median(times.none) * 10).toFixed(1)} µs/call`);
for (const name of ["fresh", "shared"]) {
  console.log(`${name} signal vs none: ${(median(times[name]) / median(times.none)).toFixed(3)}×`);
}
await server.shutdown();
