/**
 * `cache()` never stores or serves an embeddings vector that is not whole: cut to a length that
 * still decodes to whole floats, another length than `dimensions` asks, a length that differs
 * from the rest of the answer, or (from entries stored by older versions) non-finite values.
 * Rebuilt answers keep the upstream's `usage` as it was, or leave it out as it did.
 */
import assert from "node:assert/strict";
import { AzureOpenAI } from "../client.ts";
import { AzureOpenAIError } from "../errors/api_error.ts";
import { cache } from "./cache.ts";
import { vectorEntry } from "./_embeddings_cache.ts";
import { compose } from "./compose.ts";
import { bytesToBase64, floatsToBytes } from "./_float32.ts";
import type { MiddlewareContext } from "./types.ts";
import type { CacheStore } from "../cache/types.ts";
import { makeContext } from "../../tests/middleware/_context.ts";

const ENDPOINT = "https://res.openai.azure.com";
const EMB = `${ENDPOINT}/openai/deployments/emb/embeddings?api-version=2024-10-21`;
const CHAT = `${ENDPOINT}/openai/deployments/gpt/chat/completions?api-version=2024-10-21`;

type Body = { input: string[]; encoding_format?: string; dimensions?: number };
type Vector = number[] | string;

const b64 = (values: number[]) => bytesToBase64(floatsToBytes(values));
/** The Float32 vector of an input: 4 values (or `dims`), distinct per input. */
const vec = (input: string, dims = 4) =>
  Array.from({ length: dims }, (_, i) => input.charCodeAt(0) + i + 0.5);

const MODEL = "text-embedding-3-small";

/** A store whose entries the test can read and plant. */
class Store implements CacheStore {
  entries = new Map<string, Uint8Array>();
  get(key: string) {
    return Promise.resolve(this.entries.get(key) ?? null);
  }
  set(key: string, value: Uint8Array) {
    this.entries.set(key, value);
    return Promise.resolve();
  }
  delete(key: string) {
    this.entries.delete(key);
    return Promise.resolve();
  }
  /** Vector entries (not the model key). */
  vectors() {
    return [...this.entries].filter(([key]) => key.startsWith("aoai:emb:"));
  }
}

/** Makes `answer()` leave `usage` out. */
const NO_USAGE = Symbol("no usage");

/** An embeddings answer with `vector(input)` per input, encoded as asked. */
function answer(body: Body, vector: (input: string) => Vector, usage?: unknown) {
  const json: Record<string, unknown> = {
    object: "list",
    data: body.input.map((input, index) => {
      const v = vector(input);
      return {
        object: "embedding",
        index,
        embedding: typeof v === "string" || body.encoding_format !== "base64" ? v : b64(v),
      };
    }),
    model: MODEL,
  };
  if (usage !== NO_USAGE) {
    json.usage = usage === undefined
      ? { prompt_tokens: body.input.length, total_tokens: 2 }
      : usage;
  }
  return Response.json(json);
}

/** Runs `cache()` over a fake service; `reply(body, n)` answers the n-th call (from 1). */
function service(store: Store, reply: (body: Body, n: number) => Response) {
  const sent: Body[] = [];
  const answers: string[] = [];
  const run = async (body: Record<string, unknown>) => {
    const ctx = makeContext({
      operation: "embeddings.create",
      deployment: "emb",
      request: new Request(EMB, {
        method: "POST",
        body: JSON.stringify(body),
        headers: { "content-type": "application/json" },
      }),
    });
    const res = await compose([cache({ store })], async (c: MiddlewareContext) => {
      const json = await c.request.json() as Body;
      sent.push(json);
      const res = reply(json, sent.length);
      answers.push(await res.clone().text());
      return res;
    })(ctx);
    return { res, text: await res.text() };
  };
  return { sent, answers, run };
}

/** Base64 of `dims` floats cut after `chars` characters. */
const cut = (input: string, dims: number, chars: number) => b64(vec(input, dims)).slice(0, chars);

Deno.test("cache() passes a vector shorter than dimensions (cut base64 of whole floats) through and stores nothing", async () => {
  const store = new Store();
  // 4 floats are 24 base64 characters; 16 of them are 3 whole floats.
  const up = service(store, (body) => answer(body, (input) => cut(input, 4, 16)));
  const body = { input: ["a"], dimensions: 4, encoding_format: "base64" };
  const { res, text } = await up.run(body);
  assert.equal(text, up.answers[0], "the upstream's body, unchanged");
  assert.equal(res.headers.get("x-aoai-cache"), "miss");
  assert.equal(store.vectors().length, 0, "nothing stored");
  await up.run(body);
  assert.equal(up.sent.length, 2, "the next identical call goes upstream");
});

Deno.test("cache() answers a partial hit whose fresh vector is shorter than dimensions with the caller's own request", async () => {
  const store = new Store();
  const up = service(
    store,
    (body, n) => answer(body, (input) => n === 2 ? cut(input, 4, 16) : vec(input)),
  );
  await up.run({ input: ["a"], dimensions: 4 });
  const stored = store.vectors().length;
  const caller = { input: ["a", "b"], dimensions: 4, encoding_format: "float" };
  const { res, text } = await up.run(caller);
  assert.deepEqual(up.sent[1].input, ["b"], "the missing-only request");
  assert.deepEqual(up.sent[2], caller, "then the caller's own, as sent");
  assert.equal(res.headers.get("x-aoai-cache"), "miss");
  assert.deepEqual(JSON.parse(text).data.map((d: { embedding: number[] }) => d.embedding), [
    vec("a"),
    vec("b"),
  ]);
  assert.equal(store.vectors().length, stored, "the short vector was not stored");
});

Deno.test("cache() with a vector cut to whole floats and dimensions: the client gets what it gets uncached", async () => {
  const fetch = (req: Request | URL | string, init?: RequestInit) =>
    new Request(req, init).json().then((body: Body) => answer(body, (input) => cut(input, 8, 32)));
  const store = new Store();
  const params = { model: "emb", input: ["a", "b"], dimensions: 8 };
  const results = [];
  for (const middleware of [[], [cache({ store })]]) {
    const client = new AzureOpenAI({
      endpoint: ENDPOINT,
      apiKey: "k",
      apiVersion: "2024-10-21",
      maxRetries: 0,
      fetch,
      middleware,
    });
    results.push(await client.embeddings.create(params));
  }
  assert.equal(results[0].data[0].embedding.length, 6, "uncached: the short vector as sent");
  assert.deepEqual(results[1].data, results[0].data);
  assert.equal(store.vectors().length, 0, "nothing stored");
});

Deno.test("cache() reads a stored vector whose length is not the request's dimensions as a miss and replaces it", async () => {
  const store = new Store();
  const up = service(store, (body) => answer(body, (input) => vec(input)));
  const body = { input: ["a"], dimensions: 4, encoding_format: "float" };
  await up.run(body);
  const [[key]] = store.vectors();
  store.entries.set(key, vectorEntry(floatsToBytes([1, 2, 3]), MODEL)!); // cut, stored by an older version
  const miss = await up.run(body);
  assert.equal(miss.res.headers.get("x-aoai-cache"), "miss");
  assert.deepEqual(JSON.parse(miss.text).data[0].embedding, vec("a"));
  const hit = await up.run(body);
  assert.equal(hit.res.headers.get("x-aoai-cache"), "hit", "the fresh vector replaced it");
  assert.deepEqual(JSON.parse(hit.text).data[0].embedding, vec("a"));
});

Deno.test("cache() refuses base64 with a dangling character even when the rest is whole floats", async () => {
  const store = new Store();
  // 4 floats: 24 characters; cut after 17, 16 of them are 3 whole floats, 1 is left over.
  const up = service(store, (body) => answer(body, (input) => cut(input, 4, 17)));
  const body = { input: ["a"], encoding_format: "base64" };
  const { text } = await up.run(body);
  assert.equal(text, up.answers[0], "the upstream's body, unchanged");
  assert.equal(store.vectors().length, 0, "nothing stored");
  // What the client makes of it, with and without the cache: the same typed error.
  for (const middleware of [[], [cache({ store })]]) {
    const client = new AzureOpenAI({
      endpoint: ENDPOINT,
      apiKey: "k",
      apiVersion: "2024-10-21",
      maxRetries: 0,
      fetch: (req, init) =>
        new Request(req, init).json().then((b: Body) => answer(b, (i) => cut(i, 4, 17))),
      middleware,
    });
    await assert.rejects(
      client.embeddings.create({ model: "emb", input: ["a"] }),
      (err) => err instanceof AzureOpenAIError && /cut or corrupt/.test(err.message),
    );
  }
  assert.equal(store.vectors().length, 0, "nothing stored");
});

Deno.test("cache() does not merge a cached vector with fresh ones of another length", async () => {
  const store = new Store();
  const up = service(
    store,
    (body, n) => answer(body, (input) => n === 2 ? cut(input, 4, 16) : vec(input)),
  );
  await up.run({ input: ["a"] });
  const caller = { input: ["a", "b"], encoding_format: "float" };
  const { res, text } = await up.run(caller);
  const vectors = JSON.parse(text).data.map((d: { embedding: number[] }) => d.embedding);
  assert.deepEqual(vectors, [vec("a"), vec("b")], "the whole batch, fetched afresh");
  assert.equal(res.headers.get("x-aoai-cache"), "miss");
  for (const [, value] of store.vectors()) {
    assert.equal(value.byteLength, 16 + MODEL.length + 1, "no short vector (and the model's name)");
  }
});

for (const value of [NaN, Infinity, -Infinity]) {
  Deno.test(`cache() reads a stored vector holding ${value} as a miss and replaces it`, async () => {
    const store = new Store();
    const up = service(store, (body) => answer(body, (input) => vec(input)));
    const body = { input: ["a", "b"], encoding_format: "float" };
    await up.run(body);
    const [[key]] = store.vectors();
    store.entries.set(key, vectorEntry(floatsToBytes([0.5, value, 1, 2]), MODEL)!); // stored by an older version
    const miss = await up.run(body);
    assert.equal(miss.res.headers.get("x-aoai-cache"), "partial");
    const data = JSON.parse(miss.text).data.map((d: { embedding: number[] }) => d.embedding);
    assert.deepEqual(data, [vec("a"), vec("b")], "no null element");
    const hit = await up.run(body);
    assert.equal(hit.res.headers.get("x-aoai-cache"), "hit", "the fresh vector replaced it");
    assert.doesNotMatch(hit.text, /null/);
  });
}

Deno.test("cache() leaves usage out of a rebuilt answer when the upstream sent none (miss and partial)", async () => {
  const store = new Store();
  const up = service(store, (body) => answer(body, (input) => vec(input), NO_USAGE));
  const miss = await up.run({ input: ["a"] });
  assert.equal(miss.res.headers.get("x-aoai-cache"), "miss");
  assert.equal("usage" in JSON.parse(miss.text), false, miss.text);
  const partial = await up.run({ input: ["a", "b"] });
  assert.equal(partial.res.headers.get("x-aoai-cache"), "partial");
  assert.equal("usage" in JSON.parse(partial.text), false, partial.text);
});

Deno.test("cache() keeps a usage of null as the upstream sent it", async () => {
  const store = new Store();
  const up = service(store, (body) => answer(body, (input) => vec(input), null));
  const miss = await up.run({ input: ["a"] });
  assert.equal(JSON.parse(miss.text).usage, null);
});

Deno.test("cache() chat: a completion without usage is served without usage on miss and hit", async () => {
  const store = new Store();
  const completion = JSON.stringify({
    id: "chatcmpl-1",
    object: "chat.completion",
    choices: [{ index: 0, message: { role: "assistant", content: "hi" }, finish_reason: "stop" }],
  });
  for (const status of ["miss", "hit"]) {
    const ctx = makeContext({
      request: new Request(CHAT, {
        method: "POST",
        body: JSON.stringify({ messages: [{ role: "user", content: "x" }], temperature: 0 }),
        headers: { "content-type": "application/json" },
      }),
    });
    const res = await compose(
      [cache({ store, chat: true })],
      () =>
        Promise.resolve(
          new Response(completion, { headers: { "content-type": "application/json" } }),
        ),
    )(ctx);
    assert.equal(res.headers.get("x-aoai-cache"), status);
    assert.equal("usage" in await res.json(), false);
  }
});
