// formatPath(): a JSON path for `param` and messages; a key that is no plain name (a logit_bias
// key is the client's text) as a short quote with markup characters replaced.
import assert from "node:assert/strict";
import { formatPath } from "./_issues.ts";

Deno.test("formatPath() joins names with dots and indexes in brackets; none is null", () => {
  assert.equal(formatPath(["messages", 0, "content", 2, "type"]), "messages[0].content[2].type");
  assert.equal(formatPath([3, "a-b_c"]), "[3].a-b_c");
  assert.equal(formatPath([]), null);
});

Deno.test("formatPath() quotes a key that is no plain name, 16 characters at most, tamed", () => {
  assert.equal(
    formatPath(["logit_bias", "<img src=x onerror=alert(1)>"]),
    'logit_bias["?img src=x onerr…"]',
  );
  assert.equal(formatPath(["logit_bias", "50256"]), "logit_bias.50256");
  assert.equal(formatPath(["a", "x".repeat(65)]), `a["${"x".repeat(16)}…"]`);
  assert.equal(formatPath(["a", "x".repeat(64)]), `a.${"x".repeat(64)}`);
  assert.equal(formatPath(["a", ""]), 'a[""]');
});
