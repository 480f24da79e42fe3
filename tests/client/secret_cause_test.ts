// The failure kept as `cause` is part of every rendering of an error (Deno.inspect, console.log):
// a key or token inside it leaks as surely as one in the message.
import assert from "node:assert/strict";
import { APIConnectionError, AzureOpenAI } from "../../mod.ts";

const KEY = "sk-cause-test-secret-key-4711";

function assertNoKey(err: unknown): void {
  for (const text of [String(err), JSON.stringify(err), Deno.inspect(err, { depth: 10 })]) {
    assert.ok(!text.includes(KEY), `key leaked in: ${text}`);
  }
}

Deno.test("embeddings.create() keeps no api key in the cause when an injected fetch fails with it", async () => {
  const client = new AzureOpenAI({
    endpoint: "https://res.openai.azure.com",
    apiKey: KEY,
    deployment: "emb",
    maxRetries: 0,
    fetch: (request) =>
      Promise.reject(
        new Error(`proxy refused ${request.url} (api-key: ${request.headers.get("api-key")})`, {
          cause: new TypeError(`upstream said no to ${request.headers.get("api-key")}`),
        }),
      ),
  });
  const err = await client.embeddings.create({ input: "x" }).then(
    () => assert.fail("expected a rejection"),
    (e: unknown) => e,
  );
  assert.ok(err instanceof APIConnectionError);
  assertNoKey(err);
  // The cause is still there, with its kind and what it said, minus the key.
  const cause = err.cause as Error;
  assert.ok(cause instanceof Error);
  assert.match(
    cause.message,
    /^proxy refused https:\/\/res\.openai\.azure\.com\/.* \(api-key: \*\*\*\)$/,
  );
  assert.ok((cause.cause as Error) instanceof TypeError);
});

Deno.test("embeddings.create() keeps the cause object itself when it holds no secret", async () => {
  const failure = new TypeError("connection reset");
  const client = new AzureOpenAI({
    endpoint: "https://res.openai.azure.com",
    apiKey: KEY,
    deployment: "emb",
    maxRetries: 0,
    fetch: () => Promise.reject(failure),
  });
  const err = await client.embeddings.create({ input: "x" }).then(
    () => assert.fail("expected a rejection"),
    (e: unknown) => e,
  );
  assert.ok(err instanceof APIConnectionError);
  assert.equal(err.cause, failure);
});

Deno.test("embeddings.create() scrubs an api key given with surrounding whitespace (sent trimmed)", async () => {
  const client = new AzureOpenAI({
    endpoint: "https://res.openai.azure.com",
    apiKey: ` ${KEY}\t`,
    deployment: "emb",
    maxRetries: 0,
    fetch: (request) => Promise.reject(new Error(`refused key ${request.headers.get("api-key")}`)),
  });
  const err = await client.embeddings.create({ input: "x" }).then(
    () => assert.fail("expected a rejection"),
    (e: unknown) => e,
  );
  assert.ok(err instanceof APIConnectionError);
  assert.match(err.message, /refused key \*\*\*/);
  assertNoKey(err);
});

Deno.test("embeddings.create() scrubs credential headers given in defaultHeaders and per-call headers", async () => {
  const GATEWAY = "apim-gateway-subscription-key-31337";
  const CALL = "per-call-bearer-token-27182818";
  const client = new AzureOpenAI({
    endpoint: "https://res.openai.azure.com",
    apiKey: KEY,
    deployment: "emb",
    maxRetries: 0,
    defaultHeaders: { "Ocp-Apim-Subscription-Key": GATEWAY },
    fetch: (request) =>
      Promise.reject(
        new Error(
          `gateway refused ${request.headers.get("ocp-apim-subscription-key")} ` +
            `${request.headers.get("x-api-key")}`,
        ),
      ),
  });
  const err = await client.embeddings.create({ input: "x" }, { headers: { "x-api-key": CALL } })
    .then(() => assert.fail("expected a rejection"), (e: unknown) => e);
  assert.ok(err instanceof APIConnectionError);
  assert.match(err.message, /gateway refused \*\*\* \*\*\*/);
  for (const text of [String(err), JSON.stringify(err), Deno.inspect(err, { depth: 10 })]) {
    assert.ok(!text.includes(GATEWAY) && !text.includes(CALL), `header secret leaked in: ${text}`);
  }
});

Deno.test("embeddings.create() scrubs the decoded user:password of a Basic authorization header", async () => {
  const PASSWORD = "basic-gateway-password-161803";
  const USER_PASS = `gateway-user:${PASSWORD}`;
  const client = new AzureOpenAI({
    endpoint: "https://res.openai.azure.com",
    apiKey: KEY,
    deployment: "emb",
    maxRetries: 0,
    defaultHeaders: { "proxy-authorization": `Basic ${btoa(USER_PASS)}` },
    fetch: (request) => {
      const basic = request.headers.get("proxy-authorization")!.slice("Basic ".length);
      return Promise.reject(new Error(`gateway refused ${atob(basic)} (password ${PASSWORD})`));
    },
  });
  const err = await client.embeddings.create({ input: "x" })
    .then(() => assert.fail("expected a rejection"), (e: unknown) => e);
  assert.ok(err instanceof APIConnectionError);
  for (const text of [String(err), JSON.stringify(err), Deno.inspect(err, { depth: 10 })]) {
    assert.ok(!text.includes(PASSWORD), `Basic password leaked in: ${text}`);
  }
});
