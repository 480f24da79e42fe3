import assert from "node:assert/strict";
import { testApp } from "./_helpers.ts";

const INDEXER = "indexer-client-key-0042-f3a9c1d7e5b2";
const BILLING = "billing-client-key-0077-aa19be43c0d8";

Deno.test("createEdgeApp() refuses a client key name that holds another client key, or a long piece of a key", () => {
  const cases = [
    // Another entry's key, plain or in an object, before or after it: it would reach every event.
    [{ key: INDEXER, name: `team ${BILLING}` }, BILLING],
    [BILLING, { key: INDEXER, name: BILLING }],
    [{ key: BILLING }, { key: INDEXER, name: `x ${BILLING} y` }],
    // Most of the key itself, or of another.
    [{ key: INDEXER, name: INDEXER.slice(0, 30) }, BILLING],
    [{ key: INDEXER, name: BILLING.slice(4) }, BILLING],
    [{ key: INDEXER, name: `team ${INDEXER.slice(0, 16)}` }],
  ];
  for (const clientKeys of cases) {
    assert.throws(
      () => testApp({ clientKeys }),
      (err: Error) => {
        assert.match(err.message, /clientKeys\[\d\]\.name must be .*never a client key/);
        for (const key of [INDEXER, BILLING]) {
          for (let i = 0; i + 8 <= key.length; i++) {
            assert.ok(!err.message.includes(key.slice(i, i + 8)), err.message);
          }
        }
        return true;
      },
      JSON.stringify(clientKeys),
    );
  }
  // A short label that happens to be in a key, and names of other teams, are fine.
  testApp({
    clientKeys: [{ key: INDEXER, name: "indexer" }, { key: BILLING, name: "billing team" }],
  });
});
