// completionToChunks(), chunk by chunk: the completion's id, created, model and fingerprint (or
// their defaults) on each, no filter chunk without prompt_filter_results, each choice's index (or
// its position), its first delta as the service streams it, refusal and function_call deltas,
// tool calls that are objects only, logprobs and filter results on the last; odd completions do
// not throw. splitForStream() groups more than 256 pieces into at most 256.
import assert from "node:assert/strict";
import { completionToChunks, splitForStream } from "./chat_replay.ts";

type Json = Record<string, unknown>;
const chunks = (completion: Json) => completionToChunks(completion, { includeUsage: false });
/** Each chunk's first choice. */
const choicesOf = (list: Json[]) => list.map((c) => (c.choices as Json[])[0]);

Deno.test("completionToChunks() puts the completion's id, created, model and fingerprint on each chunk", () => {
  const completion = { id: "c9", created: 17, model: "m", system_fingerprint: "fp" };
  for (const chunk of chunks({ ...completion, choices: [{ message: { content: "a b" } }] })) {
    assert.deepEqual(
      [chunk.id, chunk.object, chunk.created, chunk.model, chunk.system_fingerprint],
      ["c9", "chat.completion.chunk", 17, "m", "fp"],
    );
  }
  const [bare] = chunks({ choices: [{}] });
  assert.deepEqual([bare.id, bare.created, bare.model, bare.system_fingerprint], ["", 0, "", null]);
});

Deno.test("completionToChunks() streams a choice as the service does: role and empty content first, finish last", () => {
  const list = chunks({ choices: [{ message: { content: "Hi" } }] });
  assert.deepEqual(choicesOf(list), [
    { index: 0, delta: { role: "assistant", content: "" }, finish_reason: null, logprobs: null },
    { index: 0, delta: { content: "Hi" }, finish_reason: null, logprobs: null },
    { index: 0, delta: {}, finish_reason: "stop", logprobs: null },
  ]);
});

Deno.test("completionToChunks() gives each choice its index, or its position, and the rest of its message", () => {
  const logprobs = { content: [{ token: "x", logprob: -1 }] };
  const list = chunks({
    choices: [
      { index: 5, message: { role: "assistant", content: null, refusal: "No." }, logprobs },
      {
        message: {
          function_call: { name: "f", arguments: "{}" },
          tool_calls: [null, "junk", [1], { id: "t", type: "function" }],
          context: "not an object",
        },
        finish_reason: "function_call",
      },
    ],
  });
  assert.deepEqual(choicesOf(list), [
    { index: 5, delta: { role: "assistant", content: null }, finish_reason: null, logprobs: null },
    { index: 5, delta: { refusal: "No." }, finish_reason: null, logprobs: null },
    { index: 5, delta: {}, finish_reason: "stop", logprobs },
    { index: 1, delta: { role: "assistant", content: null }, finish_reason: null, logprobs: null },
    {
      index: 1,
      delta: { tool_calls: [{ index: 3, id: "t", type: "function" }] },
      finish_reason: null,
      logprobs: null,
    },
    {
      index: 1,
      delta: { function_call: { name: "f", arguments: "{}" } },
      finish_reason: null,
      logprobs: null,
    },
    { index: 1, delta: {}, finish_reason: "function_call", logprobs: null },
  ]);
});

Deno.test("completionToChunks() takes odd completions without throwing", () => {
  assert.deepEqual(chunks({}), []);
  assert.deepEqual(chunks({ choices: { 0: {} } }), []);
  for (const choice of [null, "x", [1], { message: null }, { message: "text" }, { message: [] }]) {
    assert.deepEqual(choicesOf(chunks({ choices: [choice] })), [
      {
        index: 0,
        delta: { role: "assistant", content: null },
        finish_reason: null,
        logprobs: null,
      },
      { index: 0, delta: {}, finish_reason: "stop", logprobs: null },
    ], JSON.stringify(choice));
  }
});

Deno.test("splitForStream() keeps 256 pieces as they are and groups more into at most 256", () => {
  assert.deepEqual(splitForStream("w ".repeat(256)), Array(256).fill("w "));
  for (const [count, groups] of [[257, 129], [258, 129], [512, 256], [513, 171]]) {
    const pieces = splitForStream("w ".repeat(count));
    assert.equal(pieces.length, groups, `${count} pieces`);
    assert.ok(pieces.every((p) => p !== ""), `${count} pieces`);
    assert.equal(pieces.join(""), "w ".repeat(count));
  }
});
