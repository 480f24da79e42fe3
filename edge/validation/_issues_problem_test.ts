// problemOf(): the first valibot issue as one problem: the deepest sub issue of a union (the
// first of the longest paths), `missing_required_parameter` for an absent field, `invalid_type`
// for a wrong type and `invalid_value` for a value out of range, and never the text of a string
// the client sent.
import assert from "node:assert/strict";
import * as v from "valibot";
import { problemOf } from "./_issues.ts";
import { checkChatBody } from "./chat.ts";
import { checkImagesBody } from "./images.ts";

const messages = [{ role: "user", content: "hi" }];

function problem(body: Record<string, unknown>) {
  const r = checkChatBody({ messages, ...body });
  assert.ok(!r.ok, JSON.stringify(body));
  return r.problem;
}

Deno.test("problemOf() follows a union to its sub issue with the longest path, the first of them", () => {
  assert.deepEqual(problem({ tool_choice: { type: 5 } }), {
    param: "tool_choice.type",
    code: "invalid_type",
    message: "Invalid value for 'tool_choice.type': Expected string but received 5.",
  });
  // Two parts at fault: the first is named.
  const parts = problem({ messages: [{ role: "user", content: [{ type: 5 }, { type: 6 }] }] });
  assert.equal(parts.param, "messages[0].content[0].type");
});

Deno.test("problemOf() keeps a union's own issue when no sub issue has a path", () => {
  assert.deepEqual(problem({ stop: 5 }), {
    param: "stop",
    code: "invalid_type",
    message: "Invalid value for 'stop': Expected (string | Array) but received 5.",
  });
});

Deno.test("problemOf() says invalid_value for a value out of range, invalid_type for a type", () => {
  assert.deepEqual(problem({ temperature: 3 }), {
    param: "temperature",
    code: "invalid_value",
    message: "Invalid value for 'temperature': Expected <=2 but received 3.",
  });
  assert.equal(problem({ temperature: "3" }).code, "invalid_type");
});

Deno.test("problemOf() names the type of a string it got, never its text", () => {
  assert.deepEqual(problem({ n: "sk-secret-0123" }), {
    param: "n",
    code: "invalid_type",
    message: "Invalid value for 'n': Expected number but received a string.",
  });
  // Messages that quote no input are left whole.
  assert.deepEqual(problem({ messages: [{ role: "sk-secret-0123", content: "x" }] }), {
    param: "messages[0].role",
    code: "invalid_type",
    message: 'Invalid value for \'messages[0].role\': Expected one of "system", "developer", ' +
      '"user", "assistant", "tool", "function".',
  });
  const empty = checkImagesBody({ prompt: "" });
  assert.deepEqual(empty.ok ? undefined : empty.problem, {
    param: "prompt",
    code: "invalid_value",
    message: "Invalid value for 'prompt': Expected a non-empty prompt.",
  });
});

Deno.test("problemOf() names the request body for an issue at the root", () => {
  const r = v.safeParse(v.looseObject({}), "sk-secret-0123");
  assert.ok(!r.success);
  assert.deepEqual(problemOf(r.issues), {
    param: null,
    code: "invalid_type",
    message: "Invalid value for the request body: Expected Object but received a string.",
  });
});
