import assert from "node:assert/strict";
import { TokenBucket } from "./_token_bucket.ts";

// 60,000 per minute = 1 unit per ms, so levels and waits read directly in ms.

Deno.test("TokenBucket starts full at min(burst, perMinute), at least 1", () => {
  assert.equal(new TokenBucket(60_000, 500, 0).capacity, 500);
  assert.equal(new TokenBucket(60_000, 500, 0).level(0), 500);
  assert.equal(new TokenBucket(100, 500, 0).capacity, 100);
  assert.equal(new TokenBucket(0.5, 0.2, 0).capacity, 1);
  assert.equal(new TokenBucket(0.5, 0.2, 0).level(0), 1);
  assert.equal(new TokenBucket(120, 50, 0).perMinute, 120);
});

Deno.test("TokenBucket refills at perMinute / 60 s from each read, up to the capacity", () => {
  const bucket = new TokenBucket(60_000, 500, 1_000);
  assert.equal(bucket.take(500, 1_000), 500);
  assert.equal(bucket.level(1_000), 0);
  assert.equal(bucket.level(1_001), 1, "1 ms refills 1 unit");
  assert.equal(bucket.level(1_300), 300);
  assert.equal(bucket.level(9_000), 500, "never above the capacity");
  const slow = new TokenBucket(600, 600, 0); // 1 unit per 100 ms
  slow.take(600, 0);
  assert.equal(slow.level(250), 2.5);
});

Deno.test("TokenBucket ignores a clock that goes back (no refill, no loss)", () => {
  const bucket = new TokenBucket(60_000, 500, 1_000);
  bucket.take(400, 1_000);
  assert.equal(bucket.level(500), 100);
  assert.equal(bucket.level(600), 200, "refills from the latest reading");
});

Deno.test("TokenBucket.waitMs() is 0 when the units are there, else the ms until they are", () => {
  const bucket = new TokenBucket(60_000, 500, 0);
  assert.equal(bucket.waitMs(100, 0), 0);
  assert.equal(bucket.waitMs(500, 0), 0);
  bucket.take(450, 0);
  assert.equal(bucket.waitMs(50, 0), 0, "exactly the level");
  assert.equal(bucket.waitMs(10, 0), 0);
  assert.equal(bucket.waitMs(80, 0), 30);
  assert.equal(bucket.waitMs(80, 10), 20, "the wait counts the refill since");
  assert.equal(bucket.waitMs(10_000, 10), 440, "a cost above the capacity waits for a full bucket");
  const slow = new TokenBucket(600, 600, 0); // 1 unit per 100 ms
  slow.take(600, 0);
  assert.equal(slow.waitMs(1.5, 0), 150);
  assert.equal(slow.waitMs(0.01, 0), 1, "rounded up to whole ms");
});

Deno.test("TokenBucket.take() may go below zero; an infinite cost takes the capacity", () => {
  const bucket = new TokenBucket(60_000, 500, 0);
  assert.equal(bucket.take(700, 0), 700);
  assert.equal(bucket.level(0), -200);
  assert.equal(bucket.level(100), -100, "refills from below zero");
  const inf = new TokenBucket(60_000, 500, 0);
  assert.equal(inf.take(Infinity, 0), 500);
  assert.equal(inf.level(0), 0);
  assert.equal(inf.level(50), 50);
  const later = new TokenBucket(60_000, 500, 0);
  later.take(500, 0);
  assert.equal(later.take(100, 200), 100);
  assert.equal(later.level(200), 100, "take refills first: 200 - 100");
  const idle = new TokenBucket(60_000, 500, 0);
  idle.take(100, 10_000);
  assert.equal(idle.level(10_000), 400, "a full bucket left idle does not refill past full");
});

Deno.test("TokenBucket.giveBack() returns units up to the capacity, after refilling", () => {
  const bucket = new TokenBucket(60_000, 500, 0);
  bucket.take(300, 0);
  bucket.giveBack(100, 0);
  assert.equal(bucket.level(0), 300);
  bucket.giveBack(100, 150); // 300 + 150 refilled + 100
  assert.equal(bucket.level(150), 500, "capped at the capacity");
  const low = new TokenBucket(60_000, 500, 0);
  low.take(500, 0);
  low.giveBack(100, 100);
  assert.equal(low.level(100), 200);
});

Deno.test("TokenBucket.raise() keeps the level, refilled at the old rate up to then", () => {
  const bucket = new TokenBucket(600, 600, 0); // 1 unit per 100 ms
  bucket.take(600, 0);
  bucket.raise(60_000, 1_000, 1_000); // 10 units at the old rate, then 1 per ms
  assert.equal(bucket.perMinute, 60_000);
  assert.equal(bucket.capacity, 1_000);
  assert.equal(bucket.level(1_000), 10);
  assert.equal(bucket.level(1_100), 110);
  assert.equal(bucket.level(5_000), 1_000);
  const tiny = new TokenBucket(600, 600, 0);
  tiny.raise(0.5, 0.2, 0);
  assert.equal(tiny.capacity, 1, "at least 1");
});

Deno.test("TokenBucket.clampTo() lowers the level to what remains, never raises it", () => {
  const bucket = new TokenBucket(60_000, 500, 0);
  bucket.clampTo(200, 0);
  assert.equal(bucket.level(0), 200);
  bucket.clampTo(400, 0);
  assert.equal(bucket.level(0), 200, "not raised");
  bucket.take(200, 0);
  bucket.clampTo(100, 300); // refilled to 300 first, then lowered
  assert.equal(bucket.level(300), 100);
  bucket.clampTo(-50, 300);
  assert.equal(bucket.level(300), 0, "a negative remaining clamps to 0");
  const under = new TokenBucket(60_000, 500, 0);
  under.take(600, 0);
  under.clampTo(-100, 0);
  assert.equal(under.level(0), -100, "a level below zero is not raised to 0");
});
