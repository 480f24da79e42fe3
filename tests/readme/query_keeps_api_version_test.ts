// README.md, "Query parameters": a dated api-version in a call's query is the call's api-version
// (`ctx.apiVersion`, logger()'s `apiVersion`), also over its `apiVersion` option;
// `{ "api-version": undefined }` sends none on a dated version too (the client's stays the call's); the operation-location a DALL-E 2 poll goes to keeps its own
// parameters over `defaultQuery`'s.
import assert from "node:assert/strict";
import type { Middleware } from "../../src/middleware/types.ts";
import { type LogEvent, logger } from "../../src/middleware/mod.ts";
import { queries, recordingServer } from "../client/_recording_server.ts";

const EMBED = { model: "text-embedding-3-small", input: "hi" };

/** An embeddings answer whatever the api-version (the emulator wants one). */
const answerEmbeddings = () =>
  Response.json({
    object: "list",
    data: [{ object: "embedding", index: 0, embedding: [0.5] }],
    model: "text-embedding-3-small",
    usage: { prompt_tokens: 1, total_tokens: 1 },
  });

Deno.test("README: a dated api-version in a call's query is the call's apiVersion (ctx.apiVersion, logger()'s); none sent leaves the client's", async () => {
  const versions: string[] = [];
  const events: LogEvent[] = [];
  const spy: Middleware = (ctx, next) => (versions.push(ctx.apiVersion), next());
  const { client, seen, close } = recordingServer({
    apiVersion: "2024-06-01",
    defaultQuery: { "api-version": "2023-05-15" },
    middleware: [logger({ onEvent: (e) => void events.push(e) }), spy],
  }, answerEmbeddings);
  try {
    await client.embeddings.create(EMBED, { query: { "api-version": "2024-02-01" } });
    await client.embeddings.create(EMBED, {
      apiVersion: "2024-10-21",
      query: { "api-version": "2024-02-01" },
    });
    await client.embeddings.create(EMBED, { query: { "api-version": undefined } });
    assert.deepEqual(queries(seen), [["api-version=2024-02-01"], ["api-version=2024-02-01"], []]);
    assert.deepEqual(versions, ["2024-02-01", "2024-02-01", "2024-06-01"]);
    const started = events.filter((e) => e.type === "start").map((e) => e.apiVersion);
    assert.deepEqual(started, ["2024-02-01", "2024-02-01", "2024-06-01"]);
  } finally {
    await close();
  }
});

Deno.test("README: a DALL-E 2 poll's operation-location keeps its api-version over defaultQuery's", async () => {
  const { client, seen, close } = recordingServer(
    { defaultQuery: { "api-version": "1999-01-01", gw: "edge" } },
    undefined,
    { operationRetryAfter: 0, operationPolls: 1 },
  );
  try {
    await client.images.generateAndWait({ prompt: "a lighthouse" }, { pollIntervalMs: 0 });
    assert.ok(seen.length >= 3, seen.join("\n"));
    assert.ok(
      seen.slice(1).every((s) => s.startsWith("/openai/operations/images/")),
      seen.join("\n"),
    );
    for (const pairs of queries(seen)) {
      assert.deepEqual(pairs, ["api-version=2023-06-01-preview", "gw=edge"]);
    }
  } finally {
    await close();
  }
});
