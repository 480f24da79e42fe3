import assert from "node:assert/strict";
import { azurePath, errorOf, KEY, sseData, testApp } from "./_helpers.ts";

Deno.test("POST /openai/deployments/{d}/chat/completions relays the upstream completion", async () => {
  const t = testApp();
  const res = await t.call(azurePath("gpt-4o", "chat/completions"), {
    json: { messages: [{ role: "user", content: "hi" }] },
  });
  assert.equal(res.status, 200);
  const body = await res.json();
  assert.equal(body.choices[0].message.content, "You said: hi");
  assert.ok(res.headers.get("apim-request-id"));
  assert.deepEqual(t.upstream, [
    "POST /openai/deployments/gpt-4o/chat/completions?api-version=2024-10-21",
  ]);
});

Deno.test("POST /v1/chat/completions takes the deployment from body model and streams", async () => {
  const t = testApp();
  const res = await t.call("/v1/chat/completions", {
    json: { model: "gpt-4o", messages: [{ role: "user", content: "stream me" }], stream: true },
  });
  assert.equal(res.status, 200);
  assert.match(res.headers.get("content-type") ?? "", /text\/event-stream/);
  const events = sseData(await res.text());
  assert.equal(events.at(-1), "[DONE]");
  const text = events.slice(0, -1).map((e) => JSON.parse(e))
    .map((c) => c.choices[0]?.delta?.content ?? "").join("");
  assert.equal(text, "You said: stream me");
  assert.match(
    t.upstream[0],
    /^POST \/openai\/deployments\/gpt-4o\/chat\/completions\?api-version=/,
  );
});

Deno.test("POST /openai/v1/embeddings and /v1/embeddings reach the embeddings deployment", async () => {
  const t = testApp();
  for (const path of ["/openai/v1/embeddings", "/v1/embeddings"]) {
    const res = await t.call(path, {
      json: { model: "text-embedding-3-small", input: ["a", "b"] },
    });
    assert.equal(res.status, 200, path);
    const body = await res.json();
    assert.equal(body.data.length, 2);
    assert.equal(body.data[0].embedding.length, 1536);
  }
  assert.equal(t.upstream.length, 2);
  assert.ok(t.upstream.every((u) => u.includes("/deployments/text-embedding-3-small/embeddings")));
});

Deno.test("POST .../completions relays a legacy completion", async () => {
  const t = testApp();
  const res = await t.call(azurePath("gpt-35-turbo-instruct", "completions"), {
    json: { prompt: "Once upon", max_tokens: 5 },
  });
  assert.equal(res.status, 200);
  assert.equal(typeof (await res.json()).choices[0].text, "string");
});

Deno.test("POST .../images/generations relays a DALL-E 3 image", async () => {
  const t = testApp();
  const res = await t.call(azurePath("dall-e-3", "images/generations"), {
    json: { prompt: "a lighthouse", n: 1, response_format: "b64_json" },
  });
  assert.equal(res.status, 200);
  const body = await res.json();
  assert.equal(typeof body.data[0].b64_json, "string");
});

Deno.test("POST .../audio/speech relays the audio bytes", async () => {
  const t = testApp();
  // Speech is in the preview documents (2024-05-01-preview), not in the GA ones.
  const res = await t.call("/openai/deployments/tts/audio/speech?api-version=2024-05-01-preview", {
    json: { input: "hello", voice: "alloy", response_format: "wav" },
  });
  assert.equal(res.status, 200);
  const bytes = new Uint8Array(await res.arrayBuffer());
  assert.equal(new TextDecoder().decode(bytes.slice(0, 4)), "RIFF");
});

Deno.test("POST .../audio/transcriptions and /v1/audio/translations relay uploads", async () => {
  const t = testApp();
  const form = () => {
    const f = new FormData();
    f.set("file", new File([new Uint8Array(2000).fill(1)], "talk.wav", { type: "audio/wav" }));
    f.set("response_format", "json");
    return f;
  };
  const res = await t.call(azurePath("whisper", "audio/transcriptions"), {
    method: "POST",
    body: form(),
  });
  assert.equal(res.status, 200);
  assert.equal(typeof (await res.json()).text, "string");
  const v1 = form();
  v1.set("model", "whisper");
  const res2 = await t.call("/v1/audio/translations", { method: "POST", body: v1 });
  assert.equal(res2.status, 200);
  assert.equal(typeof (await res2.json()).text, "string");
  assert.match(t.upstream[1], /\/deployments\/whisper\/audio\/translations/);
});

Deno.test("DALL-E 2 submit, poll and delete go through with operation-location rewritten", async () => {
  const t = testApp({ emulator: { operationPolls: 0, operationRetryAfter: 0 } });
  const version = "2023-06-01-preview";
  const submit = await t.call(`/openai/images/generations:submit?api-version=${version}`, {
    json: { prompt: "a fox", n: 1 },
  });
  assert.equal(submit.status, 202);
  const { id } = await submit.json();
  const location = submit.headers.get("operation-location") ?? "";
  assert.ok(location.startsWith("http://edge.test/openai/operations/images/"), location);
  const poll = await t.call(`/openai/operations/images/${id}?api-version=${version}`);
  assert.equal(poll.status, 200);
  assert.equal((await poll.json()).id, id);
  const del = await t.call(`/openai/operations/images/${id}?api-version=${version}`, {
    method: "DELETE",
  });
  assert.ok(del.status === 200 || del.status === 204, String(del.status));
  await del.body?.cancel();
});

Deno.test("DALL-E 2 operations are refused unless a deployment allowlist allows dall-e-2", async () => {
  const version = "2023-06-01-preview";
  const submit = (t: ReturnType<typeof testApp>) =>
    t.call(`/openai/images/generations:submit?api-version=${version}`, {
      json: { prompt: "a fox", n: 1 },
    });
  const restricted = testApp({ deployments: ["gpt-4o"] });
  for (
    const res of [
      await submit(restricted),
      await restricted.call(`/openai/operations/images/abc-1?api-version=${version}`),
      await restricted.call(`/openai/operations/images/abc-1?api-version=${version}`, {
        method: "DELETE",
      }),
    ]
  ) {
    assert.equal(res.status, 404);
    assert.equal((await errorOf(res)).code, "DeploymentNotFound");
  }
  assert.equal(restricted.upstream.length, 0, "nothing went upstream");
  const allowed = testApp({
    deployments: ["gpt-4o", "dall-e-2"],
    emulator: { operationPolls: 0, operationRetryAfter: 0 },
  });
  const res = await submit(allowed);
  assert.equal(res.status, 202);
  await res.body?.cancel();
});

Deno.test("GET /health answers without a key and GET / serves the playground", async () => {
  const t = testApp();
  const health = await t.app.fetch(new Request("http://edge.test/health"));
  assert.equal(health.status, 200);
  assert.deepEqual(await health.json(), { status: "ok" });
  const page = await t.app.fetch(new Request("http://edge.test/"));
  assert.equal(page.status, 200);
  assert.match(page.headers.get("content-type") ?? "", /text\/html/);
  assert.match(await page.text(), /<html/i);
  // The page holds a client key: it may not be framed, re-based, post forms or leak a referrer.
  const csp = page.headers.get("content-security-policy") ?? "";
  for (const directive of ["frame-ancestors 'none'", "base-uri 'none'", "form-action 'none'"]) {
    assert.ok(csp.includes(directive), `${directive} in ${csp}`);
  }
  assert.equal(page.headers.get("referrer-policy"), "no-referrer");
  assert.equal(t.upstream.length, 0);
});

Deno.test("unknown paths and operations get a 404 in the service shape", async () => {
  const t = testApp();
  for (const path of ["/nope", azurePath("gpt-4o", "fine_tuning/jobs"), "/v1/moderations"]) {
    const res = await t.call(path, { method: "POST", json: {} });
    assert.equal(res.status, 404, path);
    const err = await errorOf(res);
    assert.equal(err.code, "404");
  }
  assert.equal(t.upstream.length, 0);
  assert.equal(KEY.length > 8, true);
});

Deno.test("a known API path with the wrong method gets 405 with Allow, after the key check", async () => {
  const t = testApp();
  const cases: Array<[string, string, string]> = [
    [azurePath("gpt-4o", "chat/completions"), "GET", "POST"],
    [azurePath("text-embedding-3-small", "embeddings"), "PUT", "POST"],
    ["/v1/chat/completions", "GET", "POST"],
    ["/openai/v1/audio/speech", "DELETE", "POST"],
    ["/openai/images/generations:submit?api-version=2023-06-01-preview", "GET", "POST"],
    [
      "/openai/operations/images/abc-123?api-version=2023-06-01-preview",
      "POST",
      "GET, HEAD, DELETE",
    ],
    ["/health", "POST", "GET, HEAD"],
  ];
  for (const [path, method, allow] of cases) {
    const res = await t.call(path, { method });
    assert.equal(res.status, 405, `${method} ${path}`);
    assert.equal(res.headers.get("allow"), allow, `${method} ${path}`);
    const err = await errorOf(res);
    assert.equal(err.code, "MethodNotAllowed");
    assert.match(err.message, new RegExp(`use ${allow.split(", ")[0]}`));
  }
  // Unknown operations stay 404, and without a client key the answer is still 401.
  const unknown = await t.call(azurePath("gpt-4o", "fine_tuning/jobs"), { method: "GET" });
  assert.equal(unknown.status, 404);
  await unknown.body?.cancel();
  const anonymous = await t.app.fetch(
    new Request(`http://edge.test${azurePath("gpt-4o", "chat/completions")}`),
  );
  assert.equal(anonymous.status, 401);
  await anonymous.body?.cancel();
  assert.equal(t.upstream.length, 0);
});
