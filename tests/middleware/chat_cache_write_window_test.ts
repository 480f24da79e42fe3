// The chat cache's read/write window: call A misses and stores its completion; call B, identical,
// starts while A's store write is in flight or lands while B's store read is in flight (a read
// that may answer from before the write). B must be served A's completion (a hit), never sent
// upstream again for an answer already being cached (the embeddings cache's 59d88cc, for chat).
import assert from "node:assert/strict";
import { cache } from "../../src/middleware/cache.ts";
import { compose } from "../../src/middleware/compose.ts";
import type { CacheStore } from "../../src/cache/types.ts";
import { CHAT } from "./_chat_cache.ts";
import { makeContext } from "./_context.ts";

/**
 * A store whose reads answer what it held when they began, once `reads` opens; writes wait for
 * `writes`.
 */
function gatedStore() {
  const map = new Map<string, Uint8Array>();
  const gates = { reads: Promise.resolve(), writes: Promise.resolve() };
  /** Writes begun (a call past its read and its upstream call). */
  const begun = { writes: 0 };
  const store: CacheStore = {
    async get(key) {
      const value = map.get(key) ?? null;
      await gates.reads;
      return value;
    },
    async set(key, value) {
      begun.writes++;
      await gates.writes;
      map.set(key, value);
    },
    delete(key) {
      map.delete(key);
      return Promise.resolve();
    },
  };
  return { store, map, gates, begun };
}

const ticks = async (n: number) => {
  for (let i = 0; i < n; i++) await new Promise((resolve) => setTimeout(resolve, 0));
};

const BODY = { messages: [{ role: "user", content: "hello" }], temperature: 0 };

/** One cache() over `store`, its upstream (opened by `upstream.gate`) and its background writes. */
function setup(store: CacheStore, withWaitUntil: boolean) {
  const background: Promise<unknown>[] = [];
  const upstream = { calls: 0, gate: Promise.resolve() };
  const layer = cache({
    store,
    chat: true,
    waitUntil: withWaitUntil ? (work) => background.push(work) : undefined,
  });
  const run = () =>
    compose([layer], async () => {
      const n = ++upstream.calls;
      await upstream.gate;
      return Response.json({
        id: `chatcmpl-${n}`,
        object: "chat.completion",
        choices: [{
          index: 0,
          message: { role: "assistant", content: "hi" },
          finish_reason: "stop",
        }],
        usage: { prompt_tokens: 5, completion_tokens: 1, total_tokens: 6 },
      });
    })(
      makeContext({
        request: new Request(CHAT, {
          method: "POST",
          body: JSON.stringify(BODY),
          headers: { "content-type": "application/json" },
        }),
      }),
    );
  return { run, upstream, background };
}

/**
 * B (an identical call) starts with its store read held; `landA()` lets A (`first`) end (its
 * answer or its write); B's read answers once A answered and its write landed: B is a hit on A's
 * completion, with one upstream call.
 */
async function heldReadIsHit(
  gates: ReturnType<typeof gatedStore>["gates"],
  { run, upstream, background }: ReturnType<typeof setup>,
  first: Promise<Response>,
  landA: () => void,
): Promise<void> {
  const reads = Promise.withResolvers<void>();
  gates.reads = reads.promise;
  const second = run();
  await ticks(3);
  landA();
  const a = await first;
  assert.equal(a.headers.get("x-aoai-cache"), "miss");
  await a.arrayBuffer();
  await Promise.all(background);
  await ticks(3);
  reads.resolve();
  const b = await second;
  assert.equal(b.headers.get("x-aoai-cache"), "hit");
  assert.equal((await b.json()).id, "chatcmpl-1");
  assert.equal(upstream.calls, 1);
}

Deno.test("cache(): a chat call made while the completion's write is in flight is a hit", async () => {
  const { store, gates } = gatedStore();
  const { run, upstream, background } = setup(store, true);
  const writes = Promise.withResolvers<void>();
  gates.writes = writes.promise;
  const first = await run();
  assert.equal(first.headers.get("x-aoai-cache"), "miss");
  await first.arrayBuffer();

  const second = await run();
  assert.equal(second.headers.get("x-aoai-cache"), "hit");
  assert.equal((await second.json()).id, "chatcmpl-1");
  assert.equal(upstream.calls, 1);
  writes.resolve();
  await Promise.all(background);
});

for (const withWaitUntil of [true, false]) {
  Deno.test(
    `cache(): a chat completion whose write lands during the next call's store read is a hit (${
      withWaitUntil ? "waitUntil" : "awaited write"
    })`,
    async () => {
      const { store, gates, begun } = gatedStore();
      const { run, upstream, background } = setup(store, withWaitUntil);
      const writes = Promise.withResolvers<void>();
      gates.writes = writes.promise;
      // Without waitUntil, A's response waits for its write: B starts while A is writing (its
      // read done: a few ticks were not always enough under load, and then A's read was gated too).
      const first = run();
      for (let i = 0; i < 50 && begun.writes === 0; i++) await ticks(1);
      assert.equal(begun.writes, 1, "A's write began");
      // B reads the store before the write lands; the write lands (and is done) before that read
      // answers.
      await heldReadIsHit(gates, { run, upstream, background }, first, () => writes.resolve());
    },
  );
}

Deno.test("cache(): a chat call whose store read spans the whole of an identical miss (answer and write) is a hit", async () => {
  const { store, gates } = gatedStore();
  const { run, upstream, background } = setup(store, true);
  const answer = Promise.withResolvers<void>();
  upstream.gate = answer.promise;
  const first = run();
  for (let i = 0; i < 50 && upstream.calls === 0; i++) await ticks(1);
  assert.equal(upstream.calls, 1);
  // B starts while A asks upstream; B's read answers only after A answered and its write landed.
  await heldReadIsHit(gates, { run, upstream, background }, first, () => answer.resolve());
});
