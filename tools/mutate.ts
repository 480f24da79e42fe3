/**
 * Mutation testing for this repo: applies each mutant of one source file (see `mutants.ts`) to a
 * copy of the working tree, runs the given tests there, and lists the mutants no test noticed
 * ("survivors"): a check no test pins, or code that does nothing.
 *
 * Run (from the repo root):
 * - `deno run -A tools/mutate.ts src/middleware/retry.ts --tests src/middleware/retry_test.ts`
 * - `--lines 40-90` only mutants on those lines; `--kinds "drop|if"` only kinds matching a regex
 * - `--jobs 2` two copies at once; `--timeout 60` seconds per run (default: 5× the unmutated
 *   run, at least 20 s: a mutant that loops for ever counts as killed once it runs out);
 *   `--json out.json` writes every result; `--survivors-of out.json` runs only that report's
 *   survivors (e.g. again with more tests, or after adding tests; the source must be unchanged)
 * - `--list` prints the mutants without running anything
 *
 * A mutant that makes the tests fail, crash or time out is "killed". The working tree itself is
 * never modified: copies live under a temporary directory removed at the end, or when the run is
 * stopped (SIGINT / SIGTERM: its test runs are killed and `--json` gets the results so far).
 *
 * @module
 */
import { applyMutant, type Mutant, mutantsOf } from "./mutants.ts";

interface Args {
  file: string;
  tests: string[];
  lines?: [number, number];
  kinds?: RegExp;
  jobs: number;
  /** Seconds per run; default: 5× the unmutated run, at least 20 s. */
  timeoutS?: number;
  json?: string;
  /** A `--json` report whose survivors are the only mutants to run. */
  survivorsOf?: string;
  list: boolean;
}

function parseArgs(argv: string[]): Args {
  const args: Args = { file: "", tests: [], jobs: 1, list: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    if (a === "--tests") {
      while (argv[i + 1] !== undefined && !argv[i + 1].startsWith("--")) args.tests.push(argv[++i]);
    } else if (a === "--lines") {
      const m = /^(\d+)-(\d+)$/.exec(value());
      if (!m) throw new Error("--lines takes FROM-TO, e.g. 40-90");
      args.lines = [Number(m[1]), Number(m[2])];
    } else if (a === "--kinds") args.kinds = new RegExp(value());
    else if (a === "--jobs") args.jobs = Math.max(1, Number(value()) | 0);
    else if (a === "--timeout") args.timeoutS = Number(value());
    else if (a === "--json") args.json = value();
    else if (a === "--survivors-of") args.survivorsOf = value();
    else if (a === "--list") args.list = true;
    else if (!a.startsWith("--") && !args.file) args.file = a;
    else throw new Error(`unknown argument ${a}`);
  }
  if (!args.file) throw new Error("name the source file to mutate, e.g. src/middleware/retry.ts");
  if (!args.list && !args.tests.length) {
    throw new Error("name the tests that cover it: --tests <file or folder> ...");
  }
  if (args.timeoutS !== undefined && !(args.timeoutS > 0)) {
    throw new Error("--timeout takes seconds > 0");
  }
  return args;
}

/** Copies the working tree (tracked and untracked, not ignored files) into `dest`. */
async function copyTree(dest: string): Promise<void> {
  await Deno.mkdir(dest, { recursive: true });
  const sh = "git ls-files -z -co --exclude-standard | tar --null -T - -cf - | tar -xf - -C " +
    JSON.stringify(dest);
  const { success, stderr } = await new Deno.Command("sh", { args: ["-c", sh], stderr: "piped" })
    .output();
  if (!success) throw new Error(`copying the tree failed: ${new TextDecoder().decode(stderr)}`);
}

type Outcome = "killed" | "survived" | "timeout";

/** Test runs under way: a stopped run (Ctrl-C, `kill`) ends them with it. */
const running = new Set<Deno.ChildProcess>();
const SIGNALS = ["SIGINT", "SIGTERM"] as const;

/** Runs the tests in `dir`; `killed` when they fail. */
async function runTests(dir: string, tests: string[], timeoutS: number): Promise<Outcome> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["test", "-A", "--no-check", "--fail-fast", ...tests],
    cwd: dir,
    env: { NO_COLOR: "1", DENO_NO_UPDATE_CHECK: "1" },
    stdout: "null",
    stderr: "null",
  }).spawn();
  running.add(child);
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    try {
      child.kill("SIGKILL");
    } catch { /* already gone */ }
  }, timeoutS * 1000);
  const { success } = await child.status;
  running.delete(child);
  clearTimeout(timer);
  return timedOut ? "timeout" : success ? "survived" : "killed";
}

interface Result extends Mutant {
  outcome: Outcome;
  /** The mutated line, for the report. */
  text: string;
}

async function main() {
  const args = parseArgs(Deno.args);
  const source = await Deno.readTextFile(args.file);
  const lines = source.split("\n");
  let mutants = mutantsOf(source, args.file);
  if (args.lines) {
    const [from, to] = args.lines;
    mutants = mutants.filter((m) => m.line >= from && m.line <= to);
  }
  if (args.kinds) mutants = mutants.filter((m) => args.kinds!.test(m.kind));
  if (args.survivorsOf) {
    const before: Result[] = JSON.parse(await Deno.readTextFile(args.survivorsOf));
    const left = new Set(
      before.filter((r) => r.outcome === "survived").map((r) => `${r.start}:${r.end}:${r.to}`),
    );
    mutants = mutants.filter((m) => left.has(`${m.start}:${m.end}:${m.to}`));
  }
  const show = (m: Mutant) =>
    `${args.file}:${m.line}:${m.column} ${m.kind}  ${lines[m.line - 1].trim()}`;
  if (args.list) {
    for (const m of mutants) console.log(show(m));
    console.log(`${mutants.length} mutants`);
    return;
  }

  const root = await Deno.makeTempDir({ prefix: "mutate-" });
  let listening: (() => void) | undefined;
  try {
    // Tests read the reference material beside the repo (../shared): the copies see it too.
    const shared = await Deno.realPath("../shared").catch(() => undefined);
    if (shared) await Deno.symlink(shared, `${root}/shared`);
    const copies = await Promise.all(
      Array.from({ length: args.jobs }, async (_, j) => {
        const dir = `${root}/copy${j}`;
        await copyTree(dir);
        return dir;
      }),
    );
    const started = performance.now();
    if (await runTests(copies[0], args.tests, args.timeoutS ?? 600) !== "survived") {
      throw new Error(`the tests fail (or time out) without any mutant: fix them first`);
    }
    const baselineS = (performance.now() - started) / 1000;
    const timeoutS = args.timeoutS ?? Math.max(20, 5 * baselineS);
    console.error(
      `baseline: tests pass in ${baselineS.toFixed(1)} s (timeout ${timeoutS.toFixed(0)} s); ` +
        `${mutants.length} mutants`,
    );

    const results: Result[] = [];
    // Stopped by a signal: the test runs end, the copies go, and --json gets what was measured.
    const stop = () => {
      for (const child of running) {
        try {
          child.kill("SIGKILL");
        } catch { /* already gone */ }
      }
      Deno.removeSync(root, { recursive: true });
      if (args.json) Deno.writeTextFileSync(args.json, JSON.stringify(results, null, 2) + "\n");
      console.error(`stopped after ${results.length} of ${mutants.length} mutants`);
      Deno.exit(130);
    };
    for (const signal of SIGNALS) Deno.addSignalListener(signal, stop);
    listening = stop;
    let next = 0;
    await Promise.all(copies.map(async (dir) => {
      const target = `${dir}/${args.file}`;
      while (next < mutants.length) {
        const m = mutants[next++];
        await Deno.writeTextFile(target, applyMutant(source, m));
        const outcome = await runTests(dir, args.tests, timeoutS);
        await Deno.writeTextFile(target, source);
        results.push({ ...m, outcome, text: lines[m.line - 1].trim() });
        console.error(`[${results.length}/${mutants.length}] ${outcome.padEnd(8)} ${show(m)}`);
      }
    }));
    results.sort((a, b) => a.start - b.start);

    const count = (o: Outcome) => results.filter((r) => r.outcome === o).length;
    const survivors = results.filter((r) => r.outcome === "survived");
    console.log(`\nsurvivors (${survivors.length}):`);
    for (const r of survivors) console.log(`  ${show(r)}   [${r.from} → ${r.to || "(removed)"}]`);
    const score = results.length
      ? (100 * (results.length - survivors.length)) / results.length
      : 100;
    console.log(
      `\n${args.file}: ${results.length} mutants, ${count("killed")} killed, ` +
        `${count("timeout")} timed out, ${survivors.length} survived (score ${score.toFixed(1)}%)`,
    );
    if (args.json) await Deno.writeTextFile(args.json, JSON.stringify(results, null, 2) + "\n");
  } finally {
    for (const signal of SIGNALS) if (listening) Deno.removeSignalListener(signal, listening);
    await Deno.remove(root, { recursive: true }).catch(() => {});
  }
}

if (import.meta.main) {
  try {
    await main();
  } catch (e) {
    console.error(`mutate: ${e instanceof Error ? e.message : e}`);
    Deno.exit(2);
  }
}
