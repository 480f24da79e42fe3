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
  /** True when the server runs on CPU 1 and this process on CPU 0. */
  pinned: boolean;
  /** Stops the server and waits for its process to exit. */
  close(): Promise<void>;
}

/**
 * On Linux with 2+ CPUs and `taskset`: pins this process (all its threads) to CPU 0 and returns
 * the command prefix that runs a child on CPU 1; otherwise `undefined` (nothing pinned). Client
 * and server then stop trading places on the cores: identical contenders measured within ~1% of
 * each other pinned, against up to 6% unpinned (bench/README.md).
 */
export async function pinToCpu0(): Promise<string[] | undefined> {
  if (Deno.build.os !== "linux" || navigator.hardwareConcurrency < 2) return undefined;
  try {
    const { success } = await new Deno.Command("taskset", {
      args: ["-a", "-p", "-c", "0", String(Deno.pid)],
      stdout: "null",
      stderr: "null",
    }).output();
    return success ? ["taskset", "-c", "1"] : undefined;
  } catch {
    return undefined; // no taskset
  }
}

/**
 * Starts the bench server for embeddings of `dims` dimensions in its own process, on CPU 1 with
 * this process on CPU 0 where {@link pinToCpu0} can (see {@link BenchServer.pinned}).
 */
export async function startBenchServer(dims: number[]): Promise<BenchServer> {
  const prefix = await pinToCpu0();
  const args = [
    "run",
    "-A",
    new URL("./overhead_server_process.ts", import.meta.url).pathname,
    ...dims.map(String),
  ];
  const server = new Deno.Command(prefix ? prefix[0] : Deno.execPath(), {
    args: prefix ? [...prefix.slice(1), Deno.execPath(), ...args] : args,
    stdin: "piped",
    stdout: "piped",
  }).spawn();
  const reader = server.stdout.pipeThrough(new TextDecoderStream()).getReader();
  const port = Number((await reader.read()).value?.trim());
  return {
    endpoint: `http://127.0.0.1:${port}`,
    pinned: prefix !== undefined,
    async close() {
      await server.stdin.close();
      await reader.cancel();
      await server.status;
    },
  };
}

/** Says where client and server ran, for the bench's header line. */
export function pinning(server: BenchServer): string {
  return server.pinned
    ? "client on CPU 0, server on CPU 1 (taskset)"
    : "not pinned to CPUs (no taskset or one CPU): expect more noise";
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
