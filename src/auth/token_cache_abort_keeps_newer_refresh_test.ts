/**
 * TokenCache: a caller that gives up on a hanging provider call lets the next get() ask again, but
 * only for the call it waited on: a refresh started since (by another caller) is still joined, not
 * asked a third time.
 */
import assert from "node:assert/strict";
import { TokenCache } from "./token_cache.ts";

Deno.test("TokenCache: an abort on an old provider call keeps a newer refresh shared", async () => {
  const pending: ((token: string) => void)[] = [];
  const tokens = new TokenCache(() => new Promise<string>((resolve) => pending.push(resolve)));
  const [a, c] = [new AbortController(), new AbortController()];
  const first = tokens.get(a.signal); // asks the provider (call 1)
  const joined = tokens.get(c.signal); // waits on call 1 too
  a.abort(new Error("a gave up"));
  await assert.rejects(first, /a gave up/);
  const second = tokens.get(); // call 1 is given up on: asks again (call 2)
  assert.equal(pending.length, 2);
  c.abort(new Error("c gave up")); // gives up on call 1, not on call 2
  await assert.rejects(joined, /c gave up/);
  const third = tokens.get(); // joins call 2
  assert.equal(pending.length, 2, "call 2 is shared, not asked again");
  for (const resolve of pending) resolve("tok");
  assert.deepEqual(await Promise.all([second, third]), ["tok", "tok"]);
});
