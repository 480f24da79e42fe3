/**
 * DenoKvCache keeps a value of up to 60 KiB (61,440 bytes) in its record entry; one byte more is
 * split into chunks of exactly 60 KiB under the record's key.
 */
import assert from "node:assert/strict";
import { DenoKvCache } from "./deno_kv.ts";

function bytes(n: number): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = (i * 13 + 5) & 0xff;
  return out;
}

async function entries(kv: Deno.Kv): Promise<{ key: Deno.KvKey; value: unknown }[]> {
  const out: { key: Deno.KvKey; value: unknown }[] = [];
  for await (const entry of kv.list({ prefix: ["p"] })) out.push(entry);
  return out;
}

Deno.test("DenoKvCache keeps a value of exactly 60 KiB in one entry", async () => {
  using kv = await Deno.openKv(":memory:");
  const cache = new DenoKvCache(kv, { prefix: ["p"] });
  await cache.set("k", bytes(61_440));
  const all = await entries(kv);
  assert.equal(all.length, 1);
  assert.deepEqual(all[0].key, ["p", "k"]);
  assert.deepEqual(await cache.get("k"), bytes(61_440));
});

Deno.test("DenoKvCache splits a value of 60 KiB + 1 into a 61,440-byte chunk and a 1-byte chunk", async () => {
  using kv = await Deno.openKv(":memory:");
  const cache = new DenoKvCache(kv, { prefix: ["p"] });
  await cache.set("k", bytes(61_441));
  const chunks = (await entries(kv)).filter((e) => e.key.length === 4);
  assert.deepEqual(
    chunks.map((c) => [c.key[3], (c.value as Uint8Array).byteLength]),
    [[0, 61_440], [1, 1]],
  );
  assert.deepEqual(await cache.get("k"), bytes(61_441));
});
