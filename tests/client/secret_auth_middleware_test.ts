// Credentials set by apiKeyAuth() / tokenAuth() passed as middleware (instead of the apiKey,
// token or tokenProvider options) are scrubbed from errors like the client's own.
import assert from "node:assert/strict";
import {
  APIConnectionError,
  apiKeyAuth,
  AuthenticationError,
  AzureOpenAI,
  tokenAuth,
} from "../../mod.ts";
import { startServer } from "../helpers/server.ts";

const KEY = "sk-middleware-auth-secret-key-8086";
const TOKEN = "static-bearer-token-of-middleware-6502";

function assertNo(err: unknown, secrets: string[]): void {
  const cause = (err as Error).cause;
  for (
    const text of [
      String(err),
      JSON.stringify(err),
      (err as Error).stack ?? "",
      String(cause),
      Deno.inspect(err, { depth: 10 }),
    ]
  ) {
    for (const secret of secrets) assert.ok(!text.includes(secret), `leaked in: ${text}`);
  }
}

const rejected = (promise: Promise<unknown>) =>
  promise.then(() => assert.fail("expected a rejection"), (e: unknown) => e);

/** A fetch failing with a message that quotes the request's credential headers. */
const echoFetch = (request: Request) =>
  Promise.reject(
    new Error(
      `proxy refused api-key=${request.headers.get("api-key")} ` +
        `authorization=${request.headers.get("authorization")}`,
      { cause: new TypeError(`upstream refused ${request.headers.get("api-key")}`) },
    ),
  );

Deno.test("errors keep no api key of an apiKeyAuth() given as client middleware", async () => {
  const client = new AzureOpenAI({
    endpoint: "https://res.openai.azure.com",
    deployment: "emb",
    maxRetries: 0,
    middleware: [apiKeyAuth(KEY)],
    fetch: echoFetch,
  });
  const err = await rejected(client.embeddings.create({ input: "x" }));
  assert.ok(err instanceof APIConnectionError);
  assert.match(err.message, /api-key=\*\*\*/);
  assertNo(err, [KEY]);
});

Deno.test("errors keep no token of a tokenAuth() given as per-call middleware", async () => {
  const client = new AzureOpenAI({
    endpoint: "https://res.openai.azure.com",
    apiKey: "client-own-key-not-sent-here",
    deployment: "emb",
    maxRetries: 0,
    fetch: echoFetch,
  });
  const err = await rejected(
    client.embeddings.create({ input: "x" }, { middleware: [tokenAuth(TOKEN)] }),
  );
  assert.ok(err instanceof APIConnectionError);
  assert.match(err.message, /authorization=Bearer \*\*\*/);
  assertNo(err, [TOKEN]);
});

Deno.test("an AuthenticationError keeps no credential of auth middleware its body echoes", async () => {
  await using server = await startServer((req) =>
    Response.json({
      error: {
        code: "401",
        message: `Access denied: key '${req.headers.get("api-key")}', ` +
          `authorization '${req.headers.get("authorization")}'`,
      },
    }, { status: 401 })
  );
  // A provider that hands out a new token each time (the 401 makes tokenAuth() ask again).
  let n = 0;
  const issued: string[] = [];
  const provider = () => {
    issued.push(`rotating-provider-token-${++n}-1f2e3d`);
    return issued.at(-1)!;
  };
  const client = new AzureOpenAI({
    endpoint: server.url,
    deployment: "emb",
    maxRetries: 0,
    middleware: [tokenAuth(provider)],
  });
  const err = await rejected(client.embeddings.create({ input: "x" }));
  assert.ok(err instanceof AuthenticationError);
  assert.equal(issued.length, 2);
  assert.match(err.message, /authorization 'Bearer \*\*\*'/);
  assertNo(err, issued);

  const perCall = await rejected(
    client.embeddings.create({ input: "x" }, { middleware: [apiKeyAuth(KEY)] }),
  );
  assert.ok(perCall instanceof AuthenticationError);
  assert.match(perCall.message, /key '\*\*\*'/);
  assertNo(perCall, [KEY]);
});

Deno.test("errors keep no token of the tokenProvider option (the provider's auth layer)", async () => {
  const issued = "object-provider-token-of-the-client-9a8b";
  const client = new AzureOpenAI({
    endpoint: "https://res.openai.azure.com",
    deployment: "emb",
    maxRetries: 0,
    tokenProvider: () => ({ token: issued, expiresOnTimestamp: Date.now() + 3_600_000 }),
    fetch: echoFetch,
  });
  const err = await rejected(client.embeddings.create({ input: "x" }));
  assert.ok(err instanceof APIConnectionError);
  assert.match(err.message, /authorization=Bearer \*\*\*/);
  assertNo(err, [issued]);
});
