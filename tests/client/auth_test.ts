import assert from "node:assert/strict";
import { type AccessToken, AuthenticationError, AzureOpenAI } from "../../mod.ts";
import { json, startServer } from "../helpers/server.ts";

const EMPTY = {
  object: "list",
  data: [],
  model: "m",
  usage: { prompt_tokens: 0, total_tokens: 0 },
};

Deno.test("tokenProvider: a token is fetched once and reused until near expiry", async () => {
  await using server = await startServer(() => json(EMPTY));
  let calls = 0;
  const provider = (): Promise<AccessToken> => {
    calls++;
    return Promise.resolve({
      token: `tok-${calls}-abcdef`,
      expiresOnTimestamp: Date.now() + 3_600_000,
    });
  };
  const client = new AzureOpenAI({
    endpoint: server.url,
    tokenProvider: provider,
    deployment: "e",
  });
  for (let i = 0; i < 3; i++) {
    await client.embeddings.create({ input: "x", encoding_format: "float" });
  }
  assert.equal(calls, 1);
  assert.deepEqual(server.seen.map((s) => s.headers.get("authorization")), [
    "Bearer tok-1-abcdef",
    "Bearer tok-1-abcdef",
    "Bearer tok-1-abcdef",
  ]);
});

Deno.test("tokenProvider: a token near expiry is refreshed", async () => {
  await using server = await startServer(() => json(EMPTY));
  let calls = 0;
  const provider = (): AccessToken => {
    calls++;
    // Expires within the default 2-minute refresh margin.
    return { token: `tok-${calls}-abcdef`, expiresOnTimestamp: Date.now() + 60_000 };
  };
  const client = new AzureOpenAI({
    endpoint: server.url,
    tokenProvider: provider,
    deployment: "e",
  });
  await client.embeddings.create({ input: "x", encoding_format: "float" });
  await client.embeddings.create({ input: "x", encoding_format: "float" });
  assert.equal(calls, 2);
});

Deno.test("tokenProvider: concurrent callers share one refresh", async () => {
  await using server = await startServer(() => json(EMPTY));
  let calls = 0;
  const provider = async (): Promise<AccessToken> => {
    calls++;
    await new Promise((r) => setTimeout(r, 20));
    return { token: "tok-shared-abcdef", expiresOnTimestamp: Date.now() + 3_600_000 };
  };
  const client = new AzureOpenAI({
    endpoint: server.url,
    tokenProvider: provider,
    deployment: "e",
  });
  await Promise.all(
    Array.from(
      { length: 10 },
      () => client.embeddings.create({ input: "x", encoding_format: "float" }),
    ),
  );
  assert.equal(calls, 1);
  assert.equal(server.seen.length, 10);
});

Deno.test("tokenProvider: a 401 causes exactly one refresh and one retry", async () => {
  await using server = await startServer((req) =>
    req.headers.get("authorization") === "Bearer tok-1-abcdef"
      ? json({ error: { code: "401", message: "expired" } }, 401)
      : json(EMPTY)
  );
  let calls = 0;
  const provider = (): Promise<string> => Promise.resolve(`tok-${++calls}-abcdef`);
  const client = new AzureOpenAI({
    endpoint: server.url,
    tokenProvider: provider,
    deployment: "e",
  });
  const res = await client.embeddings.create({ input: "x", encoding_format: "float" });
  assert.deepEqual(res, EMPTY);
  assert.equal(calls, 2);
  assert.deepEqual(server.seen.map((s) => s.headers.get("authorization")), [
    "Bearer tok-1-abcdef",
    "Bearer tok-2-abcdef",
  ]);
  assert.deepEqual(JSON.parse(server.seen[1].text), { input: "x", encoding_format: "float" });
});

Deno.test("tokenProvider: a second 401 is returned as AuthenticationError without looping", async () => {
  await using server = await startServer(() =>
    json({ error: { code: "401", message: "no" } }, 401)
  );
  let calls = 0;
  const provider = (): string => `tok-${++calls}-abcdef`;
  const client = new AzureOpenAI({
    endpoint: server.url,
    tokenProvider: provider,
    deployment: "e",
  });
  const err = await client.embeddings.create({ input: "x" }).catch((e: unknown) => e);
  assert.ok(err instanceof AuthenticationError);
  assert.equal(calls, 2);
  assert.equal(server.seen.length, 2);
  assert.ok(!String(err).includes("tok-1-abcdef") && !String(err).includes("tok-2-abcdef"));
});

Deno.test("tokenProvider: a JWT string is cached until its exp claim", async () => {
  await using server = await startServer(() => json(EMPTY));
  const b64url = (o: unknown) =>
    btoa(JSON.stringify(o)).replace(/=+$/, "").replace(/\+/g, "-").replace(/\//g, "_");
  const jwt = `${b64url({ alg: "none" })}.${
    b64url({ exp: Math.floor(Date.now() / 1000) + 3600 })
  }.sig`;
  let calls = 0;
  const client = new AzureOpenAI({
    endpoint: server.url,
    tokenProvider: () => {
      calls++;
      return Promise.resolve(jwt);
    },
    deployment: "e",
  });
  await client.embeddings.create({ input: "x", encoding_format: "float" });
  await client.embeddings.create({ input: "x", encoding_format: "float" });
  assert.equal(calls, 1);
});

Deno.test("tokenProvider: a failing provider rejects with AuthenticationError and sends nothing", async () => {
  await using server = await startServer(() => json(EMPTY));
  const failure = new Error("AADSTS700082: the refresh token has expired");
  const client = new AzureOpenAI({
    endpoint: server.url,
    tokenProvider: () => Promise.reject(failure),
    deployment: "e",
  });
  await assert.rejects(client.embeddings.create({ input: "x" }), (err: unknown) => {
    assert.ok(err instanceof AuthenticationError, String(err));
    assert.match(err.message, /embeddings\.create: the tokenProvider failed \(AADSTS700082/);
    assert.equal(err.cause, failure);
    assert.equal(err.status, undefined);
    return true;
  });
  assert.equal(server.seen.length, 0, "no request went out");
});
