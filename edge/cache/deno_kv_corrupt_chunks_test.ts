/**
 * DenoKvCache reads a chunked value whose chunks do not add up to the record's size (a corrupt
 * or foreign entry under its prefix) as absent: chunks longer than the size, or shorter, give
 * `null` rather than a RangeError or bytes padded with zeros.
 */
import assert from "node:assert/strict";
import { DenoKvCache } from "./deno_kv.ts";

const CHUNK = 60 * 1024;

Deno.test("DenoKvCache reads chunks longer or shorter than the record's size as absent", async () => {
  using kv = await Deno.openKv(":memory:");
  const cache = new DenoKvCache(kv);
  const size = CHUNK + 1_000; // two chunks: 61,440 + 1,000 bytes
  const record = { e: 0, s: size, n: 2, id: "x" };
  const write = async (key: string, second: number) => {
    await kv.set(["aoai-cache", key], record);
    await kv.set(["aoai-cache", key, "x", 0], new Uint8Array(CHUNK).fill(1));
    await kv.set(["aoai-cache", key, "x", 1], new Uint8Array(second).fill(2));
  };
  await write("long", CHUNK);
  await write("short", 999);
  await write("exact", 1_000);
  const got = await cache.getMany(["long", "short", "exact"]);
  // Sizes only: a failure message showing 60 KiB of bytes would take long to build.
  assert.deepEqual(got.map((v) => v?.byteLength ?? null), [null, null, size]);
  assert.equal((await cache.get("long"))?.byteLength ?? null, null);
  assert.equal((await cache.get("short"))?.byteLength ?? null, null);
});
