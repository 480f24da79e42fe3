import assert from "node:assert/strict";
import {
  APIConnectionError,
  APITimeoutError,
  APIUserAbortError,
  AuthenticationError,
  AzureOpenAI,
  AzureOpenAIError,
  BadRequestError,
  ConflictError,
  ContentFilterError,
  InternalServerError,
  NotFoundError,
  PermissionDeniedError,
  RateLimitError,
  UnprocessableEntityError,
} from "../../mod.ts";
import { json, startServer } from "../helpers/server.ts";

const KEY = "sk-errors-test-secret-key-9876";
const TOKEN = "eyJ-errors-test-bearer-token-5432";

/** Asserts that no rendering of the error leaks the secrets. */
function assertNoSecret(err: unknown): void {
  const renderings = [
    String(err),
    (err as Error).stack ?? "",
    JSON.stringify(err),
    Deno.inspect(err, { depth: 10 }),
  ];
  for (const text of renderings) {
    assert.ok(!text.includes(KEY), `key leaked in: ${text.slice(0, 200)}`);
    assert.ok(!text.includes(TOKEN), `token leaked in: ${text.slice(0, 200)}`);
  }
}

const cases: [number, unknown, new (...args: never[]) => AzureOpenAIError, string | undefined][] = [
  [
    400,
    { error: { code: "BadRequest", message: "bad messages", param: "messages" } },
    BadRequestError,
    "BadRequest",
  ],
  [
    401,
    { error: { code: "401", message: "Access denied due to invalid subscription key" } },
    AuthenticationError,
    "401",
  ],
  [403, { error: { code: "Forbidden", message: "no" } }, PermissionDeniedError, "Forbidden"],
  [
    404,
    {
      error: {
        code: "DeploymentNotFound",
        message: "The API deployment for this resource does not exist.",
      },
    },
    NotFoundError,
    "DeploymentNotFound",
  ],
  [409, { error: { code: "Conflict", message: "busy" } }, ConflictError, "Conflict"],
  [
    422,
    { error: { code: "Unprocessable", message: "nope" } },
    UnprocessableEntityError,
    "Unprocessable",
  ],
  [429, { error: { code: "429", message: "Rate limit is exceeded." } }, RateLimitError, "429"],
  [
    500,
    { error: { code: "InternalServerError", message: "oops" } },
    InternalServerError,
    "InternalServerError",
  ],
  [503, "<html>Service Unavailable</html>", InternalServerError, undefined],
];

for (const [status, body, Class, code] of cases) {
  Deno.test(`errors: a ${status} response becomes ${Class.name} with code, request id and no secret`, async () => {
    await using server = await startServer(() =>
      typeof body === "string"
        ? new Response(body, {
          status,
          headers: { "apim-request-id": "req-123", "retry-after": "7" },
        })
        : json(body, status, { "apim-request-id": "req-123", "retry-after": "7" })
    );
    const client = new AzureOpenAI({ endpoint: server.url, apiKey: KEY, maxRetries: 0 });
    const err = await client.embeddings.create({ model: "emb", input: `leak ${KEY}?` }).then(
      () => assert.fail("expected an error"),
      (e: unknown) => e,
    );
    assert.ok(err instanceof Class, `got ${(err as Error).name}`);
    assert.ok(err instanceof AzureOpenAIError);
    assert.equal(err.status, status);
    assert.equal(err.code, code);
    assert.equal(err.requestId, "req-123");
    assert.equal(err.name, Class.name);
    assert.match(
      err.message,
      new RegExp(
        `embeddings\\.create \\(POST http://127\\.0\\.0\\.1:\\d+/openai/deployments/emb/embeddings\\?api-version=2024-10-21\\) failed with status ${status}`,
      ),
    );
    assert.match(err.message, /request id req-123/);
    if (status === 429) assert.equal((err as RateLimitError).retryAfterMs, 7000);
    if (typeof body === "string") assert.match(err.message, /Service Unavailable/);
    assertNoSecret(err);
  });
}

Deno.test("errors: a 400 content_filter becomes ContentFilterError with inner error and filter results", async () => {
  const body = {
    error: {
      message:
        "The response was filtered due to the prompt triggering Azure OpenAI's content management policy.",
      type: null,
      param: "prompt",
      code: "content_filter",
      status: 400,
      innererror: {
        code: "ResponsibleAIPolicyViolation",
        content_filter_result: {
          hate: { filtered: true, severity: "high" },
          self_harm: { filtered: false, severity: "safe" },
        },
      },
    },
  };
  await using server = await startServer(() => json(body, 400, { "x-request-id": "xr-9" }));
  const client = new AzureOpenAI({ endpoint: server.url, apiKey: KEY, deployment: "gpt-4o" });
  const err = await client.chat.completions
    .create({ messages: [{ role: "user", content: "bad" }] })
    .catch((e: unknown) => e);
  assert.ok(err instanceof ContentFilterError);
  assert.ok(err instanceof BadRequestError);
  assert.equal(err.code, "content_filter");
  assert.equal(err.param, "prompt");
  assert.equal(err.requestId, "xr-9");
  assert.equal(err.innerError?.code, "ResponsibleAIPolicyViolation");
  assert.deepEqual(err.contentFilterResults?.hate, { filtered: true, severity: "high" });
});

Deno.test("errors: inner_error spelling and DALL-E revised_prompt are read", async () => {
  await using server = await startServer(() =>
    json({
      error: {
        code: "contentFilter",
        message: "filtered",
        inner_error: {
          code: "ResponsibleAIPolicyViolation",
          revised_prompt: "a calmer prompt",
          content_filter_results: { violence: { filtered: true, severity: "medium" } },
        },
      },
    }, 400)
  );
  const client = new AzureOpenAI({ endpoint: server.url, apiKey: KEY, deployment: "dall-e-3" });
  const err = await client.images.generate({ prompt: "x" }).catch((e: unknown) => e);
  assert.ok(err instanceof ContentFilterError);
  assert.equal(err.revisedPrompt, "a calmer prompt");
  assert.deepEqual(err.contentFilterResults?.violence, { filtered: true, severity: "medium" });
});

Deno.test("errors: a refused connection becomes APIConnectionError with the cause", async () => {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  const client = new AzureOpenAI({
    endpoint: `http://127.0.0.1:${port}`,
    apiKey: KEY,
    deployment: "e",
    maxRetries: 0,
  });
  const err = await client.embeddings.create({ input: "x" }).catch((e: unknown) => e);
  assert.ok(err instanceof APIConnectionError);
  assert.ok(!(err instanceof APITimeoutError));
  assert.ok(err.cause instanceof Error);
  assert.match(err.message, /could not reach the service/);
  assertNoSecret(err);
});

Deno.test("errors: aborting through the signal gives APIUserAbortError", async () => {
  await using server = await startServer(async () => {
    await new Promise((r) => setTimeout(r, 300));
    return json({});
  });
  const client = new AzureOpenAI({ endpoint: server.url, apiKey: KEY, deployment: "e" });
  const controller = new AbortController();
  const pending = client.embeddings.create({ input: "x" }, { signal: controller.signal });
  setTimeout(() => controller.abort(), 20);
  const err = await pending.catch((e: unknown) => e);
  assert.ok(err instanceof APIUserAbortError, String(err));
  assertNoSecret(err);
});

Deno.test("errors: an expired per-call timeoutMs gives APITimeoutError", async () => {
  await using server = await startServer(async () => {
    await new Promise((r) => setTimeout(r, 300));
    return json({});
  });
  const client = new AzureOpenAI({ endpoint: server.url, token: TOKEN, deployment: "e" });
  const err = await client.embeddings
    .create({ input: "x" }, { timeoutMs: 30, maxRetries: 0 })
    .catch((e: unknown) => e);
  assert.ok(err instanceof APITimeoutError, String(err));
  assert.match(err.message, /timed out after 30 ms/);
  assertNoSecret(err);
});

Deno.test("errors: a service message echoing the key is redacted", async () => {
  await using server = await startServer((req) =>
    json({ error: { code: "401", message: `bad key ${req.headers.get("api-key")}` } }, 401)
  );
  const client = new AzureOpenAI({ endpoint: server.url, apiKey: KEY, deployment: "e" });
  const err = await client.embeddings.create({ input: "x" }).catch((e: unknown) => e);
  assert.ok(err instanceof AuthenticationError);
  assert.match(err.message, /bad key \*\*\*/);
  assertNoSecret(err);
});
