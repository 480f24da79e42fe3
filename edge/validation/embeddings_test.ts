import assert from "node:assert/strict";
import { checkEmbeddingsBody, checkTextOrTokens } from "./embeddings.ts";

function param(body: Record<string, unknown>): string | null | undefined {
  const r = checkEmbeddingsBody(body);
  return r.ok ? undefined : r.problem.param;
}

Deno.test("checkEmbeddingsBody() accepts strings, string arrays, token ids and token arrays", () => {
  for (const input of ["a", ["a", "b"], [1, 2, 3], [[1, 2], [3]]]) {
    assert.ok(checkEmbeddingsBody({ input }).ok, JSON.stringify(input));
  }
  assert.ok(checkEmbeddingsBody({ input: "a", dimensions: 256, encoding_format: "base64" }).ok);
  assert.ok(checkEmbeddingsBody({ input: Array(2048).fill("x") }).ok);
});

Deno.test("checkEmbeddingsBody() names the input item at fault", () => {
  assert.equal(param({}), "input");
  assert.equal(param({ input: "" }), "input");
  assert.equal(param({ input: [] }), "input");
  assert.equal(param({ input: ["a", 3] }), "input[1]");
  assert.equal(param({ input: ["a", ""] }), "input[1]");
  assert.equal(param({ input: [1, -2] }), "input[1]");
  assert.equal(param({ input: [[1], [2, "x"]] }), "input[1][1]");
  assert.equal(param({ input: [[1], []] }), "input[1]");
  assert.equal(param({ input: { text: "a" } }), "input");
  assert.equal(param({ input: "a", dimensions: 0 }), "dimensions");
  assert.equal(param({ input: "a", encoding_format: "binary" }), "encoding_format");
  assert.equal(param({ input: "a", model: 3 }), "model");
});

Deno.test("checkEmbeddingsBody() refuses more than 2048 inputs and says to batch", () => {
  const r = checkEmbeddingsBody({ input: Array(2049).fill("x") });
  assert.ok(!r.ok);
  assert.equal(r.problem.param, "input");
  assert.match(r.problem.message, /2049.*2048.*batches/);
});

Deno.test("checkTextOrTokens() allows empty strings when told to (completions prompt)", () => {
  assert.equal(checkTextOrTokens("", "prompt", { allowEmpty: true, max: 10 }), undefined);
  assert.equal(checkTextOrTokens(["", "a"], "prompt", { allowEmpty: true, max: 10 }), undefined);
  assert.equal(
    checkTextOrTokens(null, "prompt", { allowEmpty: true, max: 10 })?.code,
    "missing_required_parameter",
  );
});
