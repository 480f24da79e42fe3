/**
 * Interleaved A/B of this tree's client against another checkout's (e.g. the parent commit in a
 * git worktree), in one process against the bench server in its own process: raw fetch, then
 * each tree's `embeddings.create()` (8 dimensions, float JSON) with the default stack and with
 * retry and timeout off. Rounds of 50 calls per contender, the order flipping every round;
 * medians of the rounds, wall and this process's CPU µs per call, each as a ratio to raw fetch.
 * A change is worth keeping when it wins in several runs: one run's noise here is ±3%.
 *
 * Run:
 * ```sh
 * git worktree add --detach /tmp/base HEAD~1
 * deno run -A bench/ab_trees.ts /tmp/base [rounds=150]
 * git worktree remove --force /tmp/base && git worktree prune
 * ```
 *
 * @module
 */
import process from "node:process";
import { AzureOpenAI } from "../mod.ts";
import { rawCall } from "./overhead_contenders.ts";
import { BENCH_API_VERSION, BENCH_KEY, INPUT } from "./overhead_fixture.ts";

const [otherTree, roundsArg] = Deno.args;
if (!otherTree) throw new Error("pass the other checkout's directory, e.g. /tmp/base");
const rounds = Number(roundsArg ?? 150);
if (!Number.isInteger(rounds) || rounds < 2) throw new Error("rounds must be an integer ≥ 2");
const CALLS = 50;
const other = await import(new URL("mod.ts", `file://${Deno.realPathSync(otherTree)}/`).href);
const Other = other.AzureOpenAI as typeof AzureOpenAI;

const server = new Deno.Command(Deno.execPath(), {
  args: ["run", "-A", new URL("./overhead_server_process.ts", import.meta.url).pathname, "8"],
  stdin: "piped",
  stdout: "piped",
}).spawn();
const reader = server.stdout.pipeThrough(new TextDecoderStream()).getReader();
const port = Number((await reader.read()).value?.trim());
const endpoint = `http://127.0.0.1:${port}`;

const client = (
  Client: typeof AzureOpenAI,
  options: { maxRetries?: number; timeoutMs?: number },
) => {
  const c = new Client({ endpoint, apiKey: BENCH_KEY, apiVersion: BENCH_API_VERSION, ...options });
  return async () =>
    (await c.embeddings.create({ model: "emb-8", input: INPUT, encoding_format: "float" }))
      .data[0].embedding;
};
const raw = rawCall(endpoint, "float");
const bare = { maxRetries: 0, timeoutMs: 0 };
const contenders: Array<[string, () => Promise<number[]>]> = [
  ["raw fetch", () => raw(8)],
  ["other tree, default stack", client(Other, {})],
  ["this tree, default stack", client(AzureOpenAI, {})],
  ["other tree, retry and timeout off", client(Other, bare)],
  ["this tree, retry and timeout off", client(AzureOpenAI, bare)],
];

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
try {
  for (const [name, call] of contenders) {
    if ((await call()).length !== 8) throw new Error(`${name}: wrong vector`);
    for (let i = 0; i < 300; i++) await call();
  }
  const wall = contenders.map((): number[] => []);
  const cpu = contenders.map((): number[] => []);
  for (let r = 0; r < rounds; r++) {
    for (let k = 0; k < contenders.length; k++) {
      const c = r % 2 ? contenders.length - 1 - k : k;
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      for (let i = 0; i < CALLS; i++) await contenders[c][1]();
      wall[c].push((performance.now() - t0) * 1000 / CALLS);
      const used = process.cpuUsage(c0);
      cpu[c].push((used.user + used.system) / CALLS);
    }
  }
  const w0 = median(wall[0]);
  const c0 = median(cpu[0]);
  console.log(`Deno ${Deno.version.deno}; other tree ${otherTree}; ${rounds} rounds; medians\n`);
  console.log("| contender | wall µs/call | vs raw | client CPU µs/call | vs raw |");
  console.log("| --- | ---: | ---: | ---: | ---: |");
  contenders.forEach(([name], c) => {
    const w = median(wall[c]);
    const u = median(cpu[c]);
    console.log(
      `| ${name} | ${w.toFixed(1)} | ${(w / w0).toFixed(3)}× | ${u.toFixed(1)} | ${
        (u / c0).toFixed(3)
      }× |`,
    );
  });
} finally {
  await server.stdin.close();
  await reader.cancel();
  await server.status;
}
