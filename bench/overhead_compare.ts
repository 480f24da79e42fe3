/**
 * Request overhead, robust to a busy machine: the contenders of `overhead_bench.ts` (raw fetch,
 * ours, the `openai` SDK) plus ours with parts of its default pipeline switched off, against
 * the bench server in its own process. 1,000 calls per contender, run as interleaved rounds
 * (default 20 rounds of 50 sequential calls) so load drift hits every contender alike; reports
 * medians of the rounds: wall µs per call and this process's CPU µs per call (the server's CPU
 * is not counted).
 *
 * Run: `deno run -A bench/overhead_compare.ts [--rounds 20] [--calls 50]`
 *
 * @module
 */
import { interleave, pinning, ratioRows, startBenchServer } from "./_interleave.ts";
import {
  type Call,
  type Format,
  oursCall,
  rawCall,
  sdkCall,
  verify,
} from "./overhead_contenders.ts";

const DIMS = [8, 1536];

function arg(name: string, fallback: number): number {
  const i = Deno.args.indexOf(name);
  const n = i >= 0 ? Number(Deno.args[i + 1]) : fallback;
  if (!Number.isInteger(n) || n < 1) throw new Error(`${name} takes a positive integer`);
  return n;
}

const rounds = arg("--rounds", 20);
const calls = arg("--calls", 50);
const server = await startBenchServer(DIMS);
const endpoint = server.endpoint;

const contenders = (f: Format): Array<[string, Call]> => [
  ["raw fetch", rawCall(endpoint, f)],
  ["ours (default: retry + timeout)", oursCall(endpoint, f)],
  ["openai SDK", sdkCall(endpoint, f)],
  ["ours, maxRetries: 0", oursCall(endpoint, f, { maxRetries: 0 })],
  ["ours, timeoutMs: 0", oursCall(endpoint, f, { timeoutMs: 0 })],
  ["ours, maxRetries: 0 + timeoutMs: 0", oursCall(endpoint, f, { maxRetries: 0, timeoutMs: 0 })],
];

try {
  console.log(
    `Deno ${Deno.version.deno}; ${rounds} interleaved rounds × ${calls} calls per contender; ` +
      `medians; ${pinning(server)}\n`,
  );
  console.log("| dims | wire | contender | wall µs/call | vs raw | client CPU µs/call | vs raw |");
  console.log("| ---: | --- | --- | ---: | ---: | ---: | ---: |");
  for (const dims of DIMS) {
    for (const format of ["float", "base64"] as const) {
      const list = contenders(format);
      for (const [name, call] of list) {
        await verify(name, call, dims);
        for (let i = 0; i < 100; i++) await call(dims);
      }
      const medians = await interleave(list.map(([, call]) => () => call(dims)), rounds, calls);
      const rows = ratioRows(list.map(([name]) => name), medians);
      for (const row of rows) console.log(`| ${dims} | ${format} ${row}`);
    }
  }
} finally {
  await server.close();
}
