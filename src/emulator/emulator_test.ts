import assert from "node:assert/strict";
import { createEmulator } from "./emulator.ts";
import { BASE, post } from "./_testing.ts";

const CHAT = "/openai/deployments/gpt-4o/chat/completions";
const MESSAGES = { messages: [{ role: "user", content: "hi" }] };

Deno.test("createEmulator() exposes a random default key and the default deployments", () => {
  const a = createEmulator();
  const b = createEmulator();
  assert.match(a.apiKey, /^[0-9a-f]{32}$/);
  assert.notEqual(a.apiKey, b.apiKey);
  assert.deepEqual(a.deployments.map((d) => [d.name, d.kind]), [
    ["gpt-4o", "chat"],
    ["gpt-35-turbo-instruct", "completions"],
    ["text-embedding-3-small", "embeddings"],
    ["dall-e-3", "images"],
    ["whisper", "transcription"],
    ["tts", "speech"],
  ]);
});

Deno.test("createEmulator() throws a TypeError naming the option when apiKeys is empty", () => {
  assert.throws(() => createEmulator({ apiKeys: [] }), /options\.apiKeys/);
  assert.throws(() => createEmulator({ chunkDelayMs: -1 }), /options\.chunkDelayMs/);
});

Deno.test("fetch() answers 401 in the service shape when the key is missing or wrong", async () => {
  const e = createEmulator({ apiKeys: ["right-key-77"] });
  for (const headers of [{}, { "api-key": "wrong-key-99" }] as Record<string, string>[]) {
    const res = await e.fetch(
      new Request(`${BASE}${CHAT}?api-version=2024-10-21`, {
        method: "POST",
        headers,
        body: JSON.stringify(MESSAGES),
      }),
    );
    assert.equal(res.status, 401);
    const body = await res.json();
    assert.equal(body.error.code, "401");
    assert.match(body.error.message, /^Access denied due to invalid subscription key/);
    assert.doesNotMatch(JSON.stringify(body), /wrong-key-99|right-key-77/);
  }
});

Deno.test("fetch() accepts Authorization: Bearer with a configured key", async () => {
  const e = createEmulator({ apiKeys: ["k1", "k2"] });
  const ok = await e.fetch(`${BASE}${CHAT}?api-version=2024-10-21`, {
    method: "POST",
    headers: { authorization: "Bearer k2", "content-type": "application/json" },
    body: JSON.stringify(MESSAGES),
  });
  assert.equal(ok.status, 200);
  const bad = await e.fetch(`${BASE}${CHAT}?api-version=2024-10-21`, {
    method: "POST",
    headers: { authorization: "Bearer nope" },
    body: JSON.stringify(MESSAGES),
  });
  assert.equal(bad.status, 401);
  assert.match((await bad.json()).error.message, /Access token is missing, invalid/);
});

Deno.test("fetch() answers 404 when api-version is missing, 400 when it is unknown", async () => {
  const e = createEmulator();
  const missing = await post(e, CHAT, MESSAGES, { apiVersion: null });
  assert.equal(missing.status, 404);
  assert.equal((await missing.json()).error.code, "404");
  const unknown = await post(e, CHAT, MESSAGES, { apiVersion: "1999-01-01" });
  assert.equal(unknown.status, 400);
  assert.match((await unknown.json()).error.message, /1999-01-01/);
  for (
    const v of [
      "2024-02-01",
      "2024-06-01",
      "2024-05-01-preview",
      "2025-01-01-preview",
      "2023-05-15",
    ]
  ) {
    assert.equal((await post(e, CHAT, MESSAGES, { apiVersion: v })).status, 200, v);
  }
  const extra = createEmulator({ apiVersions: ["2030-01-01"] });
  assert.equal((await post(extra, CHAT, MESSAGES, { apiVersion: "2030-01-01" })).status, 200);
});

Deno.test("fetch() answers 404 DeploymentNotFound for an unknown deployment", async () => {
  const e = createEmulator();
  const res = await post(e, "/openai/deployments/nope/chat/completions", MESSAGES);
  assert.equal(res.status, 404);
  assert.equal((await res.json()).error.code, "DeploymentNotFound");
});

Deno.test("fetch() answers 400 OperationNotSupported when the deployment's model cannot do the operation", async () => {
  const e = createEmulator();
  const res = await post(
    e,
    "/openai/deployments/text-embedding-3-small/chat/completions",
    MESSAGES,
  );
  assert.equal(res.status, 400);
  const body = await res.json();
  assert.equal(body.error.code, "OperationNotSupported");
  assert.match(body.error.message, /text-embedding-3-small/);
});

Deno.test("fetch() answers 404 Resource not found for unknown paths", async () => {
  const e = createEmulator();
  for (const path of ["/", "/openai/nothing", "/openai/deployments/gpt-4o/unknown"]) {
    const res = await post(e, path, {});
    assert.equal(res.status, 404, path);
    assert.equal((await res.json()).error.code, "404");
  }
});

Deno.test("fetch() sets a new apim-request-id and another x-request-id on every response", async () => {
  const e = createEmulator();
  const responses = [
    await post(e, CHAT, MESSAGES),
    await post(e, CHAT, MESSAGES, { apiVersion: null }),
    await e.fetch(`${BASE}/nowhere`),
  ];
  const ids = new Set<string>();
  for (const res of responses) {
    const id = res.headers.get("apim-request-id");
    assert.match(id ?? "", /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.match(res.headers.get("x-request-id") ?? "", /^[0-9a-f-]{36}$/);
    assert.notEqual(res.headers.get("x-request-id"), id);
    ids.add(id!);
    await res.body?.cancel();
  }
  assert.equal(ids.size, 3);
});

Deno.test("fetch() serves v1 paths with the deployment in body model and no api-version", async () => {
  const e = createEmulator();
  const ok = await post(e, "/openai/v1/chat/completions", { model: "gpt-4o", ...MESSAGES });
  assert.equal(ok.status, 200);
  assert.equal((await ok.json()).model, "gpt-4o");
  const missing = await post(e, "/openai/v1/chat/completions", MESSAGES);
  assert.equal(missing.status, 400);
  assert.equal((await missing.json()).error.param, "model");
  const unknown = await post(e, "/openai/v1/chat/completions", { model: "nope", ...MESSAGES });
  assert.equal(unknown.status, 404);
  assert.equal((await unknown.json()).error.code, "DeploymentNotFound");
  const models = await e.fetch(`${BASE}/openai/v1/models`, { headers: { "api-key": e.apiKey } });
  assert.deepEqual((await models.json()).data.map((m: { id: string }) => m.id).slice(0, 2), [
    "gpt-4o",
    "gpt-35-turbo-instruct",
  ]);
});

Deno.test("fetch() answers 400 naming body when the JSON is malformed", async () => {
  const e = createEmulator();
  const res = await post(e, CHAT, "{not json");
  assert.equal(res.status, 400);
  const body = await res.json();
  assert.equal(body.error.param, "body");
  assert.equal(body.error.type, "invalid_request_error");
});

Deno.test("log records requests with api-key and authorization redacted", async () => {
  const e = createEmulator({ apiKeys: ["secret-key-123"] });
  await (await post(e, CHAT, MESSAGES)).body?.cancel();
  await (await post(e, "/openai/v1/chat/completions", { model: "gpt-4o", ...MESSAGES }, {
    headers: {
      authorization: "Bearer secret-key-123",
      "ocp-apim-subscription-key": "secret-key-123",
      cookie: "session=secret-key-123",
    },
  })).body?.cancel();
  assert.equal(e.log.length, 2);
  assert.equal(e.log[0].deployment, "gpt-4o");
  assert.equal(e.log[0].operation, "ChatCompletions_Create");
  assert.equal(e.log[0].status, 200);
  assert.equal(e.log[0].auth, "api-key");
  assert.doesNotMatch(JSON.stringify(e.log), /secret-key-123/);
  assert.equal(e.log[0].headers["api-key"], "[redacted]");
  assert.equal(e.stats.requests, 2);
  e.reset();
  assert.equal(e.log.length, 0);
  assert.equal(e.stats.requests, 0);
});

Deno.test("fetch() accepts (url, init) like the global fetch", async () => {
  const e = createEmulator();
  const res = await e.fetch(new URL(`${BASE}${CHAT}?api-version=2024-10-21`), {
    method: "POST",
    headers: { "api-key": e.apiKey },
    body: JSON.stringify(MESSAGES),
  });
  assert.equal((await res.json()).choices[0].message.content, "You said: hi");
});

Deno.test(
  "fetch() answers 404 DeploymentNotFound, not a 500, when the deployment is malformed percent-encoding",
  async () => {
    const e = createEmulator();
    const res = await post(e, "/openai/deployments/%E0%A4%A/chat/completions", MESSAGES);
    assert.equal(res.status, 404);
    assert.equal((await res.json()).error.code, "DeploymentNotFound");
  },
);

Deno.test("fetch() rejects with an AbortError, like fetch, when the signal is already aborted", async () => {
  const e = createEmulator();
  const controller = new AbortController();
  controller.abort();
  await assert.rejects(
    e.fetch(`${BASE}${CHAT}?api-version=2024-10-21`, {
      method: "POST",
      headers: { "api-key": e.apiKey, "content-type": "application/json" },
      body: JSON.stringify(MESSAGES),
      signal: controller.signal,
    }),
    (err: unknown) => err instanceof DOMException && err.name === "AbortError",
  );
  assert.equal(e.stats.streamsStarted, 0);
});

Deno.test("fetch() rejects with an AbortError when the signal aborts during injected latency", async () => {
  let wake!: () => void;
  let slept!: () => void;
  const sleeping = new Promise<void>((r) => slept = r);
  const e = createEmulator({
    faults: { latencyMs: 1000 },
    sleep: () => {
      slept();
      return new Promise<void>((r) => wake = r);
    },
  });
  const controller = new AbortController();
  const pending = e.fetch(`${BASE}${CHAT}?api-version=2024-10-21`, {
    method: "POST",
    headers: { "api-key": e.apiKey, "content-type": "application/json" },
    body: JSON.stringify(MESSAGES),
    signal: controller.signal,
  });
  await sleeping;
  controller.abort();
  wake();
  await assert.rejects(
    pending,
    (err: unknown) => err instanceof DOMException && err.name === "AbortError",
  );
});
