// chat.completions.stream(): once() returns the stream, as on() and off() do (the SDK's three
// chain), and its listener runs for the first event only.
import assert from "node:assert/strict";
import { AzureOpenAI } from "../../mod.ts";

const base = { id: "c1", object: "chat.completion.chunk", created: 1, model: "gpt-4o" };
const data = (delta: unknown, finish_reason: string | null = null) =>
  `data: ${JSON.stringify({ ...base, choices: [{ index: 0, delta, finish_reason }] })}\n\n`;
const REPLY = data({ role: "assistant", content: "Hi" }) + data({}, "stop") + "data: [DONE]\n\n";

Deno.test("stream(): once() chains, and its listener gets the first event only", async () => {
  const client = new AzureOpenAI({
    endpoint: "http://aoai.test",
    apiKey: "k",
    fetch: () =>
      Promise.resolve(new Response(REPLY, { headers: { "content-type": "text/event-stream" } })),
  });
  const stream = client.chat.completions.stream({
    model: "gpt-4o",
    messages: [{ role: "user", content: "Hi" }],
  });
  const calls: string[] = [];
  const chained = stream.once("chunk", () => calls.push("once")).on(
    "chunk",
    () => calls.push("on"),
  );
  assert.equal(chained, stream);
  await stream.done();
  assert.deepEqual(calls, ["once", "on", "on"]);
});
