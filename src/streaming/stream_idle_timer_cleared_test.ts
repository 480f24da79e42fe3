// idleTimeoutMs bounds each wait for a chunk: the timer of a read that got its chunk is cleared,
// so a consumer that takes its time between reads is never timed out by an earlier wait's timer.
import assert from "node:assert/strict";
import { Stream } from "./stream.ts";

Deno.test("Stream clears the idle timer of every read that got its chunk", async () => {
  type Id = ReturnType<typeof setTimeout>;
  const started = new Set<Id>();
  const cleared = new Set<Id>();
  const realSet = globalThis.setTimeout;
  const realClear = globalThis.clearTimeout;
  globalThis.setTimeout = ((fn: () => void, ms?: number) => {
    const id = realSet(fn, ms);
    started.add(id);
    return id;
  }) as typeof setTimeout;
  globalThis.clearTimeout = ((id?: Id) => {
    if (id !== undefined) cleared.add(id);
    realClear(id);
  }) as typeof clearTimeout;
  try {
    const body = 'data: {"n":1}\n\ndata: {"n":2}\n\ndata: [DONE]\n\n';
    const stream = new Stream<{ n: number }>(new Response(body), { idleTimeoutMs: 60_000 });
    const seen: number[] = [];
    for await (const chunk of stream) seen.push(chunk.n);
    assert.deepEqual(seen, [1, 2]);
    assert.ok(started.size > 0, "the stream set idle timers");
    assert.deepEqual([...started].filter((id) => !cleared.has(id)), []);
  } finally {
    globalThis.setTimeout = realSet;
    globalThis.clearTimeout = realClear;
    for (const id of started) realClear(id);
  }
});
