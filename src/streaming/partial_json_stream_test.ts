// chat.completions.stream() with a `$parseRaw` format and strict tools: each chunk's `parsed` /
// `parsed_arguments` reads on from where the last chunk's parse stopped (per choice and per tool
// call), so a long answer costs work linear in its length (counted in the partial parse's
// RegExp tests: no clock), and each chunk's value is new objects, the same in its event and in the
// snapshot, as the openai SDK's (a listener may keep or change one).
import assert from "node:assert/strict";
import { AzureOpenAI } from "../../mod.ts";
import type { ChatCompletionChunk } from "../types/mod.ts";

const base = { id: "c1", object: "chat.completion.chunk", created: 1, model: "gpt-4o" };

/** A client whose fetch answers with these chunks as SSE. */
function clientFor(chunks: Partial<ChatCompletionChunk>[]): AzureOpenAI {
  const body = [...chunks.map((c) => JSON.stringify({ ...base, ...c })), "[DONE]"]
    .map((d) => `data: ${d}\n\n`).join("");
  return new AzureOpenAI({
    endpoint: "http://127.0.0.1:9",
    apiKey: "k",
    maxRetries: 0,
    fetch: () =>
      Promise.resolve(new Response(body, { headers: { "content-type": "text/event-stream" } })),
  });
}

/** A format as zodResponseFormat() makes it: `$parseRaw` not enumerable (not sent). */
const zodLike = Object.defineProperty(
  { type: "json_schema", json_schema: { name: "nums", strict: true, schema: {} } },
  "$parseRaw",
  { value: JSON.parse },
) as { type: "json_schema"; json_schema: { name: string } };
const TOOLS = ["a", "b"].map((name) => ({
  type: "function" as const,
  function: { name, strict: true, parameters: {} },
}));
const PARAMS = {
  model: "gpt-4o",
  messages: [{ role: "user" as const, content: "Hi" }],
  response_format: zodLike,
  tools: TOOLS,
};

const VALUE = { n: Array.from({ length: 400 }, (_, i) => i * 7), s: 'x é 😀 \\ " '.repeat(40) };
const TEXT = JSON.stringify(VALUE, null, 1);

Deno.test("stream(): a long structured answer one unit per chunk is parsed in linear work", async () => {
  // Two choices interleaved, then two tool calls one after the other, one UTF-16 unit per chunk.
  const chunks: Partial<ChatCompletionChunk>[] = [{
    choices: [0, 1].map((index) => ({
      index,
      delta: { role: "assistant", content: "" },
      finish_reason: null,
    })),
  }];
  for (const unit of TEXT) {
    chunks.push({
      choices: [0, 1].map((index) => ({ index, delta: { content: unit }, finish_reason: null })),
    });
  }
  for (const i of [0, 1]) {
    const call = { index: i, id: `t${i}`, type: "function" as const };
    chunks.push({
      choices: [{
        index: 0,
        delta: { tool_calls: [{ ...call, function: { name: "ab"[i], arguments: "" } }] },
        finish_reason: null,
      }],
    });
    for (const unit of TEXT) {
      chunks.push({
        choices: [{
          index: 0,
          delta: { tool_calls: [{ index: i, function: { arguments: unit } }] },
          finish_reason: null,
        }],
      });
    }
  }
  chunks.push({
    choices: [0, 1].map((index) => ({ index, delta: {}, finish_reason: "stop" as const })),
  });
  const stream = clientFor(chunks).chat.completions.stream(PARAMS);
  let last: unknown[] = [];
  stream.on("chunk", (_, snapshot) => {
    const [first, second] = snapshot.choices.map((c) =>
      c.message as {
        parsed?: unknown;
        tool_calls?: { function: { parsed_arguments?: unknown } }[];
      }
    );
    const calls = first.tool_calls ?? [];
    last = [first.parsed, second.parsed, ...calls.map((c) => c.function.parsed_arguments)];
  });
  const test = RegExp.prototype.test;
  let tests = 0;
  RegExp.prototype.test = function (this: RegExp, text: string) {
    tests++;
    return test.call(this, text);
  };
  try {
    await stream.done();
  } finally {
    RegExp.prototype.test = test;
  }
  assert.deepStrictEqual(last, [VALUE, VALUE, VALUE, VALUE]);
  // 37,990 here; re-reading the text so far on each chunk made it 27,870,250.
  assert.ok(tests < 8 * TEXT.length * 4, `${tests} RegExp tests for 4 texts of ${TEXT.length}`);
});

Deno.test("stream(): each chunk's parsed / parsed_arguments is new objects, shared by its event and the snapshot", async () => {
  const pieces = ['{"a":{"b":[1', ",2]", '},"c":"d', '"}'];
  const chunks: Partial<ChatCompletionChunk>[] = [
    { choices: [{ index: 0, delta: { role: "assistant", content: "" }, finish_reason: null }] },
    ...pieces.map((content) => ({
      choices: [{ index: 0, delta: { content }, finish_reason: null }],
    })),
    {
      choices: [{
        index: 0,
        delta: {
          tool_calls: [{
            index: 0,
            id: "t",
            type: "function",
            function: { name: "a", arguments: "" },
          }],
        },
        finish_reason: null,
      }],
    },
    ...pieces.map((args) => ({
      choices: [{
        index: 0,
        delta: { tool_calls: [{ index: 0, function: { arguments: args } }] },
        finish_reason: null,
      }],
    })),
    { choices: [{ index: 0, delta: {}, finish_reason: "tool_calls" }] },
  ];
  const stream = clientFor(chunks).chat.completions.stream(PARAMS);
  type Value = { a?: { b: number[] }; c?: string; kept?: boolean };
  const seen: Value[] = [];
  const message = () =>
    stream.currentChatCompletionSnapshot!.choices[0].message as {
      parsed?: Value;
      tool_calls?: { function: { parsed_arguments?: Value } }[];
    };
  stream.on("content.delta", ({ parsed }) => {
    assert.equal(parsed, message().parsed);
    seen.push(parsed as Value);
  });
  stream.on("tool_calls.function.arguments.delta", ({ parsed_arguments }) => {
    assert.equal(parsed_arguments, message().tool_calls![0].function.parsed_arguments);
    // (undefined for the call's first chunk, its arguments empty)
    if (parsed_arguments) seen.push(parsed_arguments as Value);
  });
  // A listener that changes what it got (once, on the next chunk) does not change what the next
  // chunks give.
  stream.on("chunk", () => {
    for (const value of seen) {
      if (!value.kept) value.a?.b.push(0);
      value.kept = true;
    }
  });
  await stream.done();
  const values = [
    { a: { b: [] } },
    { a: { b: [1, 2] } },
    { a: { b: [1, 2] }, c: "d" },
    { a: { b: [1, 2] }, c: "d" },
  ];
  assert.equal(seen.length, 8);
  assert.equal(new Set([...seen, ...seen.flatMap((v) => v.a ?? [])]).size, 16);
  assert.deepStrictEqual(
    seen,
    [...values, ...values].map((v) => ({ ...v, a: { b: [...v.a.b, 0] }, kept: true })),
  );
});
