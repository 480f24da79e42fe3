import assert from "node:assert/strict";
import { ChatCompletionAccumulator } from "./chat_completion_accumulator.ts";
import { AZURE_CHAT_CHUNKS, AZURE_CHAT_COMPLETION } from "./_test_helpers.ts";
import type { ChatCompletionChunk } from "../types/mod.ts";

const BASE = { id: "c1", object: "chat.completion.chunk", created: 5, model: "gpt-4o" } as const;

Deno.test("ChatCompletionAccumulator folds the Azure stream into the non-streamed completion", () => {
  const acc = new ChatCompletionAccumulator();
  for (const chunk of AZURE_CHAT_CHUNKS) acc.add(structuredClone(chunk));
  assert.deepEqual(acc.result(), AZURE_CHAT_COMPLETION);
});

Deno.test("ChatCompletionAccumulator.result() works at any point and returns fresh objects", () => {
  const acc = new ChatCompletionAccumulator();
  assert.deepEqual(acc.result(), {
    id: "",
    object: "chat.completion",
    created: 0,
    model: "",
    choices: [],
  });
  acc.add({ ...BASE, choices: [{ index: 0, delta: { content: "a" } }] });
  const first = acc.result();
  acc.add({ ...BASE, choices: [{ index: 0, delta: { content: "b" } }] });
  assert.equal(first.choices[0].message.content, "a");
  assert.equal(acc.result().choices[0].message.content, "ab");
});

Deno.test("ChatCompletionAccumulator concatenates legacy function_call and refusal with logprobs", () => {
  const acc = new ChatCompletionAccumulator();
  const token = (t: string) => ({ token: t, logprob: -1, bytes: null, top_logprobs: [] });
  const chunks: ChatCompletionChunk[] = [
    {
      ...BASE,
      choices: [{
        index: 0,
        delta: { role: "assistant", function_call: { name: "f", arguments: "" } },
      }],
    },
    { ...BASE, choices: [{ index: 0, delta: { function_call: { arguments: '{"a"' } } }] },
    {
      ...BASE,
      choices: [{ index: 0, delta: { function_call: { name: "ignored", arguments: ":1}" } } }],
    },
    {
      ...BASE,
      choices: [{
        index: 0,
        delta: { refusal: "I can" },
        logprobs: { content: null, refusal: [token("I"), token(" can")] },
      }],
    },
    {
      ...BASE,
      choices: [{
        index: 0,
        delta: { refusal: "not." },
        logprobs: { content: null, refusal: [token("not.")] },
        finish_reason: "function_call",
      }],
    },
  ];
  for (const chunk of chunks) acc.add(chunk);
  assert.deepEqual(acc.result().choices, [{
    index: 0,
    message: {
      role: "assistant",
      content: null,
      refusal: "I cannot.",
      function_call: { name: "f", arguments: '{"a":1}' },
    },
    finish_reason: "function_call",
    logprobs: { content: null, refusal: [token("I"), token(" can"), token("not.")] },
  }]);
});

Deno.test("ChatCompletionAccumulator orders choices by index when they arrive out of order", () => {
  const acc = new ChatCompletionAccumulator();
  acc.add({ ...BASE, choices: [{ index: 2, delta: { content: "c" } }] });
  acc.add({ ...BASE, choices: [{ index: 0, delta: { content: "a" } }, { index: 1, delta: {} }] });
  assert.deepEqual(acc.result().choices.map((c) => [c.index, c.message.content]), [
    [0, "a"],
    [1, null],
    [2, "c"],
  ]);
});

Deno.test("ChatCompletionAccumulator merges prompt filter results by prompt_index", () => {
  const acc = new ChatCompletionAccumulator();
  acc.add({
    id: "",
    object: "",
    created: 0,
    model: "",
    choices: [],
    prompt_filter_results: [{
      prompt_index: 0,
      content_filter_results: { hate: { filtered: false, severity: "safe" } },
    }],
  });
  acc.add({
    ...BASE,
    choices: [],
    prompt_filter_results: [
      { prompt_index: 0, content_filter_results: { hate: { filtered: false, severity: "low" } } },
      { prompt_index: 1, content_filter_results: {} },
    ],
  });
  assert.deepEqual(acc.result().prompt_filter_results, [
    { prompt_index: 0, content_filter_results: { hate: { filtered: false, severity: "low" } } },
    { prompt_index: 1, content_filter_results: {} },
  ]);
  assert.equal(acc.result().id, "c1");
});

Deno.test("ChatCompletionAccumulator keeps a long content flat and exact", () => {
  const acc = new ChatCompletionAccumulator();
  let expected = "";
  for (let i = 0; i < 5000; i++) {
    const piece = `t${i % 97} `;
    expected += piece;
    acc.add({ ...BASE, choices: [{ index: 0, delta: { content: piece } }] });
  }
  assert.equal(acc.result().choices[0].message.content, expected);
});

Deno.test("ChatCompletionAccumulator keeps the worst content filter verdict and never mutates chunks", () => {
  const acc = new ChatCompletionAccumulator();
  const high = { filtered: true, severity: "high" } as const;
  const chunks: ChatCompletionChunk[] = [
    {
      ...BASE,
      choices: [{
        index: 0,
        content_filter_results: { hate: high, profanity: { filtered: false, detected: true } },
      }],
    },
    {
      ...BASE,
      choices: [{
        index: 0,
        content_filter_results: {
          hate: { filtered: false, severity: "safe" },
          profanity: { filtered: false, detected: false },
          custom_blocklists: { filtered: false, details: [{ filtered: false, id: "b1" }] },
        },
      }],
    },
    {
      ...BASE,
      choices: [{
        index: 0,
        content_filter_results: {
          custom_blocklists: {
            filtered: true,
            details: [{ filtered: true, id: "b1" }, { filtered: false, id: "b2" }],
          },
        },
      }],
    },
  ];
  const before = structuredClone(chunks);
  acc.add(chunks[0]);
  acc.add(chunks[1]);
  const early = acc.result();
  acc.add(chunks[2]);
  assert.deepEqual(chunks, before);
  assert.deepEqual(early.choices[0].content_filter_results?.custom_blocklists, {
    filtered: false,
    details: [{ filtered: false, id: "b1" }],
  });
  assert.deepEqual(acc.result().choices[0].content_filter_results, {
    hate: high,
    profanity: { filtered: false, detected: true },
    custom_blocklists: {
      filtered: true,
      details: [{ filtered: true, id: "b1" }, { filtered: false, id: "b2" }],
    },
  });
});

Deno.test("ChatCompletionAccumulator keeps a logprobs array that only ever arrives empty", () => {
  // A tool call streamed with logprobs: true has `content: []` in its logprobs; the
  // non-streamed reply (and the openai SDK's accumulation) keep `[]`, not null.
  const acc = new ChatCompletionAccumulator();
  const call = {
    index: 0,
    id: "call_1",
    type: "function",
    function: { name: "f", arguments: "{}" },
  };
  acc.add({
    ...BASE,
    choices: [{
      index: 0,
      delta: { role: "assistant", content: null, tool_calls: [call] },
      logprobs: { content: [], refusal: null },
    }],
  } as ChatCompletionChunk);
  acc.add({ ...BASE, choices: [{ index: 0, delta: {}, finish_reason: "tool_calls" }] });
  assert.deepEqual(acc.result().choices[0].logprobs, { content: [], refusal: null });
});

Deno.test("ChatCompletionAccumulator keeps only the logprobs members the chunks carry", () => {
  const token = { token: "Hi", logprob: -0.1, bytes: [72, 105], top_logprobs: [] };
  const fold = (logprobs: Record<string, unknown>[]) => {
    const acc = new ChatCompletionAccumulator();
    for (const piece of logprobs) {
      acc.add({
        ...BASE,
        choices: [{ index: 0, delta: { content: "Hi" }, logprobs: piece }],
      } as unknown as ChatCompletionChunk);
    }
    return acc.result().choices[0].logprobs;
  };
  // 2024-05-01-preview's chunks have no `refusal`: neither has the non-streamed reply.
  assert.deepEqual(fold([{ content: [token] }, { content: [token] }]), {
    content: [token, token],
  });
  // 2024-10-21's carry `refusal: null`: kept, and an array that arrives later replaces it.
  assert.deepEqual(fold([{ content: [token], refusal: null }]), {
    content: [token],
    refusal: null,
  });
  assert.deepEqual(
    fold([{ content: null, refusal: null }, { content: [token], refusal: [token] }]),
    {
      content: [token],
      refusal: [token],
    },
  );
});
