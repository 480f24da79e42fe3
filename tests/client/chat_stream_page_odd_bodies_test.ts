// A page reading a relay (ChatCompletionEventStream.fromReadableStream) takes lines that the SDK's
// page takes too: chunks without `object`, a message record after a round with no choice yet or
// without tool calls (its tool_call_ids then name nothing). And only a page splits completions
// on a new chunk id: stream() of a reply whose chunk ids change is one completion.
import assert from "node:assert/strict";
import { AzureOpenAI, ChatCompletionEventStream } from "../../mod.ts";

const TOP = { created: 1, model: "gpt-4o" };
const line = (o: object) => JSON.stringify({ ...TOP, ...o }) + "\n";
const chunk = (id: string, delta: object, finish_reason: string | null = null) => ({
  id,
  object: "chat.completion.chunk",
  choices: [{ index: 0, delta, finish_reason }],
});
const record = (message: object, tool_call_ids: string[]) => ({
  id: "c1",
  choices: [],
  object: "chat.completion.chunk.message:" +
    JSON.stringify({ type: "message", message, tool_call_ids }),
});
const TOOL = { role: "tool", tool_call_id: "x", content: "3" };
const page = (...lines: object[]) =>
  ChatCompletionEventStream.fromReadableStream(new Response(lines.map(line).join("")).body!);

Deno.test("fromReadableStream(): chunks without object are read", async () => {
  const { object: _, ...a } = chunk("c1", { role: "assistant", content: "Hi" });
  const { object: __, ...b } = chunk("c1", {}, "stop");
  assert.equal(await page(a, b).finalContent(), "Hi");
});

Deno.test("fromReadableStream(): a record after a round without tool calls or choices", async () => {
  const plain = page(
    chunk("c1", { role: "assistant", content: "Hi" }, "stop"),
    record(TOOL, ["x", "y"]),
  );
  assert.deepEqual(await plain.finalFunctionToolCallResult(), undefined);
  assert.deepEqual(plain.messages.at(-1), TOOL);
  assert.equal(plain.allChatCompletions().length, 1);

  // A round of a choices-less chunk only (as Azure's prompt filter chunk) ends at the record.
  const bare = page(
    { id: "c1", object: "chat.completion.chunk", choices: [] },
    record(TOOL, ["x"]),
  );
  // No assistant message at all: the end fails as the SDK's does.
  await assert.rejects(
    bare.done(),
    /without producing a ChatCompletionMessage with role=assistant/,
  );
  assert.deepEqual(bare.messages, [TOOL]);
  assert.equal(bare.allChatCompletions()[0].choices.length, 0);
});

Deno.test("stream(): chunks whose id changes are one completion (only a page splits on ids)", async () => {
  const sse =
    [chunk("c1", { role: "assistant", content: "a" }), chunk("c2", { content: "b" }, "stop")]
      .map((c) => `data: ${JSON.stringify({ ...TOP, ...c })}\n\n`).join("") + "data: [DONE]\n\n";
  const client = new AzureOpenAI({
    endpoint: "http://stub.local",
    apiKey: "k",
    maxRetries: 0,
    fetch: () =>
      Promise.resolve(new Response(sse, { headers: { "content-type": "text/event-stream" } })),
  });
  const s = client.chat.completions.stream({
    model: "gpt-4o",
    messages: [{ role: "user", content: "Hi" }],
  });
  assert.equal(await s.finalContent(), "ab");
  assert.equal(s.allChatCompletions().length, 1);
});
