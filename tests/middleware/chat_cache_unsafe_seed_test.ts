// A seed past Number.MAX_SAFE_INTEGER is rounded by JSON.parse, and chat keys are made of the
// parse: two requests with different seeds (which the service, reading int64, tells apart) would
// share an entry, the second served the first's answer.
import assert from "node:assert/strict";
import { cache } from "../../src/middleware/cache.ts";
import { compose } from "../../src/middleware/compose.ts";
import { MemoryCache } from "../../src/cache/memory_cache.ts";
import { makeContext } from "./_context.ts";
import { CHAT } from "./_chat_cache.ts";

/** Sends the raw JSON `text` (so big integers reach cache() as written); upstream answers `reply`. */
async function send(store: MemoryCache, text: string, reply: string) {
  const ctx = makeContext({
    request: new Request(CHAT, {
      method: "POST",
      body: text,
      headers: { "content-type": "application/json" },
    }),
  });
  const sent: string[] = [];
  const res = await compose([cache({ store, chat: true })], async (c) => {
    sent.push(await c.request.text());
    return Response.json({
      id: "chatcmpl-1",
      object: "chat.completion",
      choices: [{
        index: 0,
        finish_reason: "stop",
        message: { role: "assistant", content: reply },
      }],
      usage: { prompt_tokens: 5, completion_tokens: 1, total_tokens: 6 },
    });
  })(ctx);
  const body = await res.json();
  return { cache: res.headers.get("x-aoai-cache"), content: body.choices[0].message.content, sent };
}

const body = (seed: string) =>
  `{"messages":[{"role":"user","content":"pick a number"}],"temperature":1,"seed":${seed}}`;

Deno.test("cache() chat: seeds past 2^53 that JSON.parse rounds alike do not share an entry", async () => {
  const store = new MemoryCache();
  // Both parse to 9007199254740992.
  const first = await send(store, body("9007199254740993"), "seven");
  const second = await send(store, body("9007199254740992"), "three");
  assert.equal(first.content, "seven");
  assert.deepEqual(second.sent, [body("9007199254740992")], "the second seed went upstream");
  assert.equal(second.content, "three");
  assert.notEqual(second.cache, "hit");
});

Deno.test("cache() chat: a safe seed (2^53 - 1) is still cached", async () => {
  const store = new MemoryCache();
  const seed = String(Number.MAX_SAFE_INTEGER);
  const miss = await send(store, body(seed), "one");
  const hit = await send(store, body(seed), "two");
  assert.equal(miss.cache, "miss");
  assert.equal(hit.cache, "hit");
  assert.equal(hit.content, "one");
  assert.equal(hit.sent.length, 0);
});
