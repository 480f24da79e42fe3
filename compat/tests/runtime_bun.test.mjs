// Runtime matrix, Bun: spawns `bun runtime/bun_smoke.mjs` and `bun runtime/bun_stream_upload.mjs`
// (npm `bun` from compat/node_modules) and turns each of their TAP lines into a node:test test,
// so Bun's results reach the summary.
import { before, test } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { SCENARIO_NAMES } from "../runtime/scenarios.mjs";
import {
  STREAM_UPLOAD_SCENARIO_NAMES,
  WIRE_SCENARIO_NAMES,
} from "../runtime/stream_upload_scenarios.mjs";

const COMPAT = fileURLToPath(new URL("..", import.meta.url));
const BUN = fileURLToPath(new URL("../node_modules/.bin/bun", import.meta.url));

const SCRIPTS = [
  ["runtime/bun_smoke.mjs", SCENARIO_NAMES],
  ["runtime/bun_stream_upload.mjs", [...STREAM_UPLOAD_SCENARIO_NAMES, ...WIRE_SCENARIO_NAMES]],
];
const runs = new Map();

before(async () => {
  await Promise.all(SCRIPTS.map(async ([script]) => {
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

for (const [script, names] of SCRIPTS) {
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
