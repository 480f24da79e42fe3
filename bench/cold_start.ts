/**
 * Cold start in Deno: spawns fresh `deno run` processes that import a client and make one
 * embeddings call to a local server, N times each (default 10), and reports medians of:
 * - wall: spawn to exit, as the parent sees it,
 * - import: the child's dynamic `import()` of the client module,
 * - first request: constructing the client and the first call, to the parsed response.
 *
 * Contenders: raw fetch (no import; the floor), ours (`mod.ts`), the `openai` SDK. Each child
 * runs once unmeasured first, so Deno's module cache is warm (as after a deploy).
 *
 * Run: `deno run -A bench/cold_start.ts [--runs 10]`
 *
 * @module
 */
import { BENCH_KEY, deploymentFor, embeddingsBodies } from "./overhead_fixture.ts";

const ROOT = new URL("../", import.meta.url).pathname;

interface ChildTimes {
  importMs: number;
  requestMs: number;
  totalMs: number;
}

interface Row {
  name: string;
  wall: number;
  importMs: number;
  requestMs: number;
}

const CONTENDERS: Array<[string, string]> = [
  ["raw fetch (no import)", "bench/cold_start/raw_child.ts"],
  ["@aoai/edge (mod.ts)", "bench/cold_start/ours_child.ts"],
  ["openai 6.49.0 AzureOpenAI", "bench/cold_start/openai_child.ts"],
];

/** The median of a non-empty list. */
function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

async function runChild(script: string, endpoint: string): Promise<ChildTimes & { wall: number }> {
  const start = performance.now();
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", script, endpoint, BENCH_KEY, deploymentFor(8)],
    cwd: ROOT,
    stdout: "piped",
    stderr: "piped",
    env: { NO_COLOR: "1", DENO_NO_UPDATE_CHECK: "1" },
  }).output();
  const wall = performance.now() - start;
  const text = new TextDecoder().decode(out.stdout).trim();
  if (out.code !== 0) {
    throw new Error(
      `${script} exited ${out.code}; run it by hand to see why:\n` +
        new TextDecoder().decode(out.stderr),
    );
  }
  const times = JSON.parse(text.split("\n").at(-1) ?? "") as ChildTimes;
  return { ...times, wall };
}

async function main(args: string[]): Promise<void> {
  const i = args.indexOf("--runs");
  const runs = i >= 0 ? Number(args[i + 1]) : 10;
  if (!Number.isInteger(runs) || runs < 1) throw new Error("--runs takes a positive integer");
  const { float, base64 } = embeddingsBodies(8);
  await using server = Deno.serve(
    { port: 0, hostname: "127.0.0.1", onListen() {} },
    async (req) => {
      const text = await req.text();
      return new Response(text.includes('"encoding_format":"base64"') ? base64 : float, {
        headers: { "content-type": "application/json" },
      });
    },
  );
  const endpoint = `http://127.0.0.1:${server.addr.port}`;
  const rows: Row[] = [];
  for (const [name, script] of CONTENDERS) {
    await runChild(script, endpoint); // warm the module cache
    const samples = [];
    for (let r = 0; r < runs; r++) samples.push(await runChild(script, endpoint));
    rows.push({
      name,
      wall: median(samples.map((s) => s.wall)),
      importMs: median(samples.map((s) => s.importMs)),
      requestMs: median(samples.map((s) => s.requestMs)),
    });
  }
  const floor = rows[0].wall;
  console.log(`Deno ${Deno.version.deno}, median of ${runs} fresh processes each\n`);
  console.log("| contender | wall (spawn→exit) | import | first request | wall vs raw |");
  console.log("| --- | ---: | ---: | ---: | ---: |");
  for (const r of rows) {
    console.log(
      `| ${r.name} | ${r.wall.toFixed(1)} ms | ${r.importMs.toFixed(1)} ms | ` +
        `${r.requestMs.toFixed(1)} ms | ${(r.wall / floor).toFixed(2)}× |`,
    );
  }
  await Deno.mkdir(`${ROOT}.tmp`, { recursive: true });
  await Deno.writeTextFile(`${ROOT}.tmp/cold_start.json`, JSON.stringify(rows, null, 2) + "\n");
}

if (import.meta.main) await main(Deno.args);
