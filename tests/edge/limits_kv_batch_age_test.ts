// DenoKvRateLimiter sends the overlapping takes of one client to Deno KV as one batch, and a take
// starts a batch of its own only behind a batch a second old or more (a read that hangs). A
// batch's age counts from when it went to KV, not from when its client's queue began, and a
// queue that outlived its turn does not drop the queue that replaced it.
import assert from "node:assert/strict";
import { DenoKvRateLimiter } from "../../edge/mod.ts";
import { heldReads } from "./_kv_hang.ts";

const START = Date.parse("2026-03-14T10:00:00.000Z");

Deno.test("DenoKvRateLimiter: a take joins a batch under a second old, however old its client's queue", async () => {
  using kv = await Deno.openKv(":memory:");
  const held = heldReads(kv);
  let now = START;
  const limiter = new DenoKvRateLimiter(held.kv, { requestsPerMinute: 10, now: () => now });
  const first = limiter.take("c");
  const second = limiter.take("c"); // waits for the next batch
  now = START + 900;
  held.release(0);
  await first;
  await held.begun(2); // the second take's batch went to KV at START + 900
  now = START + 1_500; // the queue is 1.5 s old, its batch 0.6 s
  const third = limiter.take("c");
  assert.equal(held.reads, 2, "the third take waits for its turn instead of reading at once");
  held.free();
  const decisions = await Promise.all([second, third]);
  assert.deepEqual(decisions.map((d) => d.remaining), [8, 7]);
});

Deno.test("DenoKvRateLimiter: a stale batch ending does not drop the batch that replaced it", async () => {
  using kv = await Deno.openKv(":memory:");
  const held = heldReads(kv);
  let now = START;
  const limiter = new DenoKvRateLimiter(held.kv, { requestsPerMinute: 10, now: () => now });
  const first = limiter.take("c");
  now = START + 1_000; // the first batch is stale: the next take starts one of its own
  const second = limiter.take("c");
  assert.equal(held.reads, 2);
  held.release(0);
  assert.equal((await first).ok, true);
  const third = limiter.take("c"); // joins the second take's queue
  assert.equal(held.reads, 2, "no third batch beside the second");
  held.free();
  const decisions = await Promise.all([second, third]);
  assert.ok(decisions.every((d) => d.ok));
  assert.deepEqual(decisions.map((d) => d.remaining).sort(), [7, 8]);
});
