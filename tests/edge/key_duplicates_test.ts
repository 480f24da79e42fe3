import assert from "node:assert/strict";
import { createWorkerApp } from "../../edge/worker.ts";
import { KEY, testApp } from "./_helpers.ts";

Deno.test("createEdgeApp() refuses a client key listed twice (a second entry's scope or limits would be ignored), without quoting it", () => {
  const lists = [
    // The unscoped entry first: the scope below it was silently dropped, the key could use all.
    [KEY, { key: KEY, deployments: ["text-embedding-3-small"] }],
    [{ key: KEY, tokenLimit: { tokensPerMinute: 100 } }, { key: KEY, tokenLimit: false }],
    // Spaces around a key are trimmed: the same key.
    ["other-client-key-0009", ` ${KEY}`, KEY],
  ] as const;
  for (const clientKeys of lists) {
    assert.throws(() => testApp({ clientKeys: clientKeys as never }), (err: Error) => {
      assert.match(err.message, /clientKeys\[\d\].* repeats clientKeys\[\d\]/);
      assert.ok(!err.message.includes(KEY), "the key is not quoted");
      return true;
    });
  }
});

Deno.test("createWorkerApp() refuses AOAI_EDGE_KEYS that lists a key twice, whose scopes differ", () => {
  assert.throws(
    () =>
      createWorkerApp({
        AZURE_OPENAI_ENDPOINT: "https://my-res.openai.azure.com",
        AZURE_OPENAI_API_KEY: "upstream-key",
        AOAI_EDGE_KEYS: `${KEY},${KEY}`,
        AOAI_EDGE_KEY_DEPLOYMENTS: "*,text-embedding-3-small",
      }),
    (err: Error) => {
      assert.match(err.message, /repeats/);
      assert.ok(!err.message.includes(KEY));
      return true;
    },
  );
});
