import assert from "node:assert/strict";
import { DenoKvTokenLimiter } from "./token_limit_deno_kv.ts";
import { heldReads } from "../tests/edge/_kv_hang.ts";
import { gatedCommits } from "../tests/edge/_kv_spy.ts";

const START = Date.parse("2026-03-14T10:00:00.000Z");

Deno.test("DenoKvTokenLimiter: charges that join during a write get a write of their own, with 4 races again", async () => {
  using kv = await Deno.openKv(":memory:");
  // Every conditional write loses: each batch goes aside as a debt after 4.
  const { seen, reached, release } = gatedCommits(kv, "plain", (conditional) => conditional);
  const limiter = new DenoKvTokenLimiter(kv, { tokensPerMinute: 600, now: () => START });
  const first = limiter.charge("c", 5);
  await reached; // the first debt is being written
  const second = limiter.charge("c", 7);
  release();
  await Promise.all([first, second]);
  assert.equal(seen.conditional, 8, "4 races for each batch");
  const debts = await Array.fromAsync(
    kv.list<number[]>({ prefix: ["aoai-edge-tokens", "c", "o"] }),
  );
  assert.deepEqual(debts.map((d) => d.value[0]).sort(), [5, 7], "each batch its own tokens");
});

Deno.test("DenoKvTokenLimiter: after a batch's write failed, the charges that joined meanwhile get every try", async () => {
  using kv = await Deno.openKv(":memory:");
  // Every write fails; the first batch's last try (its debt) waits while a charge joins.
  const { seen, reached, release } = gatedCommits(kv, "plain", () => true);
  const limiter = new DenoKvTokenLimiter(kv, {
    tokensPerMinute: 600,
    maxAttempts: 2,
    now: () => START,
  });
  const first = limiter.charge("c", 5).catch((e) => e);
  await reached;
  const second = limiter.charge("c", 7).catch((e) => e);
  release();
  assert.match(String(await first), /5 tokens not counted.*\(2 tries\)/);
  assert.match(String(await second), /7 tokens not counted.*\(2 tries\)/);
  assert.equal(seen.commits, 4, "2 tries each");
});

Deno.test("DenoKvTokenLimiter: a stale write ending does not drop the charges queue that replaced it", async () => {
  using kv = await Deno.openKv(":memory:");
  const held = heldReads(kv);
  let now = START;
  const limiter = new DenoKvTokenLimiter(held.kv, { tokensPerMinute: 60_000, now: () => now });
  const first = limiter.charge("c", 5);
  now = START + 1_000; // the first write is stale: the next charge starts one of its own
  const second = limiter.charge("c", 7);
  assert.equal(held.reads, 2);
  held.release(0);
  await first;
  const third = limiter.charge("c", 11); // joins the second charge's queue
  assert.equal(held.reads, 2, "no third write beside the second");
  held.free();
  await Promise.all([second, third]);
  assert.deepEqual((await kv.get(["aoai-edge-tokens", "c"])).value, [START + 1_023, START + 1_000]);
});
