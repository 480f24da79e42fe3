import assert from "node:assert/strict";
import { DenoKvTokenLimiter } from "./token_limit_deno_kv.ts";
import { alwaysRaced, losingCommits, recordSets } from "../tests/edge/_kv_spy.ts";
import { heldReads } from "../tests/edge/_kv_hang.ts";

const START = Date.parse("2026-03-14T10:00:00.000Z");

Deno.test("new DenoKvTokenLimiter() throws its own TypeError for a null KV or no options, and reports its budget", async () => {
  using kv = await Deno.openKv(":memory:");
  assert.throws(
    () => new DenoKvTokenLimiter(null as unknown as Deno.Kv, { tokensPerMinute: 1 }),
    (err) => err instanceof TypeError && /first argument must be a Deno\.Kv/.test(err.message),
  );
  assert.throws(
    () => new DenoKvTokenLimiter(kv, undefined as never),
    (err) => err instanceof TypeError && /tokensPerMinute must be a number/.test(err.message),
  );
  assert.equal(new DenoKvTokenLimiter(kv, { tokensPerMinute: 7 }).tokensPerMinute, 7);
});

Deno.test("DenoKvTokenLimiter.charge() writes nothing for 0 tokens (or any other non-charge)", async () => {
  using kv = await Deno.openKv(":memory:");
  const sets = recordSets(kv);
  const limiter = new DenoKvTokenLimiter(kv, { tokensPerMinute: 600, now: () => START });
  for (const tokens of [0, -3, 1.5]) await limiter.charge("c", tokens);
  assert.deepEqual(sets, []);
});

Deno.test("DenoKvTokenLimiter.charge() expires the entry when the budget is full again, at least 1 ms on", async () => {
  using kv = await Deno.openKv(":memory:");
  const sets = recordSets(kv);
  const options = { now: () => START, prefix: ["t"] };
  await new DenoKvTokenLimiter(kv, { ...options, tokensPerMinute: 600 }).charge("a", 300);
  // 120 000 a minute: a token is half a millisecond.
  await new DenoKvTokenLimiter(kv, { ...options, tokensPerMinute: 120_000 }).charge("b", 1);
  assert.deepEqual(sets, [
    { key: ["t", "a"], value: [START + 30_000, START], expireIn: 30_000 },
    { key: ["t", "b"], value: [START + 0.5, START], expireIn: 1 },
  ]);
});

Deno.test("DenoKvTokenLimiter.charge() writes a debt after 4 lost races, or after 1 when it has 2 tries", async () => {
  using kv = await Deno.openKv(":memory:");
  const sets = recordSets(kv);
  const lost = { count: 0 };
  const raced = alwaysRaced(kv, lost);
  // 600 a minute: 100 ms a token; the debt outlives the budget's refill by an hour.
  await new DenoKvTokenLimiter(raced, { tokensPerMinute: 600, now: () => START }).charge("c", 7);
  assert.equal(lost.count, 4);
  assert.equal(sets.length, 5);
  assert.deepEqual(sets[4].key.slice(0, 3), ["aoai-edge-tokens", "c", "o"]);
  assert.deepEqual(sets[4].value, [7, START]);
  assert.equal(sets[4].expireIn, 700 + 3_600_000);
  const twoTries = { tokensPerMinute: 600, now: () => START, maxAttempts: 1 };
  await new DenoKvTokenLimiter(raced, twoTries).charge("d", 1);
  assert.equal(lost.count, 5, "one conditional write, then the debt");
  assert.deepEqual(sets[sets.length - 1].value, [1, START]);
});

Deno.test("DenoKvTokenLimiter makes at least 2 tries: maxAttempts 1 fails after 2", async () => {
  using kv = await Deno.openKv(":memory:");
  losingCommits(kv);
  const limiter = new DenoKvTokenLimiter(kv, { tokensPerMinute: 100, maxAttempts: 1 });
  await assert.rejects(limiter.charge("c", 3), /3 tokens not counted.*\(2 tries\)/);
});

Deno.test("DenoKvTokenLimiter: a charge joins a write under a second old, however old its client's queue", async () => {
  using kv = await Deno.openKv(":memory:");
  // The first conditional write loses (another isolate wrote first); the rest win.
  let lostOne = false;
  const atomic = kv.atomic.bind(kv);
  kv.atomic = () => {
    const op = atomic();
    const commit = op.commit.bind(op);
    return Object.assign(op, {
      commit: () => lostOne ? commit() : (lostOne = true, Promise.resolve({ ok: false })),
    });
  };
  const held = heldReads(kv);
  let now = START;
  const limiter = new DenoKvTokenLimiter(held.kv, { tokensPerMinute: 60_000, now: () => now });
  const first = limiter.charge("c", 5);
  now = START + 900;
  held.release(0);
  await held.begun(2); // the write is tried again from START + 900
  now = START + 1_500; // the queue is 1.5 s old, its write 0.6 s
  const second = limiter.charge("c", 7);
  assert.equal(held.reads, 2, "the second charge joins that write instead of reading at once");
  held.free();
  await Promise.all([first, second]);
  assert.deepEqual((await kv.get(["aoai-edge-tokens", "c"])).value, [START + 1_512, START + 1_500]);
});
