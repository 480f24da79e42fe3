// DenoKvTokenLimiter stored the time (epoch ms) at which a client's budget is full again, and read
// it against the reader's clock. A clock set back by an hour (an NTP step, a VM restored) then owed
// every client charged in the last minute an hour more, refusing it for about that hour; an
// isolate whose clock runs ahead of the others' (several Deno Deploy isolates on one KV) wrote
// times the others read as owed for that much longer. An entry now also holds when it was written
// (on the writer's clock): what is owed is counted from the writer's own clock, so a reader whose
// clock is behind the writer's owes no more than the writer did, and writes the entry back on its
// own clock (even from a check that refuses), so it refills from there.
import assert from "node:assert/strict";
import { DenoKvTokenLimiter } from "../../edge/mod.ts";

const START = Date.parse("2026-03-14T10:00:00.000Z");
const HOUR = 3_600_000;
const KEY = ["aoai-edge-tokens", "c"];

Deno.test("DenoKvTokenLimiter: a clock set back an hour refuses a client at its budget for no longer than a minute", async () => {
  using kv = await Deno.openKv(":memory:");
  let now = START;
  const limiter = new DenoKvTokenLimiter(kv, { tokensPerMinute: 600, now: () => now });
  await limiter.charge("c", 600); // the whole budget: full again a minute on
  assert.deepEqual(await limiter.check("c"), { ok: false, retryAfterSeconds: 1 });
  now -= HOUR; // NTP steps the clock back
  assert.deepEqual(await limiter.check("c"), { ok: false, retryAfterSeconds: 1 });
  now += 30_000;
  assert.deepEqual(await limiter.check("c"), { ok: true, retryAfterSeconds: 0, remaining: 300 });
  await limiter.charge("c", 300);
  assert.deepEqual(await limiter.check("c"), { ok: false, retryAfterSeconds: 1 });
  now += 60_000;
  assert.deepEqual(await limiter.check("c"), { ok: true, retryAfterSeconds: 0, remaining: 600 });
});

Deno.test("DenoKvTokenLimiter: an isolate five minutes ahead does not make the others refuse for five minutes", async () => {
  using kv = await Deno.openKv(":memory:");
  let now = START;
  const ahead = new DenoKvTokenLimiter(kv, { tokensPerMinute: 600, now: () => now + 300_000 });
  const right = new DenoKvTokenLimiter(kv, { tokensPerMinute: 600, now: () => now });
  await ahead.charge("c", 660); // a tenth over the budget: owed 6 s
  assert.deepEqual(await right.check("c"), { ok: false, retryAfterSeconds: 7 });
  now += 6_001;
  assert.deepEqual(await right.check("c"), { ok: true, retryAfterSeconds: 0, remaining: 0 });
  now += 30_000;
  assert.deepEqual(await right.check("c"), { ok: true, retryAfterSeconds: 0, remaining: 300 });
  // The other way round: what the lagging isolate writes, the one ahead reads as refilled by its
  // lead (as before: a clock ahead lets through, it never refuses).
  await right.charge("c", 900);
  assert.equal((await right.check("c")).ok, false);
  assert.equal((await ahead.check("c")).ok, true);
});

Deno.test("DenoKvTokenLimiter: a client refused after an isolate ahead wrote refills on the reader's clock", async () => {
  using kv = await Deno.openKv(":memory:");
  let now = START;
  const ahead = new DenoKvTokenLimiter(kv, { tokensPerMinute: 600, now: () => now + 300_000 });
  const right = new DenoKvTokenLimiter(kv, { tokensPerMinute: 600, now: () => now });
  await ahead.charge("c", 1_200); // one big request: owed a minute past the budget
  // Only checks from here (a refused client is charged nothing): they refill the budget.
  assert.deepEqual(await right.check("c"), { ok: false, retryAfterSeconds: 61 });
  now += 30_000;
  assert.deepEqual(await right.check("c"), { ok: false, retryAfterSeconds: 31 });
  now += 31_000;
  assert.equal((await right.check("c")).ok, true);
  const { value } = await kv.get(KEY);
  assert.deepEqual(value, [START + 120_000, START], "written back on the reader's clock");
});

Deno.test("DenoKvTokenLimiter: an over-budget charge is still owed past a minute (a debt is not a clock ahead)", async () => {
  using kv = await Deno.openKv(":memory:");
  let now = START;
  const a = new DenoKvTokenLimiter(kv, { tokensPerMinute: 600, now: () => now });
  const b = new DenoKvTokenLimiter(kv, { tokensPerMinute: 600, now: () => now });
  await a.charge("c", 6_000); // ten minutes' worth
  assert.deepEqual(await b.check("c"), { ok: false, retryAfterSeconds: 541 });
  now += 540_000;
  assert.deepEqual(await b.check("c"), { ok: false, retryAfterSeconds: 1 });
  now += 1;
  assert.equal((await b.check("c")).ok, true);
});

Deno.test("DenoKvTokenLimiter reads an entry of the old format (a number alone) as it was: an upgrade frees no client and refuses none", async () => {
  using kv = await Deno.openKv(":memory:");
  let now = START;
  const limiter = new DenoKvTokenLimiter(kv, { tokensPerMinute: 600, now: () => now });
  // Written before the upgrade: owed 90 s (refused 30 s), owed 30 s (half left), and full again.
  await kv.set(["aoai-edge-tokens", "owing"], START + 90_000);
  await kv.set(["aoai-edge-tokens", "half"], START + 30_000);
  await kv.set(["aoai-edge-tokens", "full"], START - 5_000);
  assert.deepEqual(await limiter.check("owing"), { ok: false, retryAfterSeconds: 31 });
  assert.deepEqual(await limiter.check("half"), { ok: true, retryAfterSeconds: 0, remaining: 300 });
  assert.deepEqual(await limiter.check("full"), { ok: true, retryAfterSeconds: 0, remaining: 600 });
  // A charge adds to the old entry and writes the new format.
  await limiter.charge("half", 60);
  assert.deepEqual((await kv.get(["aoai-edge-tokens", "half"])).value, [START + 36_000, START]);
  now += 30_001;
  assert.deepEqual(await limiter.check("owing"), { ok: true, retryAfterSeconds: 0, remaining: 0 });
});
