/**
 * The edge app's chat cache on Workers (writes handed to `waitUntil`): a deterministic miss,
 * streamed or not, whose completion is still being written to the store when an identical call
 * arrives. That call is a hit (streamed: the same chunks replayed), not a second upstream call.
 * (A call between a streamed miss's [DONE] and its write's start: see
 * tests/edge/chat_cache_stream_store_gap_test.ts.)
 */
import assert from "node:assert/strict";
import { assertHi, gatedApp, ticks } from "./_chat_cache.ts";

/**
 * An app with chat caching over a store whose writes wait until `finish`, asked `prompt` (a
 * prompt of its own: a test that fails leaves its write pending); its upstream calls.
 */
function setup(prompt: string) {
  const app = gatedApp(prompt);
  const writes = Promise.withResolvers<void>();
  app.gates.writes = writes.promise;
  return {
    ...app,
    /** Waits (a few ticks, 50 at most) until the store was asked to write. */
    writing: async () => {
      await ticks(() => app.gates.sets > 0);
      assert.equal(app.gates.sets, 1, "the completion's write is in flight");
    },
    finish: async () => {
      writes.resolve();
      await app.settled();
    },
  };
}

for (const first of [true, false]) {
  for (const second of [true, false]) {
    const name = (stream: boolean) => stream ? "streamed" : "non-streamed";
    Deno.test(`app: a ${name(second)} chat call while a ${name(first)} miss's completion is being written is a hit`, async () => {
      const app = setup(`${name(first)} then ${name(second)}`);
      const a = await app.call(first);
      assert.equal(a.headers.get("x-aoai-cache"), "miss");
      const aText = await a.text();
      // A streamed miss hands its completion to the cache after its body ended.
      await app.writing();
      const b = await app.call(second);
      assert.equal(b.headers.get("x-aoai-cache"), "hit");
      const bText = await b.text();
      assert.equal(app.calls(), 1);
      assertHi(bText, second);
      assert.ok(aText.length > 0);
      await app.finish();
      assert.equal(app.map.size, 1);
    });
  }
}
