// A client that goes away while the cache is looked up, under a token budget.
import assert from "node:assert/strict";
import type { CacheStore } from "../../src/cache/types.ts";
import { MemoryCache } from "../../edge/mod.ts";
import { recordingLimiter } from "./_helpers.ts";
import { ask, heldApp, turns, USAGE } from "./_token_budget.ts";

/** A cache store whose reads wait until `release()`, then find nothing. */
function slowStore(): CacheStore & { reading: Promise<void>; release(): void } {
  let release = () => {};
  let started = () => {};
  const reading = new Promise<void>((resolve) => started = resolve);
  const gate = new Promise<void>((resolve) => release = resolve);
  return {
    reading,
    release: () => release(),
    async get(): Promise<Uint8Array | null> {
      started();
      await gate;
      return null;
    },
    async set() {},
    async delete() {},
  };
}

for (const stream of [false, true]) {
  Deno.test(`tokenLimit: a ${stream ? "stream" : "request"} abandoned during its cache lookup, before anything went upstream, is not charged`, async () => {
    const r = recordingLimiter();
    const cache = slowStore();
    const { app, state } = heldApp({
      tokenLimit: { limiter: r.limiter },
      cache,
      chatCache: true,
    });
    const controller = new AbortController();
    const body = JSON.stringify({
      messages: [{ role: "user", content: "z".repeat(200) }],
      seed: 1,
      stream,
    });
    const pending = app.fetch(ask(body, controller.signal));
    await cache.reading;
    controller.abort();
    cache.release();
    const res = await pending;
    assert.equal(res.status, 499);
    await res.body?.cancel();
    assert.equal(state.calls, 0, "nothing went upstream");
    await turns();
    assert.deepEqual(r.tokens, [], "no prompt was sent, so none is charged");
  });
}

Deno.test("tokenLimit: a request abandoned after its cache miss went upstream is charged the usage of the upstream's answer", async () => {
  const r = recordingLimiter();
  const { app, state, open } = heldApp({
    tokenLimit: { limiter: r.limiter },
    cache: new MemoryCache(),
    chatCache: true,
  });
  const controller = new AbortController();
  const called = new Promise<void>((resolve) => state.onCall = resolve);
  const body = JSON.stringify({ messages: [{ role: "user", content: "q".repeat(200) }], seed: 2 });
  const pending = app.fetch(ask(body, controller.signal));
  await called;
  controller.abort();
  const res = await pending;
  assert.equal(res.status, 499);
  await res.body?.cancel();
  assert.equal(state.aborted, 0, "the upstream call runs on");
  open();
  await r.reach();
  await turns();
  assert.deepEqual(r.tokens, [USAGE.total_tokens], "charged once, the reply's usage");
});
