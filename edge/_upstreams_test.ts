// The upstream pool on its own, under a clock the test moves: the round-robin cycle of weights,
// the order a plan gives (ready upstreams first, cooling ones once each as last resorts, soonest
// end first), 429 cooldowns (their retry-after, capped at a minute; a second by default), the
// unreachable and refused ones, what `answered()` clears, and the names each upstream knows.
import assert from "node:assert/strict";
import { AzureOpenAI } from "../src/client.ts";
import {
  cycleLength,
  DEFAULT_COOLDOWN_MS,
  MAX_COOLDOWN_MS,
  roundRobinCycle,
  UNREACHABLE_COOLDOWN_MS,
  type UpstreamBalance,
  type UpstreamInit,
  Upstreams,
} from "./_upstreams.ts";

/** A pool of `n` upstreams (`inits` per index) on a clock `clock.now` the test moves. */
function pool(n: number, balance?: UpstreamBalance, inits: Partial<UpstreamInit>[] = []) {
  const clock = { now: 1_000_000 };
  const upstreams = Array.from({ length: n }, (_, i): UpstreamInit => ({
    client: new AzureOpenAI({ endpoint: `https://res${i}.example`, apiKey: `key-${i}` }),
    ...inits[i],
  }));
  return { clock, pool: new Upstreams(upstreams, () => clock.now, balance) };
}

const wait = (seconds: string) => new Headers({ "retry-after": seconds });

Deno.test("roundRobinCycle() spreads each upstream's turns by weight, after dividing by the common divisor", () => {
  assert.deepEqual(roundRobinCycle([1, 1, 1]), [0, 1, 2]);
  assert.deepEqual(roundRobinCycle([3, 1]), [0, 0, 1, 0]);
  assert.deepEqual(roundRobinCycle([2, 4]), [1, 0, 1]);
  assert.deepEqual(roundRobinCycle([5]), [0]);
  assert.equal(cycleLength([6, 4]), 5);
  assert.equal(cycleLength([300_001, 100_000]), 400_001);
});

Deno.test("a plan gives ready upstreams first, then each cooling one once, the soonest end first", () => {
  const { clock, pool: p } = pool(3);
  assert.deepEqual(p.plan("d"), {
    order: [0, 1, 2],
    ready: 3,
    retryAfterMs: Infinity,
    refused: undefined,
    giveBack: undefined,
    forget: undefined,
  });
  p.coolDown(0, "d", wait("3"));
  p.coolDown(1, "d", wait("2"));
  let plan = p.plan("d");
  assert.deepEqual([plan.order, plan.ready], [[2, 1, 0], 1]);
  // Another deployment is not cooling down.
  assert.deepEqual(p.plan("e").order, [0, 1, 2]);
  // A last-resort try spends the cooling upstream's turn until its cooldown ends.
  p.lastResort(1, "d");
  plan = p.plan("d");
  assert.deepEqual([plan.order, plan.ready], [[2, 0], 1]);
  clock.now += 2_000;
  assert.deepEqual(p.plan("d").order, [1, 2, 0]);
  clock.now += 1_000;
  assert.deepEqual(p.plan("d").order, [0, 1, 2]);
});

Deno.test("when every upstream cools down and had its try, the plan is empty with the soonest end", () => {
  const { clock, pool: p } = pool(2);
  p.coolDown(0, "d", wait("5"));
  p.coolDown(1, "d", new Headers({ "retry-after-ms": "1500" }));
  p.lastResort(0, "d");
  p.lastResort(1, "d");
  const plan = p.plan("d");
  assert.deepEqual([plan.order, plan.ready, plan.retryAfterMs, plan.refused], [
    [],
    0,
    1500,
    undefined,
  ]);
  clock.now += 1_499;
  assert.equal(p.plan("d").retryAfterMs, 1);
  clock.now += 1;
  assert.deepEqual(p.plan("d").order, [1]);
});

Deno.test("a 429 cools down for its retry-after, at most a minute, a second without one, not at all for 0", () => {
  const coolingFor = (headers: Headers): number => {
    const { pool: p } = pool(2);
    p.coolDown(0, "d", headers);
    p.lastResort(0, "d");
    p.coolDown(1, "d", wait("3600"));
    p.lastResort(1, "d");
    const plan = p.plan("d");
    return plan.order.length ? 0 : plan.retryAfterMs;
  };
  assert.equal(coolingFor(wait("7")), 7_000);
  assert.equal(coolingFor(wait("3600")), 60_000);
  assert.equal(MAX_COOLDOWN_MS, 60_000);
  assert.equal(coolingFor(new Headers()), 1_000);
  assert.equal(DEFAULT_COOLDOWN_MS, 1_000);
  assert.equal(coolingFor(wait("0")), 0);
});

Deno.test("a 429 on a cooling upstream's last-resort try keeps it from another try in the new cooldown", () => {
  const { clock, pool: p } = pool(2);
  p.coolDown(0, "d", wait("2"));
  p.lastResort(0, "d");
  p.coolDown(0, "d", wait("2"));
  assert.deepEqual(p.plan("d").order, [1]);
  clock.now += 2_000;
  assert.deepEqual(p.plan("d").order, [0, 1]);
  // A new 429 after the cooldown ended starts a cooldown with its try.
  p.coolDown(0, "d", wait("2"));
  assert.deepEqual(p.plan("d").order, [1, 0]);
});

Deno.test("an unreachable upstream cools down for every deployment; answered() ends its cooldowns", () => {
  const { clock, pool: p } = pool(2);
  p.markDown(0);
  assert.deepEqual(p.plan("d").order, [1, 0]);
  assert.deepEqual(p.plan(undefined).order, [1, 0]);
  p.lastResort(0, "d");
  assert.deepEqual(p.plan("e").order, [1]);
  // Down again on its last-resort try: still no other try before the new cooldown ends.
  p.markDown(0);
  assert.deepEqual(p.plan("d").order, [1]);
  clock.now += 4_999;
  assert.deepEqual(p.plan("d").order, [1]);
  clock.now += 1;
  assert.equal(UNREACHABLE_COOLDOWN_MS, 5_000);
  assert.deepEqual(p.plan("d").order, [0, 1]);
  p.markDown(1);
  p.coolDown(1, "d", wait("30"));
  p.answered(1, "d");
  assert.deepEqual(p.plan("d").order, [0, 1]);
});

Deno.test("when every upstream is skipped for the app's credential, the plan says which refusal", () => {
  const refusal = (...why: ("401" | "sign-in" | undefined)[]) => {
    const { pool: p } = pool(why.length);
    why.forEach((r, i) => {
      p.markDown(i, r);
      p.lastResort(i, "d");
    });
    const plan = p.plan("d");
    assert.deepEqual(plan.order, []);
    return plan.refused;
  };
  assert.equal(refusal("401", "401"), "401");
  assert.equal(refusal("401", "sign-in"), "sign-in");
  assert.equal(refusal("sign-in", "sign-in"), "sign-in");
  assert.equal(refusal("401", undefined), undefined);
  // Every upstream refused, but not yet tried as a last resort: they are the order, no refusal.
  const { pool: p } = pool(2);
  p.markDown(0, "401");
  p.markDown(1, "401");
  assert.deepEqual([p.plan("d").order, p.plan("d").refused], [[0, 1], undefined]);
});

Deno.test("a single upstream is always tried: nothing cools it down", () => {
  const { pool: p } = pool(1);
  p.coolDown(0, "d", wait("30"));
  p.markDown(0, "401");
  p.lastResort(0, "d");
  assert.deepEqual([p.plan("d").order, p.plan("d").ready], [[0], 1]);
});

Deno.test("an upstream's own deployment names: deploymentOf() and shared cooldowns", () => {
  const names = new Map([["a", "own"], ["b", "own"]]);
  const { pool: p } = pool(2, undefined, [{}, { names }]);
  assert.equal(p.deploymentOf(1, "a"), "own");
  assert.equal(p.deploymentOf(1, "c"), "c");
  assert.equal(p.deploymentOf(0, "a"), "a");
  assert.equal(p.deploymentOf(1, undefined), undefined);
  assert.equal(p.list[1].names, names);
  assert.equal(p.list[0].names, undefined);
  assert.equal(p.list[1].host, "res1.example");
  assert.equal(p.primary, p.list[0]);
  // Upstream 1 knows a and b as one deployment: a 429 for one cools the other down there.
  p.coolDown(1, "a", wait("5"));
  assert.deepEqual(p.plan("b").order, [0, 1]);
  assert.equal(p.plan("b").ready, 1);
  p.coolDown(0, "a", wait("5"));
  assert.equal(p.plan("b").ready, 1);
  assert.deepEqual(p.plan("b").order, [0, 1]);
  const a = p.plan("a");
  assert.deepEqual([a.order, a.ready], [[0, 1], 0]);
});

Deno.test("an upstream keeps the cooldowns of 1,000 deployments: the 1,001st drops the oldest", () => {
  const { pool: p } = pool(2);
  p.coolDown(1, "d0", wait("30"));
  for (let i = 1; i < 1_000; i++) p.coolDown(1, `d${i}`, wait("30"));
  assert.equal(p.plan("d0").ready, 1, "1,000 kept");
  p.coolDown(1, "d1000", wait("30"));
  assert.equal(p.plan("d0").ready, 2, "the oldest dropped");
  assert.equal(p.plan("d1").ready, 1);
  assert.equal(p.plan("d1000").ready, 1);
});

Deno.test("a cooldown ended, or ending now, does not count towards the 1,000 kept", () => {
  for (const past of [1_000, 1_500]) {
    const { clock, pool: p } = pool(2);
    p.coolDown(1, "live", wait("60"));
    for (let i = 1; i < 1_000; i++) p.coolDown(1, `d${i}`, wait("1"));
    clock.now += past;
    p.coolDown(1, "new", wait("60"));
    assert.equal(p.plan("live").ready, 1, `${past} ms on: the live cooldown is kept`);
  }
});

Deno.test("a 429 without a wait (retry-after: 0) ends the deployment's cooldown", () => {
  const { pool: p } = pool(2);
  p.coolDown(0, "d", wait("30"));
  assert.equal(p.plan("d").ready, 1);
  p.coolDown(0, "d", wait("0"));
  assert.deepEqual([p.plan("d").order, p.plan("d").ready], [[0, 1], 2]);
});

Deno.test("cooling upstreams with the same end are tried in list order", () => {
  const { pool: p } = pool(4);
  for (const i of [3, 1, 2]) p.coolDown(i, "d", wait("5"));
  assert.deepEqual(p.plan("d").order, [0, 1, 2, 3]);
  p.coolDown(0, "d", wait("5"));
  assert.deepEqual(p.plan("d").order, [0, 1, 2, 3]);
  assert.equal(p.plan("d").ready, 0);
});

Deno.test("a refusal that ended does not count: the app's 401 only while every refusal runs", () => {
  const { clock, pool: p } = pool(2);
  p.markDown(0, "401");
  assert.equal(p.plan("d").refused, undefined, "not while an upstream is left to try");
  clock.now += UNREACHABLE_COOLDOWN_MS;
  p.coolDown(0, "d", wait("30"));
  p.lastResort(0, "d");
  p.markDown(1, "401");
  p.lastResort(1, "d");
  const plan = p.plan("d");
  assert.deepEqual([plan.order, plan.refused], [[], undefined]);
});

Deno.test("an upstream's names: an empty map is none", () => {
  const { pool: p } = pool(2, undefined, [{ names: new Map() }]);
  assert.equal(p.list[0].names, undefined);
});

/** The first upstream of the next `n` plans for `deployment`. */
const starts = (p: Upstreams, n: number, deployment = "d") =>
  Array.from({ length: n }, () => p.plan(deployment).order[0]);

Deno.test("round-robin: weights default to 1 beside given ones; each deployment has its own turns", () => {
  const { pool: p } = pool(2, "round-robin", [{ weight: 3 }]);
  assert.deepEqual(starts(p, 8), [0, 0, 1, 0, 0, 0, 1, 0]);
  assert.deepEqual(starts(p, 2, "e"), [0, 0]);
  const single = pool(1, "round-robin").pool.plan("d");
  assert.deepEqual([single.order, single.giveBack, single.forget], [[0], undefined, undefined]);
});

Deno.test("round-robin: giveBack() undoes a plan's turn unless a later plan took one; forget() only for a first plan", () => {
  const { pool: p } = pool(3, "round-robin");
  const first = p.plan("d");
  assert.ok(first.forget);
  first.giveBack!();
  assert.deepEqual(starts(p, 1), [0], "a first plan's turn given back");
  const second = p.plan("d");
  assert.equal(second.order[0], 1);
  assert.equal(second.forget, undefined, "the name has turns already");
  second.giveBack!();
  assert.deepEqual(starts(p, 1), [1], "given back to the turn before");
  const taken = p.plan("d");
  assert.equal(taken.order[0], 2);
  assert.deepEqual(starts(p, 1), [0]);
  taken.giveBack!();
  assert.deepEqual(starts(p, 1), [1], "a later plan took a turn: not given back");
});

Deno.test("round-robin keeps the turns of 1,000 names, the least recently planned dropped first", () => {
  const { pool: p } = pool(3, "round-robin");
  starts(p, 1, "a");
  for (let i = 1; i < 1_000; i++) starts(p, 1, `n${i}`);
  // "a" planned again: the most recent; n1 is now the oldest.
  assert.deepEqual(starts(p, 1, "a"), [1]);
  starts(p, 1, "n1000");
  assert.deepEqual(starts(p, 1, "a"), [2], "a kept its turns");
  assert.deepEqual(starts(p, 1, "n2"), [1], "n2 kept");
  assert.deepEqual(starts(p, 1, "n1"), [0], "n1 dropped: it starts over");
});

Deno.test("down again: its last-resort try carries over only while the cooldown runs, and only if it was had", () => {
  const { clock, pool: p } = pool(2);
  p.markDown(0);
  p.markDown(0);
  assert.deepEqual(p.plan("d").order, [1, 0], "no try had: still a last resort");
  p.lastResort(0, "d");
  clock.now += UNREACHABLE_COOLDOWN_MS;
  p.markDown(0);
  assert.deepEqual(p.plan("d").order, [1, 0], "the cooldown with the try ended as it came");
});
