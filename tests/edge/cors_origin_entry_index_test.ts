/**
 * A bad `cors.origins` entry is named by its position too: from `AOAI_EDGE_CORS_ORIGINS` the
 * message's quoted values are masked (they may sit next to secrets in the environment), so with
 * several origins the position is what tells which one to fix.
 */
import assert from "node:assert/strict";
import { createCors } from "../../edge/cors.ts";
import { misconfiguredMessage } from "../../edge/_errors.ts";

for (const entry of ["https://*.example.com", "ftp:/nope"]) {
  Deno.test(`a bad cors.origins entry (${entry}) is named by its position, which masking keeps`, () => {
    const origins = ["https://a.example", "https://b.example", entry];
    assert.throws(() => createCors({ origins }), (err: unknown) => {
      assert.ok(err instanceof TypeError);
      assert.match(err.message, /cors\.origins\[2\]/);
      const masked = misconfiguredMessage(err, { AOAI_EDGE_CORS_ORIGINS: origins.join(",") });
      assert.ok(!masked.includes(entry), masked);
      assert.match(masked, /cors\.origins\[2\]/);
      return true;
    });
  });
}
