/**
 * The edge app's chat cache and a streamed deterministic miss whose upstream connection breaks
 * AFTER its `data: [DONE]` (the reply arrived whole; only the connection's end was unclean): the
 * completion is stored once, and the next identical call is a hit replaying the same reply. A
 * stream cut BEFORE its [DONE] is never stored. A client that stops reading after [DONE] (before
 * the body closed) is a cancel: nothing is stored from it either way, and no error escapes.
 */
import assert from "node:assert/strict";
import { sentThen } from "./_stream_upstream.ts";
import {
  assertNotStored,
  DONE,
  folded,
  HI_THERE as REPLY,
  streamedMissApp,
} from "./_chat_cache.ts";

/**
 * An app with chat caching whose upstream streams `sent`, then fails (a reset); `waitUntil`:
 * writes go through the request's ctx.waitUntil (Workers), else they are awaited (Deno).
 */
const setup = (sent: string, waitUntil: boolean) =>
  streamedMissApp(
    () => sentThen(sent, new TypeError("error reading a body from connection: connection reset")),
    waitUntil,
    "hello",
  );

for (const waitUntil of [false, true]) {
  const where = waitUntil ? "waitUntil" : "awaited write";

  Deno.test(`app: a streamed chat miss reset after its [DONE] is stored, and the next call replays it (${where})`, async () => {
    const app = setup(REPLY + DONE, waitUntil);
    const miss = await app.call();
    assert.equal(miss.headers.get("x-aoai-cache"), "miss");
    const missText = await miss.text();
    assert.equal(folded(missText, ""), "Hi therestop");
    await app.settled();
    assert.equal(app.store.size, 1, "the whole reply was stored");

    const hit = await app.call();
    assert.equal(hit.headers.get("x-aoai-cache"), "hit");
    const hitText = await hit.text();
    assert.equal(folded(hitText, ""), "Hi therestop");
    assert.ok(hitText.endsWith("data: [DONE]\n\n"));
    assert.equal(app.calls(), 1);
    assert.deepEqual(app.errors, []);
  });

  Deno.test(`app: a streamed chat miss reset before its [DONE] is not stored (${where})`, async () => {
    const app = setup(REPLY, waitUntil);
    await assertNotStored(app);
  });

  Deno.test(`app: a streamed chat miss the client stops reading after [DONE] stores the reply once and fails nothing (${where})`, async () => {
    // The upstream's body stays open after [DONE]: the client's cancel is what ends it.
    let cancelled: unknown = "not cancelled";
    const app = streamedMissApp(
      () =>
        new ReadableStream<Uint8Array>({
          start: (c) => c.enqueue(new TextEncoder().encode(REPLY + DONE)),
          cancel: (reason) => void (cancelled = reason),
        }),
      waitUntil,
      "bye",
    );
    const miss = await app.call();
    const reader = miss.body!.pipeThrough(new TextDecoderStream()).getReader();
    let text = "";
    for (let i = 0; i < 20 && !text.includes("[DONE]"); i++) {
      const { value, done } = await reader.read();
      if (done) break;
      text += value;
    }
    assert.ok(text.includes("data: [DONE]"));
    await reader.cancel();
    await app.settled();
    assert.notEqual(cancelled, "not cancelled", "the client's cancel reached the upstream");
    assert.equal(app.store.size, 1, "the reply was whole: stored");
    assert.deepEqual(app.errors, []);
  });
}
