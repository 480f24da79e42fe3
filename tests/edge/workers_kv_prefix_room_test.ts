// A WorkersKvCache prefix that leaves no room for the app's keys (Workers KV keys are at most
// 512 bytes; the longest the app writes is `aoai:emb-model:` and a SHA-256 in hex, 79 bytes) is
// refused when the cache is made, naming `prefix`: it made every get and set throw, which the
// app reported per request as a store failure.
import assert from "node:assert/strict";
import { WorkersKvCache, type WorkersKvNamespace } from "../../edge/mod.ts";

function memoryKv(): WorkersKvNamespace {
  const data = new Map<string, ArrayBuffer>();
  return {
    get: (key) => Promise.resolve(data.get(key) ?? null),
    put: (key, value) => Promise.resolve(void data.set(key, new Uint8Array(value).slice().buffer)),
    delete: (key) => Promise.resolve(void data.delete(key)),
  };
}

const LONGEST_KEY = "aoai:emb-model:" + "e".repeat(64);

for (const prefix of ["p".repeat(434), "é".repeat(217), "p".repeat(500)]) {
  Deno.test(
    `new WorkersKvCache() refuses a ${new TextEncoder().encode(prefix).length}-byte prefix (${
      prefix[0]
    })`,
    () => {
      assert.throws(() => new WorkersKvCache(memoryKv(), { prefix }), (err: unknown) => {
        assert.ok(err instanceof TypeError);
        assert.match(err.message, /^WorkersKvCache: prefix /);
        assert.match(err.message, /433 bytes/);
        return true;
      });
    },
  );
}

Deno.test("a 433-byte prefix still holds the app's longest key", async () => {
  const cache = new WorkersKvCache(memoryKv(), { prefix: "p".repeat(433) });
  await cache.set(LONGEST_KEY, new Uint8Array([1, 2]));
  assert.deepEqual(await cache.get(LONGEST_KEY), new Uint8Array([1, 2]));
});
