/**
 * WorkersKvCache's maxOperationsPerRequest is a positive integer or a TypeError naming it: NaN,
 * 0, a negative or fractional number, or a string read by cache() as "no limit" (its
 * `storeLimit > 0` test), so a big embeddings batch ran into Cloudflare's per-invocation limit.
 */
import assert from "node:assert/strict";
import { WorkersKvCache, type WorkersKvNamespace } from "./workers_kv.ts";

const kv: WorkersKvNamespace = {
  get: () => Promise.resolve(null),
  put: () => Promise.resolve(),
  delete: () => Promise.resolve(),
};

Deno.test("new WorkersKvCache() refuses a maxOperationsPerRequest that is not a positive integer", () => {
  for (const bad of [NaN, 0, -1, 1.5, Infinity, "50"]) {
    assert.throws(
      () => new WorkersKvCache(kv, { maxOperationsPerRequest: bad as number }),
      (err: unknown) => {
        assert.ok(err instanceof TypeError, String(err));
        assert.match(err.message, /maxOperationsPerRequest must be a positive integer/);
        return true;
      },
      String(bad),
    );
  }
  assert.equal(new WorkersKvCache(kv, { maxOperationsPerRequest: 1 }).maxOperationsPerRequest, 1);
  assert.equal(new WorkersKvCache(kv).maxOperationsPerRequest, 1_000);
});
