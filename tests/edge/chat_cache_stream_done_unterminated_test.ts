/**
 * The edge app's chat cache and a streamed deterministic miss whose `data: [DONE]` block the
 * upstream's end cut off (`data: [DONE]\n` or `data: [DONE]` with no blank line after it, then a
 * connection reset or a clean close). The app counts such a reply whole for the client (its
 * stream ends cleanly, no cut reported, as this package's client and the openai SDK end it
 * quietly); the cache agrees: the reply is stored, and the next identical call is a hit. At the
 * stream's end the pending block is ended as the client's is, so a chunk cut before [DONE] still
 * stores nothing.
 */
import assert from "node:assert/strict";
import { AzureOpenAI } from "../../src/client.ts";
import { KEY } from "./_helpers.ts";
import { sentThen } from "./_stream_upstream.ts";
import { assertNotStored, HI_THERE as REPLY, streamedMissApp } from "./_chat_cache.ts";

const reset = () => new TypeError("error reading a body from connection: connection reset");

/** An app with chat caching whose upstream streams `sent`, then ends with `end`. */
function setup(sent: string, end: () => "close" | Error, waitUntil: boolean, prompt: string) {
  const app = streamedMissApp(() => sentThen(sent, end()), waitUntil, prompt);
  // A client of this package in front of the app (its requests with the request's ctx).
  const client = new AzureOpenAI({
    endpoint: "http://edge.test",
    apiKey: KEY,
    maxRetries: 0,
    fetch: (req) => app.app.fetch(req, undefined, app.ctx),
  });
  return {
    ...app,
    /** The reply as this package's client reads it: content and finish reasons, and the header. */
    read: async () => {
      const { data, response } = await client.chat.completions.create({
        model: "gpt-4o",
        messages: [{ role: "user", content: prompt }],
        temperature: 0,
        stream: true,
      }).withResponse();
      let text = "";
      for await (const chunk of data) {
        for (const c of chunk.choices) text += c.delta?.content ?? c.finish_reason ?? "";
      }
      return { text, cache: response.headers.get("x-aoai-cache") };
    },
  };
}

const ENDINGS: [string, string, () => "close" | Error][] = [
  ["data: [DONE]\\n, then a reset", "data: [DONE]\n", reset],
  ["data: [DONE] (no line end), then a reset", "data: [DONE]", reset],
  ["data: [DONE]\\n, then a clean close", "data: [DONE]\n", () => "close"],
];

for (const waitUntil of [false, true]) {
  const where = waitUntil ? "waitUntil" : "awaited write";
  for (const [name, ending, end] of ENDINGS) {
    Deno.test(`app: a streamed chat miss ending ${name} is whole for the client and stored (${where})`, async () => {
      const app = setup(REPLY + ending, end, waitUntil, `${name} ${where}`);
      // The client reads the whole reply and its stream ends without an error; no cut reported.
      assert.deepEqual(await app.read(), { text: "Hi therestop", cache: "miss" });
      assert.deepEqual(app.errors, []);
      await app.settled();
      assert.equal(app.store.size, 1, "the reply the client got whole was stored");
      assert.deepEqual(await app.read(), { text: "Hi therestop", cache: "hit" });
      assert.equal(app.calls(), 1);
    });
  }

  Deno.test(`app: a streamed chat miss whose last chunk's block is cut before any [DONE] is not stored (${where})`, async () => {
    const app = setup(REPLY.slice(0, -1), reset, waitUntil, `cut chunk ${where}`);
    await assertNotStored(app);
  });
}
