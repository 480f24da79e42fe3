import assert from "node:assert/strict";
import { cachedFailover, KEY } from "./_helpers.ts";

/**
 * An app with a chat cache on two upstreams (on `apiVersion`), the primary failing its next call
 * with 503 and the fallback naming `gpt-4o` `gpt-4o-eu` (deploymentNames), recording the bodies
 * that reach each.
 */
function failingOver(apiVersion?: string) {
  const { app: edge, bodies } = cachedFailover(apiVersion);
  const call = async (path: string, body: string) => {
    const res = await edge.fetch(
      new Request(`http://edge.test${path}`, {
        method: "POST",
        headers: { "api-key": KEY, "content-type": "application/json" },
        body,
      }),
    );
    assert.equal(res.status, 200, await res.clone().text());
    await res.body?.cancel();
  };
  return { call, bodies };
}

/**
 * A deterministic chat body as a client may write it (a key given twice is refused: see
 * json_duplicate_keys_test.ts).
 */
const chatBody = (model: string) =>
  `{"messages": [{"role": "user", "content": "pick \\"n\\" \\u00e9"}],\n` +
  `  "temperature": 0.0, "seed": 42, "top_p": 1.0000000000000001, "presence_penalty": 0e0,\n` +
  `  "model": "${model}" , "user": "u-\\u0031" }`;

Deno.test("edge failover with a cache: a cacheable chat reaches a fallback that names the deployment otherwise byte for byte but its model", async () => {
  const t = failingOver("v1");
  await t.call("/openai/v1/chat/completions", chatBody("gpt-4o"));
  assert.equal(await t.bodies[0][0], chatBody("gpt-4o"), "the primary: as sent");
  assert.equal(await t.bodies[1][0], chatBody("gpt-4o-eu"), "the fallback: only model changed");
});

Deno.test("edge failover with a cache: on a dated api-version, a chat naming its deployment in model reaches the fallback byte for byte but its model", async () => {
  const t = failingOver();
  const path = "/openai/deployments/gpt-4o/chat/completions?api-version=2024-10-21";
  await t.call(path, chatBody("gpt-4o"));
  assert.equal(await t.bodies[0][0], chatBody("gpt-4o"), "the primary: as sent");
  assert.equal(await t.bodies[1][0], chatBody("gpt-4o-eu"), "the fallback: only model changed");
  // Stored under the primary's names: the same call is now a hit.
  await t.call(path, chatBody("gpt-4o"));
  assert.deepEqual(t.bodies.map((b) => b.length), [1, 1], "no other upstream call");
});
