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
import { AzureOpenAI } from "../mod.ts";
import { rawCall } from "./overhead_contenders.ts";
import { BENCH_API_VERSION, BENCH_KEY, INPUT } from "./overhead_fixture.ts";
import { interleave, pinning, ratioRows, startBenchServer } from "./_interleave.ts";

const [otherTree, roundsArg] = Deno.args;
if (!otherTree) throw new Error("pass the other checkout's directory, e.g. /tmp/base");
const rounds = Number(roundsArg ?? 150);
if (!Number.isInteger(rounds) || rounds < 2) throw new Error("rounds must be an integer ≥ 2");
const CALLS = 50;
const other = await import(new URL("mod.ts", `file://${Deno.realPathSync(otherTree)}/`).href);
const Other = other.AzureOpenAI as typeof AzureOpenAI;

const server = await startBenchServer([8]);
const endpoint = server.endpoint;

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

try {
  for (const [name, call] of contenders) {
    if ((await call()).length !== 8) throw new Error(`${name}: wrong vector`);
    for (let i = 0; i < 300; i++) await call();
  }
  const medians = await interleave(contenders.map(([, call]) => call), rounds, CALLS);
  console.log(
    `Deno ${Deno.version.deno}; other tree ${otherTree}; ${rounds} rounds; medians; ${
      pinning(server)
    }\n`,
  );
  console.log("| contender | wall µs/call | vs raw | client CPU µs/call | vs raw |");
  console.log("| --- | ---: | ---: | ---: | ---: |");
  for (const row of ratioRows(contenders.map(([name]) => name), medians, 3)) console.log(row);
} finally {
  await server.close();
}
