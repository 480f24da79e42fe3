import assert from "node:assert/strict";
import { DenoKvTokenQuota } from "./token_quota_deno_kv.ts";
import { heldReads } from "../tests/edge/_kv_hang.ts";

const START = Date.parse("2026-03-14T10:00:00.000Z");
/** Lets every pending promise callback run (a write that would begin, begins). */
const turn = () => new Promise((resolve) => setTimeout(resolve, 0));
const COUNTER = ["aoai-edge-quota", "c", "day", Date.parse("2026-03-14T00:00:00.000Z")];

Deno.test("DenoKvTokenQuota: charges made while one is written wait for it, then go in one write", async () => {
  using kv = await Deno.openKv(":memory:");
  const held = heldReads(kv);
  const quota = new DenoKvTokenQuota(held.kv, { tokens: 100, period: "day", now: () => START });
  const first = quota.charge("c", 5);
  await held.begun(1);
  const more = [quota.charge("c", 7), quota.charge("c", 3)];
  await turn();
  assert.equal(held.reads, 1, "the next write waits for the one under way");
  held.free();
  await Promise.all([first, ...more]);
  assert.equal(held.reads, 2, "one write for the two that waited");
  assert.deepEqual((await kv.get(COUNTER)).value, new Deno.KvU64(15n));
});

Deno.test("DenoKvTokenQuota: a charge waits behind a write under a second old, however long it waited to begin", async () => {
  using kv = await Deno.openKv(":memory:");
  const held = heldReads(kv);
  let now = START;
  const quota = new DenoKvTokenQuota(held.kv, { tokens: 100, period: "day", now: () => now });
  const first = quota.charge("c", 5);
  await held.begun(1);
  now = START + 500;
  const second = quota.charge("c", 7); // waits for the first
  now = START + 1_200;
  held.release(0);
  await first;
  await held.begun(2); // the second's write began at START + 1 200
  now = START + 1_600; // 1.1 s after the second charge, 0.4 s into its write
  const third = quota.charge("c", 3);
  await turn();
  assert.equal(held.reads, 2, "the third waits for the second's write");
  held.free();
  await Promise.all([second, third]);
  assert.deepEqual((await kv.get(COUNTER)).value, new Deno.KvU64(15n));
});
