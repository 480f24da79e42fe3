// A loop over chat.completions.stream() whose body is busy when the stream fails must still end in
// that error (after the chunks queued before it), not as a clean end that looks like a whole
// reply: the error was handed only to a next() already waiting, and lost otherwise.
import assert from "node:assert/strict";
import { AzureOpenAI, InternalServerError } from "../../mod.ts";

const base = { id: "c1", object: "chat.completion.chunk", created: 1, model: "gpt-4o" };
const BODY = [
  { ...base, choices: [{ index: 0, delta: { role: "assistant", content: "Hi" } }] },
  { error: { code: "server_error", message: "boom" } },
].map((c) => `data: ${JSON.stringify(c)}\n\n`).join("");

Deno.test("stream(): a loop busy when the error comes throws it at its next step", async () => {
  const client = new AzureOpenAI({
    endpoint: "http://stream.local",
    apiKey: "k",
    maxRetries: 0,
    fetch: () =>
      Promise.resolve(new Response(BODY, { headers: { "content-type": "text/event-stream" } })),
  });
  const stream = client.chat.completions.stream({
    model: "gpt-4o",
    messages: [{ role: "user", content: "Hi" }],
  });
  const got: string[] = [];
  const ending = stream.emitted("end").catch(() => {});
  // Before: the loop ended cleanly with ["Hi"].
  await assert.rejects(async () => {
    for await (const chunk of stream) {
      got.push(chunk.choices[0].delta?.content ?? "");
      await ending; // busy until the stream has failed
    }
  }, InternalServerError);
  assert.deepEqual(got, ["Hi"]);
});
