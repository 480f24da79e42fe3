import assert from "node:assert/strict";
import { countArgs, oneOrAll } from "./_args.ts";

const USAGE = "usage: x.ts [rounds=60] [calls=100]";

Deno.test("countArgs() gives the defaults for missing arguments and reads given ones", () => {
  assert.deepEqual(countArgs([], [60, 100], USAGE), [60, 100]);
  assert.deepEqual(countArgs(["2"], [60, 100], USAGE), [2, 100]);
  assert.deepEqual(countArgs(["2", "5"], [60, 100], USAGE), [2, 5]);
  assert.deepEqual(countArgs(["0"], [60], USAGE, 0), [0]);
});

Deno.test("countArgs() refuses what is not a count, quoting the argument and the usage", () => {
  // Each of these ran a bench with NaN or a fraction: empty / NaN tables, a late crash, or
  // (sse_memory.ts) a stream that never ended.
  for (const args of [["x"], ["--rounds", "2"], ["2", "1.5"], ["-1"], ["0"], [""], ["1e400"]]) {
    assert.throws(
      () => countArgs(args, [60, 100], USAGE),
      (e: Error) => e.message.includes(USAGE) && e.message.includes("positive integer"),
      `args ${JSON.stringify(args)}`,
    );
  }
  assert.throws(() => countArgs(["x"], [60], USAGE), /'x'/);
  assert.throws(
    () => countArgs(["1", "2"], [60], USAGE),
    /takes one argument at most.*usage: x\.ts/,
  );
  assert.throws(() => countArgs(["1", "2", "3"], [60, 100], USAGE), /takes 2 arguments at most/);
});

Deno.test("oneOrAll() gives every choice when unset and refuses a value that is none", () => {
  const texts = ["mixed", "ascii"] as const;
  assert.deepEqual(oneOrAll("SSE_BENCH_TEXT", undefined, texts), ["mixed", "ascii"]);
  assert.deepEqual(oneOrAll("SSE_BENCH_TEXT", "ascii", texts), ["ascii"]);
  // A typo registered no bench at all and `deno bench` ended "ok" having measured nothing.
  assert.throws(
    () => oneOrAll("SSE_BENCH_TEXT", "ASCII", texts),
    /SSE_BENCH_TEXT='ASCII' is none of mixed, ascii/,
  );
});

/** The benches that read counts, each run with a bad one: it must stop at once, saying why. */
const SCRIPTS: Array<[string, string[]]> = [
  ["bench/middleware_ab.ts", ["x"]],
  ["bench/logger_cost.ts", ["40", "x"]],
  ["bench/stream_e2e_ab.ts", ["x"]],
  ["bench/edge_bench.ts", ["x"]],
  ["bench/hop_cost.ts", ["x"]],
  ["bench/stub_loop.ts", ["", "x"]],
  // "0" (not "--events", which never ended before the fix: this test must fail, not hang).
  ["bench/sse_memory.ts", ["0"]],
  ["bench/upload_memory.ts", ["x"]],
  ["bench/soak.ts", ["x"]],
];

Deno.test("the benches stop with their usage line on a count that is not one", async (t) => {
  const root = new URL("../", import.meta.url);
  for (const [script, args] of SCRIPTS) {
    await t.step(`${script} ${args.join(" ")}`, async () => {
      const { code, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
        args: ["run", "-A", script, ...args],
        cwd: root,
        stdout: "piped",
        stderr: "piped",
        env: { NO_COLOR: "1" },
      }).output();
      const err = new TextDecoder().decode(stderr);
      assert.equal(code, 1, `exit code; stdout:\n${new TextDecoder().decode(stdout)}\n${err}`);
      assert.match(err, /UsageError: .*positive integer.*\n?.*usage: /s);
      assert.equal(new TextDecoder().decode(stdout), "", "nothing measured or printed");
    });
  }
});
