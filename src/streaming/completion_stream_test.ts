import assert from "node:assert/strict";
import { CompletionStream } from "./completion_stream.ts";
import { CompletionAccumulator } from "./completion_accumulator.ts";
import { APIConnectionError, ContentFilterError } from "../errors/mod.ts";
import type { Completion, CompletionChunk } from "../types/mod.ts";
import { sseResponse, sseText } from "./_test_helpers.ts";

const BASE = {
  id: "cmpl-1",
  object: "text_completion",
  created: 1727000000,
  model: "gpt-35-turbo-instruct",
} as const;
const SAFE = { filtered: false, severity: "safe" } as const;

const CHUNKS: CompletionChunk[] = [
  {
    id: "",
    object: "",
    created: 0,
    model: "",
    choices: [],
    prompt_filter_results: [{ prompt_index: 0, content_filter_results: { hate: SAFE } }],
  },
  {
    ...BASE,
    choices: [{
      index: 0,
      text: "Once",
      finish_reason: null,
      logprobs: {
        tokens: ["Once"],
        token_logprobs: [-0.1],
        top_logprobs: [{ Once: -0.1 }],
        text_offset: [0],
      },
      content_filter_results: { hate: SAFE, violence: { filtered: false, severity: "low" } },
    }],
  },
  {
    ...BASE,
    choices: [{ index: 1, text: "In", finish_reason: null, logprobs: null }],
  },
  {
    ...BASE,
    choices: [{
      index: 0,
      text: " upon",
      finish_reason: "length",
      logprobs: {
        tokens: [" upon"],
        token_logprobs: [-0.2],
        top_logprobs: [{ " upon": -0.2 }],
        text_offset: [4],
      },
      content_filter_results: { hate: SAFE, violence: SAFE },
    }],
  },
  { ...BASE, choices: [{ index: 1, text: " a", finish_reason: "stop", logprobs: null }] },
  { ...BASE, choices: [], usage: { prompt_tokens: 4, completion_tokens: 4, total_tokens: 8 } },
];

const EXPECTED: Completion = {
  ...BASE,
  prompt_filter_results: [{ prompt_index: 0, content_filter_results: { hate: SAFE } }],
  choices: [
    {
      index: 0,
      text: "Once upon",
      finish_reason: "length",
      logprobs: {
        tokens: ["Once", " upon"],
        token_logprobs: [-0.1, -0.2],
        top_logprobs: [{ Once: -0.1 }, { " upon": -0.2 }],
        text_offset: [0, 4],
      },
      content_filter_results: { hate: SAFE, violence: { filtered: false, severity: "low" } },
    },
    { index: 1, text: "In a", finish_reason: "stop", logprobs: null },
  ],
  usage: { prompt_tokens: 4, completion_tokens: 4, total_tokens: 8 },
};

Deno.test("CompletionAccumulator folds chunks into the non-streamed completion", () => {
  const acc = new CompletionAccumulator();
  for (const chunk of CHUNKS) acc.add(structuredClone(chunk));
  assert.deepEqual(acc.result(), EXPECTED);
});

Deno.test("CompletionStream yields every chunk and accumulates them", async () => {
  const stream = new CompletionStream(sseResponse(sseText([...CHUNKS, "[DONE]"]), 17));
  const seen: CompletionChunk[] = [];
  for await (const chunk of stream) seen.push(chunk);
  assert.deepEqual(seen, CHUNKS);
  assert.deepEqual(await stream.finalCompletion(), EXPECTED);
});

Deno.test("CompletionStream.finalCompletion() works without iterating", async () => {
  const stream = new CompletionStream(sseResponse(sseText([...CHUNKS, "[DONE]"]), 5));
  assert.deepEqual(await stream.finalCompletion(), EXPECTED);
});

Deno.test("CompletionStream throws APIConnectionError when the body ends before [DONE]", async () => {
  const stream = new CompletionStream(sseResponse(sseText(CHUNKS.slice(0, 2))));
  await assert.rejects(() => stream.finalCompletion(), (error: unknown) => {
    assert.ok(error instanceof APIConnectionError);
    assert.match(error.message, /^completions\.create/);
    return true;
  });
});

Deno.test("CompletionStream throws ContentFilterError for a filtered error payload", async () => {
  const text = sseText([CHUNKS[1], { error: { code: "content_filter", message: "filtered" } }]);
  await assert.rejects(
    () => new CompletionStream(sseResponse(text)).finalCompletion(),
    ContentFilterError,
  );
});
