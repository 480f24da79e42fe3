import assert from "node:assert/strict";
import { completionToChunks, completionToSse, splitForStream } from "./chat_replay.ts";
import { ChatCompletionAccumulator } from "../src/streaming/chat_completion_accumulator.ts";
import type { ChatCompletionChunk } from "../src/types/mod.ts";

const COMPLETION = {
  id: "chatcmpl-1",
  object: "chat.completion",
  created: 1700000000,
  model: "gpt-4o",
  system_fingerprint: "fp_1",
  prompt_filter_results: [{ prompt_index: 0, content_filter_results: {} }],
  choices: [{
    index: 0,
    message: {
      role: "assistant",
      content: "Hello there, world!",
      tool_calls: [{ id: "call_1", type: "function", function: { name: "f", arguments: "{}" } }],
    },
    finish_reason: "tool_calls",
    content_filter_results: { hate: { filtered: false, severity: "safe" } },
  }],
  usage: { prompt_tokens: 3, completion_tokens: 4, total_tokens: 7 },
};

Deno.test("splitForStream() pieces join back to the text", () => {
  for (const text of ["", "a", "  lead and trail  ", "one\ntwo\tthree", "x ".repeat(1000)]) {
    assert.equal(splitForStream(text).join(""), text);
  }
  assert.ok(splitForStream("w ".repeat(5000)).length <= 256);
});

Deno.test("completionToChunks() deltas concatenate back to the completion", () => {
  const chunks = completionToChunks(COMPLETION, { includeUsage: true });
  assert.deepEqual(chunks[0].choices, []);
  assert.deepEqual(chunks[0].prompt_filter_results, COMPLETION.prompt_filter_results);
  type Choice = { delta: Record<string, unknown>; finish_reason: string | null };
  const deltas = chunks.slice(1, -1).map((c) => (c.choices as Choice[])[0]);
  assert.equal(deltas[0].delta.role, "assistant");
  const text = deltas.map((d) => d.delta.content ?? "").join("");
  assert.equal(text, "Hello there, world!");
  const tool = deltas.find((d) => d.delta.tool_calls)?.delta.tool_calls;
  assert.deepEqual(tool, [{ index: 0, ...COMPLETION.choices[0].message.tool_calls[0] }]);
  const last = deltas[deltas.length - 1] as Choice & { content_filter_results: unknown };
  assert.equal(last.finish_reason, "tool_calls");
  assert.deepEqual(last.content_filter_results, COMPLETION.choices[0].content_filter_results);
  assert.deepEqual(
    deltas.slice(0, -1).map((d) => d.finish_reason),
    deltas.slice(0, -1).map(() => null),
  );
  const usage = chunks[chunks.length - 1];
  assert.deepEqual(usage.choices, []);
  assert.deepEqual(usage.usage, COMPLETION.usage);
  for (const c of chunks.slice(1)) {
    assert.equal(c.object, "chat.completion.chunk");
    assert.equal(c.id, "chatcmpl-1");
  }
});

Deno.test("completionToChunks() leaves out usage unless asked for", () => {
  const chunks = completionToChunks(COMPLETION, { includeUsage: false });
  assert.equal(chunks.some((c) => "usage" in c), false);
});

Deno.test("completionToSse() emits data events ending with data: [DONE]", async () => {
  const text = await new Response(completionToSse(COMPLETION, { includeUsage: false })).text();
  const events = text.split("\n\n").filter((e) => e !== "");
  assert.equal(events[events.length - 1], "data: [DONE]");
  for (const e of events.slice(0, -1)) {
    assert.ok(e.startsWith("data: "));
    JSON.parse(e.slice(6));
  }
  assert.equal(events.length, completionToChunks(COMPLETION, { includeUsage: false }).length + 1);
});

Deno.test("completionToChunks() folds back to a tool-call message with content null and its On Your Data context", () => {
  const message = {
    role: "assistant",
    content: null,
    refusal: null,
    tool_calls: [{ id: "call_1", type: "function", function: { name: "f", arguments: '{"a":1}' } }],
    context: { citations: [{ content: "doc", title: "t" }], intent: '["q"]' },
  };
  const completion = {
    id: "c1",
    object: "chat.completion",
    created: 1,
    model: "gpt-4o",
    choices: [{ index: 0, message, finish_reason: "tool_calls", logprobs: null }],
  };
  const acc = new ChatCompletionAccumulator();
  for (const chunk of completionToChunks(completion, { includeUsage: false })) {
    acc.add(chunk as unknown as ChatCompletionChunk);
  }
  assert.deepEqual(acc.result().choices[0].message, message);
});

Deno.test("completionToChunks() with includeUsage gives every other chunk usage null, as the service streams", () => {
  const usage = { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 };
  const chunks = completionToChunks({
    id: "c1",
    object: "chat.completion",
    created: 1,
    model: "gpt-4o",
    prompt_filter_results: [{ prompt_index: 0, content_filter_results: {} }],
    choices: [{
      index: 0,
      message: { role: "assistant", content: "Hi there" },
      finish_reason: "stop",
    }],
    usage,
  }, { includeUsage: true });
  const last = chunks.at(-1) as Record<string, unknown>;
  assert.deepEqual(last.usage, usage);
  assert.deepEqual(last.choices, []);
  for (const chunk of chunks.slice(0, -1)) {
    assert.ok("usage" in chunk, JSON.stringify(chunk));
    assert.equal(chunk.usage, null);
  }
  const without = completionToChunks({ choices: [{ index: 0, message: { content: "x" } }] }, {
    includeUsage: false,
  });
  assert.ok(without.every((chunk) => !("usage" in chunk)));
});
