/**
 * The edge app's chat cache on Workers (writes handed to `waitUntil`): a deterministic miss,
 * streamed or not, whose completion is still being written to the store when an identical call
 * arrives. That call is a hit (streamed: the same chunks replayed), not a second upstream call.
 * (A call between a streamed miss's [DONE] and its write's start: see
 * tests/edge/chat_cache_stream_store_gap_test.ts.)
 */
import assert from "node:assert/strict";
import { postJson } from "./_helpers.ts";
import {
  CHAT,
  chatCacheApp,
  countingUpstream,
  folded,
  gatedStore,
  requestWork,
  ticks,
} from "./_chat_cache.ts";

/**
 * An app with chat caching over a store whose writes wait until `finish`, asked `prompt` (a
 * prompt of its own: a test that fails leaves its write pending); its upstream calls.
 */
function setup(prompt: string) {
  const BODY = { messages: [{ role: "user", content: prompt }], temperature: 0 };
  const { store, gates } = gatedStore();
  const writes = Promise.withResolvers<void>();
  gates.writes = writes.promise;
  const upstream = countingUpstream();
  const app = chatCacheApp(upstream.client, store);
  const work = requestWork();
  return {
    call: (stream: boolean) => app.fetch(postJson(CHAT, { ...BODY, stream }), undefined, work.ctx),
    calls: () => upstream.calls,
    /** Waits (a few ticks, 50 at most) until the store was asked to write. */
    writing: async () => {
      await ticks(() => gates.sets > 0);
      assert.equal(gates.sets, 1, "the completion's write is in flight");
    },
    map: gates.map,
    finish: async () => {
      writes.resolve();
      await work.settled();
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
      if (second) {
        assert.equal(folded(bText), "Hi|stop");
        assert.ok(bText.endsWith("data: [DONE]\n\n"));
      } else {
        const [choice] = JSON.parse(bText).choices;
        assert.equal(`${choice.message.content}|${choice.finish_reason}`, "Hi|stop");
      }
      assert.ok(aText.length > 0);
      await app.finish();
      assert.equal(app.map.size, 1);
    });
  }
}
