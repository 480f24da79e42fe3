// chat.completions.stream() with a strict tool (its calls parsed as they stream) and no
// response_format: the chunks Azure sends that have less than a whole delta pass (a choice without
// a delta, as Azure's content filter verdict after the finish reason; a tool call piece without a
// function; text content with no format to parse it by), and a choice cut by the content filter
// fails the stream with ContentFilterFinishReasonError before its chunk event, as the SDK's.
import assert from "node:assert/strict";
import { ContentFilterFinishReasonError } from "../../mod.ts";
import { clientStreaming } from "./_helpers.ts";

const base = { id: "c1", object: "chat.completion.chunk", created: 1, model: "gpt-4o" };
const SAFE = { hate: { filtered: false, severity: "safe" } };

function stream(choices: object[][]) {
  const body = choices.map((c) => `data: ${JSON.stringify({ ...base, choices: c })}\n\n`).join("") +
    "data: [DONE]\n\n";
  const client = clientStreaming(body);
  return client.chat.completions.stream({
    model: "gpt-4o",
    messages: [{ role: "user", content: "Hi" }],
    tools: [{
      type: "function",
      function: { name: "f", strict: true, parameters: { type: "object" } },
    }],
  });
}

Deno.test("stream() with a strict tool: text, a call piece without function, a choice without delta", async () => {
  const s = stream([
    [{ index: 0, delta: { role: "assistant", content: "Hi" }, finish_reason: null }],
    [{ index: 0, delta: { tool_calls: [{ index: 0, id: "a", type: "function" }] } }],
    [{
      index: 0,
      delta: { tool_calls: [{ index: 0, function: { name: "f", arguments: '{"x":' } }] },
    }],
    [{ index: 0, delta: { tool_calls: [{ index: 0, function: { arguments: "1}" } }] } }],
    [{ index: 0, delta: {}, finish_reason: "tool_calls" }],
    // Azure's content filter verdict: no delta.
    [{ index: 0, finish_reason: null, content_filter_results: SAFE }],
  ]);
  const deltas: unknown[] = [];
  s.on("tool_calls.function.arguments.delta", (p) => deltas.push(p.parsed_arguments));
  const contents: unknown[] = [];
  s.on("content.delta", (p) => contents.push([p.snapshot, p.parsed]));
  const completion = await s.finalChatCompletion();
  assert.deepEqual(contents, [["Hi", undefined]]);
  // The piece without a function: its delta event has no arguments yet, nothing parsed.
  assert.deepEqual(deltas, [undefined, {}, { x: 1 }]);
  assert.equal(completion.choices[0].message.content, "Hi");
  assert.deepEqual(completion.choices[0].message.tool_calls?.[0].function.parsed_arguments, {
    x: 1,
  });
});

Deno.test("stream() with a strict tool: chunks whose choices have no index are choice 0", async () => {
  const s = stream([
    [{ delta: { role: "assistant", content: "Hi" }, finish_reason: null }],
    [{ delta: {}, finish_reason: "stop" }],
  ]);
  const contents: string[] = [];
  s.on("content", (_, snapshot) => contents.push(snapshot));
  assert.equal(await s.finalContent(), "Hi");
  assert.deepEqual(contents, ["Hi"]);
});

Deno.test("stream() with a strict tool: a choice cut by the content filter fails before its chunk event", async () => {
  const s = stream([
    [{ index: 0, delta: { role: "assistant", content: "Hi" }, finish_reason: null }],
    [{ index: 0, delta: {}, finish_reason: "content_filter" }],
  ]);
  let chunks = 0;
  s.on("chunk", () => chunks++);
  const errors: unknown[] = [];
  s.on("error", (e) => errors.push(e));
  await assert.rejects(s.done(), ContentFilterFinishReasonError);
  assert.equal(chunks, 1);
  assert.equal(errors.length, 1);
  assert.ok(errors[0] instanceof ContentFilterFinishReasonError);
});
