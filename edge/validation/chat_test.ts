import assert from "node:assert/strict";
import { checkChatBody } from "./chat.ts";

const ok = { messages: [{ role: "user", content: "hi" }] };

function param(body: Record<string, unknown>): string | null | undefined {
  const r = checkChatBody(body);
  return r.ok ? undefined : r.problem.param;
}

Deno.test("checkChatBody() accepts valid bodies and keeps unknown fields", () => {
  const body = { ...ok, temperature: 0, seed: 1, stream: true, data_sources: [{ type: "x" }] };
  const r = checkChatBody(body);
  assert.ok(r.ok);
  assert.equal(r.value, body);
  assert.ok(
    checkChatBody({
      messages: [{ role: "user", content: [{ type: "text", text: "a" }] }, {
        role: "assistant",
        content: null,
        tool_calls: [],
      }],
      tools: [{ type: "function", function: { name: "f" } }],
      tool_choice: "required",
      stop: ["a"],
    }).ok,
  );
});

Deno.test("checkChatBody() names the field at fault", () => {
  assert.equal(param({}), "messages");
  assert.equal(param({ messages: [] }), "messages");
  assert.equal(param({ messages: "hi" }), "messages");
  assert.equal(param({ messages: [{ role: "bogus", content: "x" }] }), "messages[0].role");
  assert.equal(
    param({ messages: [ok.messages[0], { role: "user", content: 5 }] }),
    "messages[1].content",
  );
  assert.equal(
    param({ messages: [{ role: "user", content: [{ type: 5 }] }] }),
    "messages[0].content[0].type",
  );
  assert.equal(param({ ...ok, temperature: 2.5 }), "temperature");
  assert.equal(param({ ...ok, temperature: "0" }), "temperature");
  assert.equal(param({ ...ok, n: 1.5 }), "n");
  assert.equal(param({ ...ok, stream: "yes" }), "stream");
  assert.equal(param({ ...ok, stop: ["a", "b", "c", "d", "e"] }), "stop");
  assert.equal(
    param({ ...ok, tools: [{ type: "function", function: { name: "" } }] }),
    "tools[0].function.name",
  );
  assert.equal(param({ ...ok, max_tokens: 0 }), "max_tokens");
});

Deno.test("checkChatBody() says missing for an absent required field and invalid otherwise", () => {
  const missing = checkChatBody({});
  assert.ok(!missing.ok);
  assert.equal(missing.problem.code, "missing_required_parameter");
  assert.match(missing.problem.message, /'messages'/);
  const wrong = checkChatBody({ ...ok, temperature: "hot" });
  assert.ok(!wrong.ok);
  assert.equal(wrong.problem.code, "invalid_type");
  assert.match(wrong.problem.message, /'temperature'.*number/);
});
