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
import process from "node:process";
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

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

const rounds = arg("--rounds", 20);
const calls = arg("--calls", 50);
const server = new Deno.Command(Deno.execPath(), {
  args: [
    "run",
    "-A",
    new URL("./overhead_server_process.ts", import.meta.url).pathname,
    ...DIMS.map(String),
  ],
  stdin: "piped",
  stdout: "piped",
}).spawn();
const reader = server.stdout.pipeThrough(new TextDecoderStream()).getReader();
const port = Number((await reader.read()).value?.trim());
const endpoint = `http://127.0.0.1:${port}`;

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
      "medians\n",
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
      const wall = list.map((): number[] => []);
      const cpu = list.map((): number[] => []);
      for (let r = 0; r < rounds; r++) {
        for (let c = 0; c < list.length; c++) {
          const call = list[c][1];
          const c0 = process.cpuUsage();
          const t0 = performance.now();
          for (let i = 0; i < calls; i++) await call(dims);
          wall[c].push(((performance.now() - t0) * 1000) / calls);
          const used = process.cpuUsage(c0);
          cpu[c].push((used.user + used.system) / calls);
        }
      }
      const w0 = median(wall[0]);
      const c0 = median(cpu[0]);
      list.forEach(([name], c) => {
        const w = median(wall[c]);
        const u = median(cpu[c]);
        console.log(
          `| ${dims} | ${format} | ${name} | ${w.toFixed(0)} | ${(w / w0).toFixed(2)}× | ` +
            `${u.toFixed(0)} | ${(u / c0).toFixed(2)}× |`,
        );
      });
    }
  }
} finally {
  await server.stdin.close();
  await reader.cancel();
  await server.status;
}
