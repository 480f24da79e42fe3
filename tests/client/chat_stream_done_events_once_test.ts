// chat.completions.stream(): each `*.done` event of a choice goes out once, though the choice's
// done step runs again for every tool call that starts, at its finish reason and for each chunk of
// the choice after that (Azure's content filter verdict comes after the finish reason). The SDK
// (6.49) repeats the last call's `tool_calls.function.arguments.done` for such a late chunk (its
// done set is never filled); ours keeps it to one.
import assert from "node:assert/strict";
import { clientStreaming } from "./_helpers.ts";

const base = { id: "c1", object: "chat.completion.chunk", created: 1, model: "gpt-4o" };
const tok = (token: string) => ({ token, logprob: -0.1, bytes: null, top_logprobs: [] });
const call = (index: number, id: string, name: string, args: string) => ({
  tool_calls: [{ index, id, type: "function", function: { name, arguments: args } }],
});

function client(chunks: object[]) {
  const body = [...chunks.map((c) => JSON.stringify({ ...base, ...c })), "[DONE]"]
    .map((d) => `data: ${d}\n\n`).join("");
  return clientStreaming(body);
}

/** The `*.done` events, in order, each with its argument. */
async function doneEvents(chunks: object[]) {
  const stream = client(chunks).chat.completions.stream({
    model: "gpt-4o",
    messages: [{ role: "user", content: "Hi" }],
  });
  const seen: [string, unknown][] = [];
  for (
    const name of [
      "content.done",
      "refusal.done",
      "logprobs.content.done",
      "logprobs.refusal.done",
      "tool_calls.function.arguments.done",
    ] as const
  ) {
    stream.on(name, (arg: unknown) => seen.push([name, arg]));
  }
  await stream.done();
  return seen;
}

const late = { choices: [{ index: 0, delta: {}, finish_reason: null }] };

Deno.test("stream(): content, its logprobs and two tool calls: each *.done once, a late chunk adds none", async () => {
  const seen = await doneEvents([
    {
      choices: [{
        index: 0,
        delta: { role: "assistant", content: "Hi" },
        logprobs: { content: [tok("Hi")], refusal: null },
        finish_reason: null,
      }],
    },
    { choices: [{ index: 0, delta: call(0, "a", "f", "{}"), finish_reason: null }] },
    { choices: [{ index: 0, delta: call(1, "b", "g", '{"x":1}'), finish_reason: null }] },
    { choices: [{ index: 0, delta: {}, finish_reason: "tool_calls" }] },
    late,
    late,
  ]);
  assert.deepEqual(seen, [
    ["content.done", { content: "Hi", parsed: null }],
    ["logprobs.content.done", { content: [tok("Hi")] }],
    [
      "tool_calls.function.arguments.done",
      { name: "f", index: 0, arguments: "{}", parsed_arguments: null },
    ],
    [
      "tool_calls.function.arguments.done",
      { name: "g", index: 1, arguments: '{"x":1}', parsed_arguments: null },
    ],
  ]);
});

Deno.test("stream(): a refusal and its logprobs: refusal.done and logprobs.refusal.done once each", async () => {
  const seen = await doneEvents([
    {
      choices: [{
        index: 0,
        delta: { role: "assistant", refusal: "No" },
        logprobs: { content: null, refusal: [tok("No")] },
        finish_reason: null,
      }],
    },
    { choices: [{ index: 0, delta: {}, finish_reason: "stop" }] },
    late,
  ]);
  assert.deepEqual(seen, [
    ["refusal.done", { refusal: "No" }],
    ["logprobs.refusal.done", { refusal: [tok("No")] }],
  ]);
});
