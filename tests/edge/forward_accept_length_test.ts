// The client's Accept goes upstream up to 1,024 characters; a longer one (no media-type list is
// that long: padding, a smuggled blob) is replaced by what a call sending none gets (*/*).
import assert from "node:assert/strict";
import { azurePath, testApp } from "./_helpers.ts";

Deno.test("an Accept of 1,024 characters goes upstream as sent; one of 1,025 is replaced by */*", async () => {
  const t = testApp();
  const path = azurePath("text-embedding-3-small", "embeddings");
  for (const [length, sent] of [[1024, "own"], [1025, "*/*"]] as const) {
    const accept = `application/json;x=${"a".repeat(length - 19)}`;
    assert.equal(accept.length, length);
    const res = await t.call(path, { json: { input: "a" }, headers: { accept } });
    assert.equal(res.status, 200, String(length));
    await res.body?.cancel();
    assert.equal(t.upstreamHeaders.at(-1)!.get("accept"), sent === "own" ? accept : sent);
  }
});
