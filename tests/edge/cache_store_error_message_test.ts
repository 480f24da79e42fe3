// A cache store that throws is reported to onError with what it threw: an Error's message, or
// anything else as text (the call is served from upstream: cache_test.ts).
import assert from "node:assert/strict";
import type { CacheStore } from "../../src/cache/types.ts";
import { azurePath, testApp } from "./_helpers.ts";

const EMBED = azurePath("text-embedding-3-small", "embeddings");

for (
  const [thrown, shown] of [[new Error("store down"), "store down"], ["quota gone", "quota gone"]]
) {
  Deno.test(`a store throwing ${JSON.stringify(String(thrown))} is reported as "${shown}"`, async () => {
    const broken: CacheStore = {
      get: () => Promise.reject(thrown),
      set: () => Promise.reject(thrown),
      delete: () => Promise.resolve(),
    };
    const errors: string[] = [];
    const t = testApp({ cache: broken, onError: (m) => errors.push(m) });
    const res = await t.call(EMBED, { json: { input: "x" } });
    assert.equal(res.status, 200);
    await res.body?.cancel();
    assert.ok(
      errors.includes(`cache store get failed (served from upstream instead): ${shown}`),
      JSON.stringify(errors),
    );
  });
}
