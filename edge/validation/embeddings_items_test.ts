// checkEmbeddingsBody() / checkTextOrTokens(): each item of `input` is checked against the kind
// its first item sets (strings, token ids or token arrays), from the first item on, with what was
// expected in the message; token id 0 and the dimensions range's ends pass.
import assert from "node:assert/strict";
import { checkEmbeddingsBody } from "./embeddings.ts";

function problem(body: Record<string, unknown>): string | undefined {
  const r = checkEmbeddingsBody(body);
  return r.ok ? undefined : `${r.problem.param}: ${r.problem.message}`;
}

Deno.test("checkEmbeddingsBody() names the item that is not of the first item's kind", () => {
  assert.equal(
    problem({ input: ["a", 5] }),
    "input[1]: Invalid value for 'input[1]': expected a string.",
  );
  assert.equal(
    problem({ input: ["a", [1]] }),
    "input[1]: Invalid value for 'input[1]': expected a string.",
  );
  assert.equal(
    problem({ input: [[1], 5] }),
    "input[1]: Invalid value for 'input[1]': expected an array of token ids.",
  );
  assert.equal(
    problem({ input: [[1], "a"] }),
    "input[1]: Invalid value for 'input[1]': mixes strings and token arrays.",
  );
});

Deno.test("checkEmbeddingsBody() checks the first item too", () => {
  assert.equal(
    problem({ input: ["", "a"] }),
    "input[0]: Invalid value for 'input[0]': expected a non-empty string.",
  );
  assert.equal(
    problem({ input: [[], [1]] }),
    "input[0]: Invalid value for 'input[0]': expected a non-empty token array.",
  );
});

Deno.test("checkEmbeddingsBody() takes token id 0 and dimensions from 1 to 16384", () => {
  for (const input of [[0], [[0]], [[1], [0, 2]]]) {
    assert.equal(problem({ input }), undefined, JSON.stringify(input));
  }
  assert.equal(problem({ input: "a", dimensions: 1 }), undefined);
  assert.equal(problem({ input: "a", dimensions: 16384 }), undefined);
  assert.match(problem({ input: "a", dimensions: 16385 }) ?? "", /^dimensions: /);
});
