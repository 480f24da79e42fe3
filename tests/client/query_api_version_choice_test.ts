// An `api-version` in a call's query is the call's api-version (in the openai SDK it is the only
// per-call one): it is sent, and the client's version-based choices follow it as they follow the
// `apiVersion` option: the v1 API (model in the body, no deployment segment) or a dated one, the
// embeddings `encoding_format` default, and the api-version middleware and logger() see. An
// undated one (`preview`) is the v1 API's parameter: it leaves that choice to `apiVersion`.
import assert from "node:assert/strict";
import { type LogEvent, logger } from "../../src/middleware/mod.ts";
import { recordingServer } from "./_recording_server.ts";

const MESSAGES = [{ role: "user" as const, content: "hi" }];

/** A recording server that also keeps each request's JSON body. */
function withBodies(options: Parameters<typeof recordingServer>[0]) {
  const bodies: Promise<Record<string, unknown>>[] = [];
  const server = recordingServer(options, (request) => {
    bodies.push(request.clone().json());
    return undefined;
  });
  return { ...server, bodies: () => Promise.all(bodies) };
}

Deno.test("on a v1 client a dated api-version in query takes the call to the dated API", async () => {
  const { client, seen, bodies, close } = withBodies({ apiVersion: "v1" });
  try {
    await client.chat.completions.create({ model: "gpt-4o", messages: MESSAGES }, {
      query: { "api-version": "2024-10-21" },
    });
    const speech = await client.audio.speech.create({ model: "tts", input: "hi", voice: "alloy" }, {
      query: { "api-version": "2025-03-01-preview" },
    });
    await speech.arrayBuffer();
    await client.chat.completions.create({ model: "gpt-4o", messages: MESSAGES }, {
      query: { "api-version": "preview" },
    });
    assert.deepEqual(seen, [
      "/openai/deployments/gpt-4o/chat/completions?api-version=2024-10-21",
      "/openai/deployments/tts/audio/speech?api-version=2025-03-01-preview",
      "/openai/v1/chat/completions?api-version=preview",
    ]);
    // Speech names its deployment in the body on every API.
    assert.deepEqual((await bodies()).map((b) => b.model), [undefined, "tts", "gpt-4o"]);
  } finally {
    await close();
  }
});

Deno.test("a dated client with an undated api-version in query stays on the dated API (as the SDK)", async () => {
  const { client, seen, bodies, close } = withBodies({});
  try {
    await client.chat.completions.create({ model: "gpt-4o", messages: MESSAGES }, {
      query: { "api-version": "preview" },
    }).catch(() => {});
    assert.deepEqual(seen, ["/openai/deployments/gpt-4o/chat/completions?api-version=preview"]);
    assert.equal((await bodies())[0].model, undefined);
  } finally {
    await close();
  }
});

Deno.test("embeddings: encoding_format follows the api-version in query", async () => {
  const ga = withBodies({});
  const old = withBodies({ apiVersion: "2024-02-01" });
  try {
    const params = { model: "text-embedding-3-small", input: "hi" };
    // 2024-02-01's spec has no encoding_format: floats, none sent.
    await ga.client.embeddings.create(params, { query: { "api-version": "2024-02-01" } });
    await old.client.embeddings.create(params, { query: { "api-version": "2024-06-01" } });
    assert.deepEqual(ga.seen, [
      "/openai/deployments/text-embedding-3-small/embeddings?api-version=2024-02-01",
    ]);
    assert.deepEqual(old.seen, [
      "/openai/deployments/text-embedding-3-small/embeddings?api-version=2024-06-01",
    ]);
    assert.equal((await ga.bodies())[0].encoding_format, undefined);
    assert.equal((await old.bodies())[0].encoding_format, "base64");
  } finally {
    await ga.close();
    await old.close();
  }
});

Deno.test("middleware and logger() see the api-version the query sends", async () => {
  const events: LogEvent[] = [];
  const versions: string[] = [];
  const { client, close } = recordingServer({
    middleware: [
      logger({ onEvent: (e) => events.push(e) }),
      (ctx, next) => (versions.push(ctx.apiVersion), next()),
    ],
  });
  try {
    await client.embeddings.create({ model: "text-embedding-3-small", input: "hi" }, {
      apiVersion: "2024-02-01",
      query: { "api-version": "2024-06-01" },
    });
    assert.deepEqual(versions, ["2024-06-01"]);
    assert.deepEqual([...new Set(events.map((e) => e.apiVersion))], ["2024-06-01"]);
  } finally {
    await close();
  }
});

Deno.test("request() on a v1 client: a dated api-version in query adds no model to the body", async () => {
  const { client, seen, bodies, close } = withBodies({ apiVersion: "v1" });
  try {
    for (const query of [{ "api-version": "2024-10-21" }, undefined]) {
      const res = await client.request({
        path: "chat/completions",
        deployment: "gpt-4o",
        json: { messages: MESSAGES },
      }, { query });
      await res.body?.cancel();
    }
    assert.deepEqual(seen, [
      "/openai/deployments/gpt-4o/chat/completions?api-version=2024-10-21",
      "/openai/v1/chat/completions",
    ]);
    assert.deepEqual((await bodies()).map((b) => b.model), [undefined, "gpt-4o"]);
  } finally {
    await close();
  }
});
