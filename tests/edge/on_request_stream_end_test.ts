// An event stream the client stops reading at its last event got the whole reply: the onRequest
// event must say so (no ClientClosedRequest, with the usage it carried). This package's own
// client stops at `[DONE]` (it cancels the body there, before the body's end), so every chat
// stream it read through the app was reported as cancelled, without usage.
import assert from "node:assert/strict";
import { AzureOpenAI } from "../../src/client.ts";
import type { EdgeRequestEvent } from "../../edge/mod.ts";
import { KEY, testApp } from "./_helpers.ts";

/** An app reporting its onRequest events, and a client of this package in front of it. */
function setup() {
  let delivered!: (event: EdgeRequestEvent) => void;
  const event = new Promise<EdgeRequestEvent>((resolve) => delivered = resolve);
  const t = testApp({ onRequest: (e) => delivered(e) });
  const client = new AzureOpenAI({
    endpoint: "http://edge.test",
    apiKey: KEY,
    fetch: (req, init) => t.app.fetch(new Request(req, init)),
    maxRetries: 0,
  });
  return { client, event };
}

Deno.test("onRequest: a chat stream this package's client reads to [DONE] is not ClientClosedRequest, and has its usage", async () => {
  const { client, event } = setup();
  const stream = await client.chat.completions.create({
    model: "gpt-4o",
    messages: [{ role: "user", content: "one two three" }],
    stream: true,
    stream_options: { include_usage: true },
  });
  let usage: number | undefined;
  for await (const chunk of stream) usage = chunk.usage?.total_tokens ?? usage;
  assert.ok(usage! > 0);
  const e = await event;
  assert.equal(e.status, 200);
  assert.equal(e.error, undefined);
  assert.equal(e.usage?.total_tokens, usage);
});

Deno.test("onRequest: a client that cancels a chat stream right after [DONE] is not ClientClosedRequest", async () => {
  let delivered!: (event: EdgeRequestEvent) => void;
  const event = new Promise<EdgeRequestEvent>((resolve) => delivered = resolve);
  const t = testApp({ onRequest: (e) => delivered(e) });
  const res = await t.call("/openai/deployments/gpt-4o/chat/completions?api-version=2024-10-21", {
    json: { messages: [{ role: "user", content: "hi" }], stream: true },
  });
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let text = "";
  while (!/data: \[DONE\]\s*$/.test(text)) {
    const { done, value } = await reader.read();
    assert.ok(!done, "the body ended before [DONE] was read");
    text += decoder.decode(value, { stream: true });
  }
  await reader.cancel();
  const e = await event;
  assert.equal(e.error, undefined);
});

Deno.test("onRequest: a chat stream cancelled before [DONE] is still ClientClosedRequest", async () => {
  let delivered!: (event: EdgeRequestEvent) => void;
  const event = new Promise<EdgeRequestEvent>((resolve) => delivered = resolve);
  const t = testApp({ onRequest: (e) => delivered(e) });
  const res = await t.call("/openai/deployments/gpt-4o/chat/completions?api-version=2024-10-21", {
    json: { messages: [{ role: "user", content: "hi" }], stream: true },
  });
  const reader = res.body!.getReader();
  assert.equal((await reader.read()).done, false);
  await reader.cancel();
  assert.equal((await event).error, "ClientClosedRequest");
});
