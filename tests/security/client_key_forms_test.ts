/**
 * The forms of a client key the edge app takes, and those it does not: a key repeated in a
 * header (which `Headers` joins as "k, k") or given twice in Authorization is no key; a key in the
 * query string (`?api-key=`) is never accepted, and the query never goes upstream. Pinned (the
 * app already behaved so).
 */
import assert from "node:assert/strict";
import { azurePath, KEY, testApp } from "../edge/_helpers.ts";

const EMB = { input: "x" };
const PATH = azurePath("text-embedding-3-small", "embeddings");

Deno.test("a client key repeated in api-key or in Authorization is refused 401, nothing upstream", async () => {
  const t = testApp();
  for (
    const headers of [
      [["api-key", KEY], ["api-key", KEY]],
      [["authorization", `Bearer ${KEY}`], ["authorization", `Bearer ${KEY}`]],
      [["authorization", `Bearer ${KEY}, Bearer ${KEY}`]],
      [["authorization", `Bearer ${KEY} ${KEY}`]],
      [["api-key", `${KEY},${KEY}`]],
    ]
  ) {
    const res = await t.call(PATH, { json: EMB, headers: headers as [string, string][] });
    await res.body?.cancel();
    assert.equal(res.status, 401, JSON.stringify(headers));
  }
  assert.deepEqual(t.upstream, []);
});

Deno.test("a client key in the query string is not accepted, and the query does not go upstream", async () => {
  const t = testApp();
  // Alone: refused (the helper's api-key header is replaced by a wrong Authorization).
  const alone = await t.call(`${PATH}&api-key=${KEY}&subscription-key=${KEY}`, {
    json: EMB,
    headers: { authorization: "Bearer wrong-key-0000" },
  });
  await alone.body?.cancel();
  assert.equal(alone.status, 401);
  assert.deepEqual(t.upstream, []);
  // With a valid header key: served, and only api-version reaches the upstream URL.
  const served = await t.call(`${PATH}&api-key=${KEY}&x=1`, { json: EMB });
  await served.body?.cancel();
  assert.equal(served.status, 200);
  assert.deepEqual(t.upstream, [
    "POST /openai/deployments/text-embedding-3-small/embeddings?api-version=2024-10-21",
  ]);
  assert.ok(!(await t.upstreamBodies[0]).includes(KEY));
  for (const [name, value] of t.upstreamHeaders[0]) assert.ok(!value.includes(KEY), name);
});
