/**
 * The app leaves out of its echo an `x-ms-client-request-id` that holds a client key. Answering a
 * caller without a valid key, that choice told it whether the id held one: with no key at all,
 * one 256-character id tested every 8- to 20-character run in it as a key (case folded),
 * hundreds of guesses a request where the api-key header tests one. A caller without a valid key
 * is echoed no id at all (nor is one sent upstream: it never gets that far).
 */
import assert from "node:assert/strict";
import { azurePath, KEY, testApp } from "../edge/_helpers.ts";

const CHAT = azurePath("gpt-4o", "chat/completions");

Deno.test("a caller without a valid key cannot learn from the id's echo whether it holds a key", async () => {
  const t = testApp({ clientKeys: [KEY, "other-tenant-key-02"] });
  // Guesses packed into one id, the right one among them (upper-cased: the check folds case).
  const guesses = `aaaa-${KEY.toUpperCase()}-bbbb`;
  for (
    const headers of [
      { "api-key": "wrong-key-0000" },
      { authorization: "Bearer wrong-key-0000" },
      { "api-key": "" },
    ] as Record<string, string>[]
  ) {
    const echoed = [];
    for (const id of ["plain-id-123", guesses]) {
      const res = await t.call(CHAT, {
        json: {},
        headers: { ...headers, "x-ms-client-request-id": id },
      });
      await res.body?.cancel();
      assert.equal(res.status, 401);
      echoed.push(res.headers.get("x-ms-client-request-id"));
    }
    // The same answer whether or not the id held a key: none echoed.
    assert.deepEqual(echoed, [null, null], Object.keys(headers)[0]);
  }
  // An unknown route, answered before the key is asked for, echoes none either.
  const res = await t.call("/openai/nothing-here", {
    json: {},
    headers: { "api-key": "wrong-key-0000", "x-ms-client-request-id": "plain-id-123" },
  });
  await res.body?.cancel();
  assert.equal(res.headers.get("x-ms-client-request-id"), null);
  assert.equal(t.upstream.length, 0);
});

Deno.test("a caller with a valid key still has its id echoed on the app's own answers", async () => {
  const t = testApp();
  const res = await t.call("/openai/nothing-here", {
    json: {},
    headers: { "x-ms-client-request-id": "plain-id-123" },
  });
  await res.body?.cancel();
  assert.equal(res.status, 404);
  assert.equal(res.headers.get("x-ms-client-request-id"), "plain-id-123");
});
