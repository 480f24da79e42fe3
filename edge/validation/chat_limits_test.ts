// checkChatBody(): the ends of its own limits pass, just past them is refused naming the field
// (messages 1 to 2048, tools up to 128, top_logprobs 0 to 20, max_completion_tokens from 1, a
// content part's type non-empty).
import assert from "node:assert/strict";
import { checkChatBody } from "./chat.ts";

const message = { role: "user", content: "hi" };
const tool = { type: "function", function: { name: "f" } };

function param(body: Record<string, unknown>): string | null | undefined {
  const r = checkChatBody({ messages: [message], ...body });
  return r.ok ? undefined : r.problem.param;
}

Deno.test("checkChatBody() takes up to 2048 messages and up to 128 tools", () => {
  assert.equal(param({ messages: Array(2048).fill(message) }), undefined);
  assert.equal(param({ messages: Array(2049).fill(message) }), "messages");
  assert.equal(param({ tools: Array(128).fill(tool) }), undefined);
  assert.equal(param({ tools: Array(129).fill(tool) }), "tools");
});

Deno.test("checkChatBody() takes top_logprobs 0 to 20 and max_completion_tokens from 1", () => {
  assert.equal(param({ top_logprobs: 0 }), undefined);
  assert.equal(param({ top_logprobs: 20 }), undefined);
  assert.equal(param({ top_logprobs: 21 }), "top_logprobs");
  assert.equal(param({ top_logprobs: -1 }), "top_logprobs");
  assert.equal(param({ max_completion_tokens: 1 }), undefined);
  assert.equal(param({ max_completion_tokens: 0 }), "max_completion_tokens");
});

Deno.test("checkChatBody() takes a content part's type of one character, not an empty one", () => {
  const content = (type: string) => ({ messages: [{ role: "user", content: [{ type }] }] });
  assert.equal(param(content("x")), undefined);
  assert.equal(param(content("")), "messages[0].content[0].type");
});
