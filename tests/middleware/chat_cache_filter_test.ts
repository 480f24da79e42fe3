/**
 * cache() chat against answers whose content filter verdict is not a plain pass: a choice or
 * prompt the filter flagged (`filtered: true`, custom blocklists included) or could not check
 * (`error`: the service answers unfiltered). Such an answer is the filter's verdict of the moment,
 * not the model's: it is passed through, never stored, and an older entry like it is not served.
 */
import assert from "node:assert/strict";
import { chatCacheKey } from "../../src/middleware/_chat_cache.ts";
import { MemoryCache } from "../../src/cache/memory_cache.ts";
import { cachedChat, CHAT } from "./_chat_cache.ts";

const BODY = { messages: [{ role: "user", content: "hello" }], temperature: 0 };
const PASS = { hate: { filtered: false, severity: "safe" } };

function completion(choiceFilter: unknown, promptFilter: unknown = PASS): Record<string, unknown> {
  return {
    id: "chatcmpl-1",
    object: "chat.completion",
    created: 1,
    model: "gpt-4o",
    prompt_filter_results: [{ prompt_index: 0, content_filter_results: promptFilter }],
    choices: [{
      index: 0,
      message: { role: "assistant", content: "hi" },
      finish_reason: "stop",
      content_filter_results: choiceFilter,
    }],
    usage: { prompt_tokens: 5, completion_tokens: 1, total_tokens: 6 },
  };
}

async function call(store: MemoryCache, answer: Record<string, unknown>) {
  const { res, calls } = await cachedChat(store, BODY, answer);
  return { res, json: await res.json(), calls };
}

const FLAGGED: [string, Record<string, unknown>][] = [
  [
    "a choice flagged filtered: true",
    completion({ ...PASS, violence: { filtered: true, severity: "high" } }),
  ],
  [
    "a choice the filter could not check (error)",
    completion({ error: { code: "x", message: "filter error" } }),
  ],
  [
    "a choice blocked by a custom blocklist (2024-10-21 shape)",
    completion({
      ...PASS,
      custom_blocklists: { filtered: true, details: [{ filtered: true, id: "b" }] },
    }),
  ],
  [
    "a choice blocked by a custom blocklist (preview array shape)",
    completion({ ...PASS, custom_blocklists: [{ filtered: true, id: "b" }] }),
  ],
  [
    "a prompt the filter could not check (error)",
    completion(PASS, { error: { code: "x", message: "e" } }),
  ],
];

for (const [name, answer] of FLAGGED) {
  Deno.test(`cache() chat: ${name} is passed through and not stored`, async () => {
    const store = new MemoryCache();
    const miss = await call(store, answer);
    assert.equal(miss.res.headers.get("x-aoai-cache"), "miss");
    assert.deepEqual(miss.json, answer);
    assert.equal(store.size, 0, "nothing stored");
    const next = await call(store, answer);
    assert.equal(next.calls, 1, "the next identical call goes upstream");
  });
}

Deno.test("cache() chat: an older entry with a flagged choice is not served", async () => {
  const store = new MemoryCache();
  const key = await chatCacheKey(BODY, new URL(CHAT), "2024-10-21", "");
  const stale = completion({ ...PASS, sexual: { filtered: true, severity: "medium" } });
  await store.set(key!, new TextEncoder().encode(JSON.stringify(stale)));
  const res = await call(store, completion(PASS));
  assert.equal(res.calls, 1);
  assert.equal(res.res.headers.get("x-aoai-cache"), "miss");
  const hit = await call(store, completion(PASS));
  assert.equal(hit.res.headers.get("x-aoai-cache"), "hit", "the clean answer replaced it");
  assert.equal(hit.json.choices[0].content_filter_results.sexual, undefined);
});

Deno.test("cache() chat: annotations that blocked nothing (detected, severity) are stored", async () => {
  const store = new MemoryCache();
  const annotated = completion({
    ...PASS,
    violence: { filtered: false, severity: "low" },
    protected_material_code: { filtered: false, detected: true, citation: { URL: "u" } },
    custom_blocklists: { filtered: false, details: [] },
  }, { ...PASS, jailbreak: { filtered: false, detected: true } });
  await call(store, annotated);
  const hit = await call(store, annotated);
  assert.equal(hit.calls, 0);
  assert.equal(hit.res.headers.get("x-aoai-cache"), "hit");
});
