/**
 * The edge app's chat cache on Workers (writes handed to `waitUntil`): the gap between a streamed
 * miss's `[DONE]` and its completion being registered as "being written". The store work the
 * miss starts at its [DONE] (forward, key hashing, a store read, the claim) is held at its store
 * read here; an identical call made meanwhile (the first client has its whole reply) is a hit, not
 * a second upstream call, and the completion is written to the store once.
 */
import assert from "node:assert/strict";
import { assertHi, folded, gatedApp, ticks } from "./_chat_cache.ts";

/**
 * An app with chat caching (writes through ctx.waitUntil) over a store that, once `hold()` was
 * called, holds the next read until `release()`; asked `prompt` (its own, so a failing test's
 * held read touches no other).
 */
function setup(prompt: string) {
  const app = gatedApp(prompt);
  const { gates } = app;
  const gate = Promise.withResolvers<void>();
  gates.reads = gate.promise;
  return {
    ...app,
    /**
     * Holds the store read after the next one: the miss's lookup reads first, then its store work
     * reads before it claims and writes (set before the miss: its [DONE] may be read, and its
     * store work start, before the call's response is back).
     */
    hold: () => void (gates.holdNext = true, gates.pass = 1),
    /** Waits until the held read began, then holds no other. */
    heldRead: async () => {
      await ticks(() => gates.held > 0);
      gates.holdNext = false;
      assert.equal(gates.held, 1, "the streamed miss's store work is at its store read");
    },
    release: async () => {
      gate.resolve();
      await app.settled();
    },
    sets: () => gates.sets,
  };
}

for (const second of [true, false]) {
  const name = second ? "streamed" : "non-streamed";
  Deno.test(`app: a ${name} chat call right after a streamed miss's [DONE], before its store work registered it, is a hit (waitUntil)`, async () => {
    const app = setup(`gap then ${name}`);
    app.hold();
    const a = await app.call(true);
    assert.equal(a.headers.get("x-aoai-cache"), "miss");
    assert.equal(folded(await a.text()), "Hi|stop");
    await app.heldRead();
    try {
      const b = await app.call(second);
      const bText = await b.text();
      assert.equal(app.calls(), 1, "one upstream call for both");
      assert.equal(b.headers.get("x-aoai-cache"), "hit");
      assertHi(bText, second);
    } finally {
      await app.release();
    }
    assert.equal(app.map.size, 1, "the completion was stored");
    assert.equal(app.sets(), 1, "written once");
  });
}
