// A streamed runTools() runner as an async iterable gives the rounds' chunks only, as the SDK's;
// the message records after its tool messages are for toReadableStream() (the relay) alone.
import assert from "node:assert/strict";
import { AzureOpenAI } from "../../mod.ts";
import { sseChunk } from "./_helpers.ts";

const sse = (...deltas: [object, string | null][]) =>
  deltas.map(([delta, finish_reason]) => sseChunk(delta, finish_reason)).join("") +
  "data: [DONE]\n\n";
const REPLIES = [
  sse([{
    role: "assistant",
    tool_calls: [{ index: 0, id: "a", type: "function", function: { name: "t", arguments: "{}" } }],
  }, null], [{}, "tool_calls"]),
  sse([{ role: "assistant", content: "done" }, null], [{}, "stop"]),
];

Deno.test("runTools({ stream: true }) iterated: chunks only, no message records", async () => {
  let n = 0;
  const client = new AzureOpenAI({
    endpoint: "http://stub.local",
    apiKey: "k",
    maxRetries: 0,
    fetch: () =>
      Promise.resolve(
        new Response(REPLIES[n++], { headers: { "content-type": "text/event-stream" } }),
      ),
  });
  const runner = client.chat.completions.runTools({
    model: "gpt-4o",
    messages: [{ role: "user", content: "Hi" }],
    tools: [{ type: "function", function: { name: "t", parameters: {}, function: () => "3" } }],
    stream: true,
  });
  const objects: string[] = [];
  for await (const chunk of runner) objects.push(chunk.object);
  assert.deepEqual(objects, Array(4).fill("chat.completion.chunk"));
  assert.equal(await runner.finalFunctionToolCallResult(), "3");
});
