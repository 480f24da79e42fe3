import assert from "node:assert/strict";
import { clientIdOf, type EdgeRequestEvent } from "../../edge/mod.ts";
import { azurePath, KEY, testApp } from "./_helpers.ts";

const NAMED = "indexer-client-key-0042";

Deno.test("onRequest events name the client key that matched by its name, beside its hashed id", async () => {
  const events: EdgeRequestEvent[] = [];
  const t = testApp({
    clientKeys: [KEY, { key: NAMED, name: "search indexer" }],
    onRequest: (event) => {
      events.push(event);
    },
  });
  for (const key of [NAMED, KEY]) {
    const res = await t.call(azurePath("text-embedding-3-small", "embeddings"), {
      json: { input: "hi" },
      headers: { "api-key": key },
    });
    await res.text();
  }
  for (let i = 0; i < 20 && events.length < 2; i++) await new Promise((r) => setTimeout(r, 0));
  assert.equal(events.length, 2);
  // Events are delivered once each body ends, not always in the calls' order on a loaded machine.
  const namedId = await clientIdOf(NAMED);
  const named = events.find((e) => e.client === namedId);
  const other = events.find((e) => e.client !== namedId);
  assert.equal(named?.clientName, "search indexer");
  assert.ok(other && !("clientName" in other), "a key without a name gets none");
  assert.ok(!JSON.stringify(events).includes(NAMED), "never the key");
});

Deno.test("createEdgeApp() refuses a client key name that is empty, too long, not printable or holds the key", () => {
  for (const name of ["", "x".repeat(65), "tab\there", `team ${NAMED}`, 42]) {
    assert.throws(
      () => testApp({ clientKeys: [{ key: NAMED, name: name as string }] }),
      (err: Error) => {
        assert.match(err.message, /clientKeys\[0\]\.name must be 1 to 64 printable ASCII/);
        assert.ok(!err.message.includes(NAMED));
        return true;
      },
    );
  }
});
