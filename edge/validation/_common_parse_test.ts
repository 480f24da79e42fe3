// parseJsonObject(): a JSON object body or the problem with it (not JSON, with the parse's
// position only; not an object; a key given twice with two values), and the text of a `seed` past
// 2^53 kept for seedProblem(), which checkChatBody() / checkCompletionsBody() ask.
import assert from "node:assert/strict";
import { parseJsonObject } from "./_common.ts";
import { checkChatBody } from "./chat.ts";
import { checkCompletionsBody } from "./completions.ts";

const bytes = (text: string) => new TextEncoder().encode(text);
const MESSAGES = '"messages":[{"role":"user","content":"hi"}]';

Deno.test("parseJsonObject() gives the object it parsed", () => {
  const parsed = parseJsonObject(bytes(`{${MESSAGES},"n":2}`));
  assert.deepEqual(parsed, {
    ok: true,
    value: { messages: [{ role: "user", content: "hi" }], n: 2 },
  });
});

Deno.test("parseJsonObject() names the parse's position of a fault, and only it", () => {
  const at = parseJsonObject(bytes('{"messages" 1}'));
  assert.deepEqual(at, {
    ok: false,
    code: "invalid_json",
    param: null,
    message: "The request body is not valid JSON (error at position 12); " +
      "send a JSON object with content-type: application/json.",
  });
  // V8 gives no position for a text that ends too soon.
  for (const text of ["", '{"messages":']) {
    const end = parseJsonObject(bytes(text));
    assert.equal(end.ok, false);
    assert.equal(
      end.ok ? undefined : end.message,
      "The request body is not valid JSON; send a JSON object with content-type: application/json.",
      text,
    );
  }
});

Deno.test("parseJsonObject() refuses JSON that is no object", () => {
  for (const text of ["1", "null", "[1]", "[]", '"{}"', "true"]) {
    assert.deepEqual(parseJsonObject(bytes(text)), {
      ok: false,
      code: "invalid_json",
      param: null,
      message: "The request body must be a JSON object.",
    }, text);
  }
});

Deno.test("parseJsonObject() refuses a key given twice with two values, naming its path", () => {
  const parsed = parseJsonObject(bytes(`{${MESSAGES},"stream_options":{"a":1,"a":2}}`));
  assert.equal(parsed.ok, false);
  assert.equal(parsed.ok ? undefined : parsed.code, "duplicate_key");
  assert.equal(parsed.ok ? undefined : parsed.param, "stream_options.a");
  assert.match(parsed.ok ? "" : parsed.message, /"stream_options\.a" more than once/);
});

/** The problem checkChatBody() and checkCompletionsBody() find with a body parsed from `text`. */
function seedProblems(text: string): (string | null | undefined)[] {
  return [`{${MESSAGES},${text}}`, `{"prompt":"x",${text}}`].map((body, i) => {
    const parsed = parseJsonObject(bytes(body));
    assert.ok(parsed.ok, body);
    const r = (i === 0 ? checkChatBody : checkCompletionsBody)(parsed.value);
    return r.ok ? undefined : `${r.problem.param} ${r.problem.code}`;
  });
}

Deno.test("a parsed body's seed is checked as written: int64 digits pass, all else is refused", () => {
  for (
    const seed of ["9223372036854775807", "-9223372036854775808", "9007199254740993", "42"]
  ) {
    assert.deepEqual(seedProblems(`"seed":${seed}`), [undefined, undefined], seed);
    // After other members too, and before them: the seed's own text is the one read.
    assert.deepEqual(seedProblems(`"seed":${seed},"user":"u"`), [undefined, undefined], seed);
  }
  for (
    const seed of [
      "9223372036854775808",
      "-9223372036854775809",
      "9223372036854775807.5",
      "1e19",
      "-1e19",
      "99999999999999999999",
    ]
  ) {
    assert.deepEqual(
      seedProblems(`"seed":${seed}`),
      ["seed invalid_value", "seed invalid_value"],
      seed,
    );
  }
  // Other types are valibot's to name: no seed text is kept for them.
  assert.deepEqual(seedProblems('"seed":"5"'), ["seed invalid_type", "seed invalid_type"]);
});
