// chat.completions.stream(): off() of a listener that was never added (or was already removed)
// removes nothing: the event's other listeners still run (pins the not-found path of off()).
import assert from "node:assert/strict";
import { AzureOpenAI } from "../../mod.ts";

const base = { id: "c1", object: "chat.completion.chunk", created: 1, model: "gpt-4o" };
const data = (delta: unknown, finish_reason: string | null = null) =>
  `data: ${JSON.stringify({ ...base, choices: [{ index: 0, delta, finish_reason }] })}\n\n`;
const REPLY = data({ role: "assistant", content: "Hi" }) + data({}, "stop") + "data: [DONE]\n\n";

Deno.test("stream(): off() of a listener not added keeps the event's listeners", async () => {
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
  const first = () => calls.push("first");
  const last = () => calls.push("last");
  stream.on("chunk", first).on("chunk", last);
  stream.off("chunk", () => {}).off("content", last).off("chunk", first).off("chunk", first);
  await stream.done();
  assert.deepEqual(calls, ["last", "last"]);
});
