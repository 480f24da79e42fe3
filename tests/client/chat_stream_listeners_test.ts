// chat.completions.stream()'s listeners: off() of a listener that was never added (or was already
// removed) removes nothing, the event's other listeners still run (pins the not-found path of
// off()); once() returns the stream, as on() and off() do (the SDK's three chain), and its
// listener runs for the first event only.
import assert from "node:assert/strict";
import { AzureOpenAI } from "../../mod.ts";

const base = { id: "c1", object: "chat.completion.chunk", created: 1, model: "gpt-4o" };
const data = (delta: unknown, finish_reason: string | null = null) =>
  `data: ${JSON.stringify({ ...base, choices: [{ index: 0, delta, finish_reason }] })}\n\n`;
const REPLY = data({ role: "assistant", content: "Hi" }) + data({}, "stop") + "data: [DONE]\n\n";

function stream() {
  const client = new AzureOpenAI({
    endpoint: "http://aoai.test",
    apiKey: "k",
    fetch: () =>
      Promise.resolve(new Response(REPLY, { headers: { "content-type": "text/event-stream" } })),
  });
  return client.chat.completions.stream({
    model: "gpt-4o",
    messages: [{ role: "user", content: "Hi" }],
  });
}

Deno.test("stream(): off() of a listener not added keeps the event's listeners", async () => {
  const s = stream();
  const calls: string[] = [];
  const first = () => calls.push("first");
  const last = () => calls.push("last");
  s.on("chunk", first).on("chunk", last);
  s.off("chunk", () => {}).off("content", last).off("chunk", first).off("chunk", first);
  await s.done();
  assert.deepEqual(calls, ["last", "last"]);
});

Deno.test("stream(): once() chains, and its listener gets the first event only", async () => {
  const s = stream();
  const calls: string[] = [];
  const chained = s.once("chunk", () => calls.push("once")).on("chunk", () => calls.push("on"));
  assert.equal(chained, s);
  await s.done();
  assert.deepEqual(calls, ["once", "on", "on"]);
});
