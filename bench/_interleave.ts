/**
 * Shared parts of the request-overhead benches: the bench server in its own process, and
 * interleaved rounds of sequential calls (the order flips every round, so load drift on a busy
 * machine hits every contender alike) reporting medians per contender.
 *
 * @module
 */
import process from "node:process";

/** The bench server (`overhead_server_process.ts`) running in its own process. */
export interface BenchServer {
  /** `http://127.0.0.1:{port}` */
  endpoint: string;
  /** Stops the server and waits for its process to exit. */
  close(): Promise<void>;
}

/** Starts the bench server for embeddings of `dims` dimensions in its own process. */
export async function startBenchServer(dims: number[]): Promise<BenchServer> {
  const server = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      new URL("./overhead_server_process.ts", import.meta.url).pathname,
      ...dims.map(String),
    ],
    stdin: "piped",
    stdout: "piped",
  }).spawn();
  const reader = server.stdout.pipeThrough(new TextDecoderStream()).getReader();
  const port = Number((await reader.read()).value?.trim());
  return {
    endpoint: `http://127.0.0.1:${port}`,
    async close() {
      await server.stdin.close();
      await reader.cancel();
      await server.status;
    },
  };
}

/** Medians per contender, in the order given: wall and this process's CPU µs per call. */
export interface Medians {
  wall: number[];
  cpu: number[];
}

/** Runs `rounds` rounds of `calls` sequential calls of each contender, interleaved. */
export async function interleave(
  contenders: ReadonlyArray<() => Promise<unknown>>,
  rounds: number,
  calls: number,
): Promise<Medians> {
  const wall = contenders.map((): number[] => []);
  const cpu = contenders.map((): number[] => []);
  for (let r = 0; r < rounds; r++) {
    for (let k = 0; k < contenders.length; k++) {
      const c = r % 2 ? contenders.length - 1 - k : k;
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      for (let i = 0; i < calls; i++) await contenders[c]();
      wall[c].push((performance.now() - t0) * 1000 / calls);
      const used = process.cpuUsage(c0);
      cpu[c].push((used.user + used.system) / calls);
    }
  }
  return { wall: wall.map(median), cpu: cpu.map(median) };
}

/** The median of `xs` (the mean of the middle two for an even count). */
export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Markdown rows `| name | wall | ratio | cpu | ratio |`, ratios to the first contender. */
export function ratioRows(names: string[], { wall, cpu }: Medians, digits = 2): string[] {
  return names.map((name, i) =>
    `| ${name} | ${wall[i].toFixed(digits === 2 ? 0 : 1)} | ${
      (wall[i] / wall[0]).toFixed(digits)
    }× | ${cpu[i].toFixed(digits === 2 ? 0 : 1)} | ${(cpu[i] / cpu[0]).toFixed(digits)}× |`
  );
}
