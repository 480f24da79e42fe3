import assert from "node:assert/strict";
import { createEmulator } from "./emulator.ts";
import { post } from "./_testing.ts";

const PATH = "/openai/deployments/text-embedding-3-small/embeddings";

Deno.test("under tokensPerMinute an invalid embeddings input is a 400 that counts no tokens", async () => {
  const e = createEmulator({ rateLimits: { tokensPerMinute: 10 }, now: () => 0 });
  for (const input of ["", [], [1, "a"]]) {
    const res = await post(e, PATH, { input });
    assert.equal(res.status, 400, JSON.stringify(input));
    assert.equal((await res.json()).error.param, "input");
  }
  const res = await post(e, PATH, { input: ["abcd", "abcd"] });
  await res.body?.cancel();
  assert.equal(res.status, 200);
  assert.equal(res.headers.get("x-ratelimit-remaining-tokens"), "8");
});
