// The runtime matrix's results as node:test tests: one test per scenario of a results list, a
// test that a runtime's report holds every scenario, and Bun scripts that print their results as
// TAP lines, spawned (npm `bun` from compat/node_modules) with one test per line.
import { before, test } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";

const COMPAT = fileURLToPath(new URL("..", import.meta.url));
const BUN = fileURLToPath(new URL("../node_modules/.bin/bun", import.meta.url));

/**
 * One test per name, `<runtime>: <name>`: the i-th of `results()` (read when the test runs) is
 * that scenario and passed.
 * @param {string} runtime
 * @param {string[]} names
 * @param {() => { name: string, ok: boolean, error?: string }[]} results
 */
export function scenarioTests(runtime, names, results) {
  names.forEach((name, i) => {
    test(`${runtime}: ${name}`, () => {
      const r = results()[i];
      assert.equal(r.name, name);
      assert.ok(r.ok, r.error);
    });
  });
}

/**
 * A test named `title`: `report()` (read when the test runs) comes from a runtime whose user
 * agent matches `agent` and holds `count` results.
 */
export function ranEveryTest(title, agent, report, count) {
  test(title, () => {
    assert.match(report().userAgent, agent);
    assert.equal(report().results.length, count);
  });
}

/**
 * Spawns each `[script, names]` with bun from compat/ (all at once, before the tests): a test
 * that it printed `1..<names.length>` and exited 0, then one test per name, `bun: <name>`, that
 * its TAP line is `ok`.
 * @param {[string, string[]][]} scripts
 */
export function bunScriptTests(scripts) {
  const runs = new Map();
  before(async () => {
    await Promise.all(scripts.map(async ([script]) => {
      runs.set(
        script,
        await new Promise((resolve) => {
          execFile(
            BUN,
            [script],
            { cwd: COMPAT, timeout: 120_000 },
            (error, stdout, stderr) => resolve({ error, stdout, stderr }),
          );
        }),
      );
    }));
  });

  for (const [script, names] of scripts) {
    test(`bun: ${script} ran every scenario and exited 0`, () => {
      const run = runs.get(script);
      assert.ok(
        !run.error || run.error.code !== "ENOENT",
        "bun is not installed: run `npm ci` in compat/",
      );
      assert.match(run.stdout, new RegExp(`^1\\.\\.${names.length}$`, "m"), run.stderr);
      assert.equal(run.error, null, `bun exited non-zero:\n${run.stdout}\n${run.stderr}`);
    });

    names.forEach((name, i) => {
      test(`bun: ${name}`, () => {
        const run = runs.get(script);
        const line = run.stdout.split("\n").find((l) =>
          / \d+ - /.test(l) && l.includes(` ${i + 1} - `)
        );
        assert.ok(line, `no TAP line for scenario ${i + 1}:\n${run.stdout}\n${run.stderr}`);
        assert.ok(line.startsWith(`ok ${i + 1} - ${name}`), line);
      });
    });
  }
}
