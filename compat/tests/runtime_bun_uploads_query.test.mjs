// Runtime matrix, Bun: spawns `bun tests/_uploads_query_bun.mjs` (npm `bun` from
// compat/node_modules; uploads from a Response, an async generator, toFile() and an fs.ReadStream;
// defaultQuery / query; withOptions({ defaultHeaders })) and turns each of its TAP lines into a
// node:test test, so Bun's results reach the summary.
import { before, test } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { uploadQueryScenarioNames } from "./_uploads_query_scenarios.mjs";

const COMPAT = fileURLToPath(new URL("..", import.meta.url));
const BUN = fileURLToPath(new URL("../node_modules/.bin/bun", import.meta.url));
const NAMES = uploadQueryScenarioNames(true);
let run;

before(async () => {
  run = await new Promise((resolve) => {
    execFile(
      BUN,
      ["tests/_uploads_query_bun.mjs"],
      { cwd: COMPAT, timeout: 60_000 },
      (error, stdout, stderr) => resolve({ error, stdout, stderr }),
    );
  });
});

test("bun: tests/_uploads_query_bun.mjs ran every scenario and exited 0", () => {
  assert.ok(
    !run.error || run.error.code !== "ENOENT",
    "bun is not installed: run `npm ci` in compat/",
  );
  assert.match(run.stdout, new RegExp(`^1\\.\\.${NAMES.length}$`, "m"), run.stderr);
  assert.equal(run.error, null, `bun exited non-zero:\n${run.stdout}\n${run.stderr}`);
});

NAMES.forEach((name, i) => {
  test(`bun: ${name}`, () => {
    const line = run.stdout.split("\n").find((l) =>
      / \d+ - /.test(l) && l.includes(` ${i + 1} - `)
    );
    assert.ok(line, `no TAP line for scenario ${i + 1}:\n${run.stdout}\n${run.stderr}`);
    assert.ok(line.startsWith(`ok ${i + 1} - ${name}`), line);
  });
});
