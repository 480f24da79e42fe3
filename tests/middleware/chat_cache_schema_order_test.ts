/**
 * cache() chat keys and JSON schemas: with structured outputs (and function calling) the model
 * writes an object's members in the order of the schema's `properties` (OpenAI: "outputs will be
 * produced in the same order as the ordering of keys in the schema"; a `reasoning` member put
 * first is a chain of thought before the `answer`). Two requests whose schemas differ only in
 * that order ask for different answers: they must not share an entry. Every other key order
 * (params, messages, the schema's own keywords) still does not matter.
 */
import assert from "node:assert/strict";
import { MemoryCache } from "../../src/cache/memory_cache.ts";
import { cachedChat } from "./_chat_cache.ts";

const messages = [{ role: "user", content: "2+2?" }];

function schema(first: "reasoning" | "answer") {
  const members = { reasoning: { type: "string" }, answer: { type: "string" } };
  const properties = first === "reasoning"
    ? { reasoning: members.reasoning, answer: members.answer }
    : { answer: members.answer, reasoning: members.reasoning };
  return { type: "object", properties, required: ["reasoning", "answer"] };
}

async function call(store: MemoryCache, body: Record<string, unknown>) {
  const { res, calls } = await cachedChat(store, body, {
    id: "chatcmpl-1",
    object: "chat.completion",
    choices: [{
      index: 0,
      message: { role: "assistant", content: '{"reasoning":"2+2","answer":"4"}' },
      finish_reason: "stop",
    }],
    usage: { prompt_tokens: 5, completion_tokens: 9, total_tokens: 14 },
  });
  await res.text();
  return { status: res.headers.get("x-aoai-cache"), calls };
}

const responseFormat = (first: "reasoning" | "answer") => ({
  type: "json_schema",
  json_schema: { name: "a", strict: true, schema: schema(first) },
});
const tools = (first: "reasoning" | "answer") => [{
  type: "function",
  function: { name: "reply", parameters: schema(first) },
}];
const functions = (first: "reasoning" | "answer") => [{ name: "reply", parameters: schema(first) }];

for (
  const [name, param] of [
    ["response_format", (f: "reasoning" | "answer") => ({ response_format: responseFormat(f) })],
    ["tools", (f: "reasoning" | "answer") => ({ tools: tools(f), tool_choice: "required" })],
    ["functions", (f: "reasoning" | "answer") => ({ functions: functions(f) })],
  ] as const
) {
  Deno.test(`cache() chat: ${name} schemas whose properties differ in order do not share an entry`, async () => {
    const store = new MemoryCache();
    const first = await call(store, { messages, temperature: 0, ...param("reasoning") });
    assert.equal(first.status, "miss");
    const again = await call(store, { temperature: 0, ...param("reasoning"), messages });
    assert.equal(again.status, "hit", "the same schema (other param order) hits");
    const other = await call(store, { messages, temperature: 0, ...param("answer") });
    assert.equal(other.status, "miss", "answer-first asks for another answer");
    assert.equal(other.calls, 1);
  });
}

Deno.test("cache() chat: the schema's keyword order and the messages' key order still do not matter", async () => {
  const store = new MemoryCache();
  await call(store, { messages, temperature: 0, response_format: responseFormat("reasoning") });
  const s = schema("reasoning");
  const reordered = {
    temperature: 0,
    messages: [{ content: "2+2?", role: "user" }],
    response_format: {
      json_schema: {
        schema: { required: s.required, properties: s.properties, type: s.type },
        strict: true,
        name: "a",
      },
      type: "json_schema",
    },
  };
  const hit = await call(store, reordered);
  assert.equal(hit.status, "hit");
  assert.equal(hit.calls, 0);
});
