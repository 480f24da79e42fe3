import assert from "node:assert/strict";
import { azurePath, errorOf, KEY, testApp } from "./_helpers.ts";

const CHAT = { messages: [{ role: "user", content: "hi" }] };

Deno.test("app refuses a request without a client key with 401 and sends nothing upstream", async () => {
  const t = testApp();
  const res = await t.app.fetch(
    new Request(`http://edge.test${azurePath("gpt-4o", "chat/completions")}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(CHAT),
    }),
  );
  assert.equal(res.status, 401);
  const err = await errorOf(res);
  assert.equal(err.code, "401");
  assert.match(err.message, /client keys/);
  assert.equal(t.upstream.length, 0);
});

Deno.test("app refuses a wrong key, and the upstream key, with 401", async () => {
  const t = testApp();
  const attempts: Record<string, string>[] = [
    { "api-key": KEY + "x" },
    { authorization: `Bearer ${KEY.slice(0, -1)}` },
    { "api-key": t.emulator.apiKey },
    { authorization: `Basic ${btoa(KEY)}` },
  ];
  for (const headers of attempts) {
    const res = await t.call(azurePath("gpt-4o", "chat/completions"), { headers, json: CHAT });
    assert.equal(res.status, 401, JSON.stringify(Object.keys(headers)));
    const text = await res.text();
    assert.ok(!text.includes(KEY) && !text.includes(t.emulator.apiKey), "no key in the error");
  }
  assert.equal(t.upstream.length, 0);
});

Deno.test("app accepts the key as api-key or as Authorization: Bearer, any configured key", async () => {
  const t = testApp({ clientKeys: ["first-key-aaaa", KEY] });
  const a = await t.call(azurePath("gpt-4o", "chat/completions"), {
    headers: { "api-key": "first-key-aaaa" },
    json: CHAT,
  });
  assert.equal(a.status, 200);
  await a.body?.cancel();
  const b = await t.call("/v1/chat/completions", {
    headers: { authorization: `Bearer ${KEY}` },
    json: { ...CHAT, model: "gpt-4o" },
  });
  assert.equal(b.status, 200);
  await b.body?.cancel();
  assert.equal(t.upstream.length, 2);
});

Deno.test("the upstream request carries the Azure key, never the client key", async () => {
  const t = testApp();
  const res = await t.call(azurePath("gpt-4o", "chat/completions"), {
    headers: { authorization: `Bearer ${KEY}`, "x-custom": "1" },
    json: CHAT,
  });
  assert.equal(res.status, 200);
  await res.body?.cancel();
  const headers = t.upstreamHeaders[0];
  assert.equal(headers.get("api-key"), t.emulator.apiKey);
  assert.equal(headers.get("authorization"), null);
  let all = "";
  headers.forEach((v, k) => all += `${k}: ${v}\n`);
  assert.equal(all.includes(KEY), false);
  assert.equal(headers.get("x-custom"), null, "client headers are not forwarded");
});

Deno.test("app answers 404 DeploymentNotFound for deployments outside the allowlist", async () => {
  const t = testApp({ deployments: ["gpt-4o"] });
  const res = await t.call(azurePath("text-embedding-3-small", "embeddings"), {
    json: { input: "x" },
  });
  assert.equal(res.status, 404);
  assert.equal((await errorOf(res)).code, "DeploymentNotFound");
  const v1 = await t.call("/v1/embeddings", { json: { model: "dall-e-3", input: "x" } });
  assert.equal(v1.status, 404);
  await v1.body?.cancel();
  assert.equal(t.upstream.length, 0);
  const ok = await t.call(azurePath("gpt-4o", "chat/completions"), { json: CHAT });
  assert.equal(ok.status, 200);
  await ok.body?.cancel();
});

Deno.test("app maps model names to deployments and refuses unmapped names", async () => {
  const t = testApp({ models: { "my-embedder": "text-embedding-3-small" } });
  const res = await t.call("/v1/embeddings", { json: { model: "my-embedder", input: "x" } });
  assert.equal(res.status, 200);
  await res.body?.cancel();
  assert.match(t.upstream[0], /\/deployments\/text-embedding-3-small\/embeddings/);
  const other = await t.call("/v1/chat/completions", { json: { ...CHAT, model: "gpt-4o" } });
  assert.equal(other.status, 404);
  await other.body?.cancel();
  assert.equal(t.upstream.length, 1);
});

Deno.test("app limits requests per client key with 429 and retry-after", async () => {
  const t = testApp({ clientKeys: [KEY, "other-key-bbbb"], rateLimit: { requestsPerMinute: 2 } });
  const send = (key: string) =>
    t.call(azurePath("gpt-4o", "chat/completions"), { headers: { "api-key": key }, json: CHAT });
  for (let i = 0; i < 2; i++) await (await send(KEY)).body?.cancel();
  const limited = await send(KEY);
  assert.equal(limited.status, 429);
  assert.ok(Number(limited.headers.get("retry-after")) >= 1);
  assert.equal((await errorOf(limited)).code, "429");
  const other = await send("other-key-bbbb");
  assert.equal(other.status, 200);
  await other.body?.cancel();
  assert.equal(t.upstream.length, 3);
});

Deno.test("createEdgeApp() refuses to start without client keys (never an open relay)", () => {
  assert.throws(() => testApp({ clientKeys: [] }), /clientKeys/);
  assert.throws(() => testApp({ clientKeys: ["short"] }), /at least 8/);
  // A header's bytes are not read back as UTF-8: a key outside printable ASCII could never match.
  for (const key of ["clé-secrète-2024", "key\u0000nul-byte", "ключ-клиента-1"]) {
    assert.throws(() => testApp({ clientKeys: [key] }), /printable ASCII/);
  }
});

Deno.test("app adds CORS headers for allowed origins and answers preflights", async () => {
  const t = testApp({ cors: { origins: ["https://ui.example"] } });
  const pre = await t.app.fetch(
    new Request("http://edge.test/v1/embeddings", {
      method: "OPTIONS",
      headers: { origin: "https://ui.example", "access-control-request-method": "POST" },
    }),
  );
  assert.equal(pre.status, 204);
  assert.equal(pre.headers.get("access-control-allow-origin"), "https://ui.example");
  const res = await t.call("/v1/embeddings", {
    headers: { origin: "https://ui.example" },
    json: { model: "text-embedding-3-small", input: "x" },
  });
  assert.equal(res.headers.get("access-control-allow-origin"), "https://ui.example");
  await res.body?.cancel();
  const denied = await t.call("/v1/embeddings", { headers: { origin: "https://evil.example" } });
  assert.equal(denied.headers.get("access-control-allow-origin"), null);
  await denied.body?.cancel();
});

Deno.test("app answers OPTIONS on a served path with Allow; another path as any request", async () => {
  const options = (app: ReturnType<typeof testApp>, path: string, origin?: string) =>
    app.app.fetch(
      new Request(`http://edge.test${path}`, {
        method: "OPTIONS",
        headers: origin
          ? { origin, "access-control-request-method": "POST" }
          : path === "/nope"
          ? { "api-key": KEY }
          : {},
      }),
    );
  const plain = testApp();
  const served = await options(plain, azurePath("gpt-4o", "chat/completions"));
  assert.equal(served.status, 204);
  assert.equal(served.headers.get("allow"), "POST, OPTIONS");
  assert.equal(served.headers.get("access-control-allow-origin"), null, "no CORS configured");
  const operation = await options(plain, "/openai/operations/images/abc-123");
  assert.equal(operation.headers.get("allow"), "GET, HEAD, DELETE, OPTIONS");
  const unknown = await options(plain, "/nope");
  assert.equal(unknown.status, 404);
  assert.equal((await errorOf(unknown)).code, "404");

  const withCors = testApp({ cors: { origins: ["https://ui.example"] } });
  const pre = await options(withCors, "/v1/embeddings", "https://ui.example");
  assert.equal(pre.status, 204);
  assert.equal(pre.headers.get("access-control-allow-origin"), "https://ui.example");
  assert.equal(pre.headers.get("allow"), "POST, OPTIONS");
  const preUnknown = await options(withCors, "/nope", "https://ui.example");
  assert.equal(preUnknown.status, 401, "a preflight carries no key: refused as any request");
  await preUnknown.body?.cancel();
});
