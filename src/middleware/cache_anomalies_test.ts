/**
 * `cache()` against 2xx answers that are not what they seem: an error object, a list that does
 * not match the inputs, corrupt vectors, a body cut mid-way, chat completions that are empty,
 * truncated or filtered. Nothing of them may be stored, the caller gets the upstream's answer
 * (never a fabricated one) and the next identical call goes upstream again.
 */
import assert from "node:assert/strict";
import { AzureOpenAI } from "../client.ts";
import { APIConnectionError, APIUserAbortError, AzureOpenAIError } from "../errors/api_error.ts";
import { createEmulator } from "../emulator/mod.ts";
import { cache } from "./cache.ts";
import { chatCacheKey } from "./_chat_cache.ts";
import { compose } from "./compose.ts";
import { bytesToBase64, floatsToBytes } from "./_float32.ts";
import type { MiddlewareContext } from "./types.ts";
import { MemoryCache } from "../cache/memory_cache.ts";
import { makeContext } from "../../tests/middleware/_context.ts";

const ENDPOINT = "https://res.openai.azure.com";
const EMB = `${ENDPOINT}/openai/deployments/emb/embeddings?api-version=2024-10-21`;
const CHAT = `${ENDPOINT}/openai/deployments/gpt/chat/completions?api-version=2024-10-21`;

type Body = { input: string[]; encoding_format?: string };
type Answer = (body: Body) => Response | Promise<Response>;

const b64 = (values: number[]) => bytesToBase64(floatsToBytes(values));

/** A well-formed answer: 4 dims per input, base64 when asked. */
const good: Answer = (body) =>
  Response.json({
    object: "list",
    data: body.input.map((_, index) => ({
      object: "embedding",
      index,
      embedding: body.encoding_format === "base64"
        ? b64([index + 0.5, 1, 2, 3])
        : [index + 0.5, 1, 2, 3],
    })),
    model: "text-embedding-3-small",
    usage: { prompt_tokens: body.input.length, total_tokens: body.input.length },
  });

const list = (data: unknown[]) =>
  Response.json({
    object: "list",
    data,
    model: "m",
    usage: { prompt_tokens: 2, total_tokens: 2 },
  });

/** A body that sends its first bytes, then loses the connection. */
const cutBody = (first = '{"object":"list","data":[') =>
  new Response(
    new ReadableStream({
      start(controller) {
        controller.enqueue(new TextEncoder().encode(first));
        controller.error(new TypeError("connection reset by peer"));
      },
    }),
    { headers: { "content-type": "application/json" } },
  );

/** 2xx answers that do not answer the embeddings request sent (`inputs`: what was sent). */
const ODD: [string, (inputs: string[]) => Response][] = [
  ["an error object", () => Response.json({ error: { code: "Throttled", message: "gateway" } })],
  ["not JSON", () => new Response("<html>gateway</html>", { status: 200 })],
  ["an empty body", () => new Response("", { headers: { "content-type": "application/json" } })],
  ["a 203 from a transforming proxy", (inputs) =>
    new Response(
      JSON.stringify({
        object: "list",
        data: inputs.map((_, index) => ({ object: "embedding", index, embedding: b64([1, 2]) })),
        model: "m",
        usage: { prompt_tokens: 2, total_tokens: 2 },
      }),
      { status: 203, headers: { "content-type": "application/json" } },
    )],
  [
    "one item too many",
    (inputs) => list([...inputs, "x"].map((_, index) => ({ index, embedding: b64([1, 2]) }))),
  ],
  [
    "one item missing",
    (inputs) => list(inputs.slice(1).map((_, index) => ({ index, embedding: b64([1, 2]) }))),
  ],
  [
    "an index out of range",
    (inputs) => list(inputs.map((_, index) => ({ index: index + 1, embedding: b64([1, 2]) }))),
  ],
  ["an index missing", (inputs) => list(inputs.map(() => ({ embedding: b64([1, 2]) })))],
  ["a repeated index", (inputs) => list(inputs.map(() => ({ index: 0, embedding: b64([1, 2]) })))],
  [
    "a fractional index",
    (inputs) => list(inputs.map((_, index) => ({ index: index + 0.5, embedding: b64([1, 2]) }))),
  ],
  [
    "base64 that is not whole Float32 values",
    (inputs) => list(inputs.map((_, index) => ({ index, embedding: "AAAAAAA=" }))),
  ],
  [
    "a vector that is not base64",
    (inputs) => list(inputs.map((_, index) => ({ index, embedding: "AAAA*AAA" }))),
  ],
  [
    "a float array with a non-number",
    (inputs) => list(inputs.map((_, index) => ({ index, embedding: [0.5, "0.25", null] }))),
  ],
  ["an empty vector", (inputs) => list(inputs.map((_, index) => ({ index, embedding: [] })))],
  [
    "vectors of different lengths",
    (inputs) =>
      list(inputs.map((_, index) => ({ index, embedding: b64(index ? [1, 2] : [1, 2, 3]) }))),
  ],
  [
    "a NaN in a base64 vector",
    (inputs) => list(inputs.map((_, index) => ({ index, embedding: b64([0.5, NaN]) }))),
  ],
  [
    "an infinite value in a base64 vector",
    (inputs) => list(inputs.map((_, index) => ({ index, embedding: b64([0.5, -Infinity]) }))),
  ],
];

/** Runs `cache()` over a fake service answering the first call with `first`, then `good`. */
function service(store: MemoryCache, first?: (inputs: string[]) => Response) {
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
      const answer = sent.length === 1 && first ? first(json.input) : await good(json);
      answers.push(await answer.clone().text());
      return answer;
    })(ctx);
    return { res, text: await res.text() };
  };
  return { sent, answers, run };
}

for (const [name, odd] of ODD) {
  Deno.test(`cache() passes ${name} to a full miss through unchanged and stores nothing`, async () => {
    const store = new MemoryCache();
    const up = service(store, odd);
    const body = { input: ["a", "b"], encoding_format: "base64" };
    const { res, text } = await up.run(body);
    assert.equal(up.sent.length, 1, "one upstream call");
    assert.equal(text, up.answers[0], "the upstream's body, unchanged");
    assert.equal(res.headers.get("x-aoai-cache"), "miss");
    assert.equal(store.size, 0, "nothing stored");
    const next = await up.run(body);
    assert.equal(up.sent.length, 2, "the next identical call goes upstream");
    assert.equal(next.res.headers.get("x-aoai-cache"), "miss");
  });

  Deno.test(`cache() answers a partial hit whose missing inputs got ${name} with the caller's own request`, async () => {
    const store = new MemoryCache();
    await service(store).run({ input: ["a"], encoding_format: "float" });
    const warm = store.size;
    const up = service(store, odd);
    const caller = { input: ["a", "b", "c"], encoding_format: "float" };
    const { res, text } = await up.run(caller);
    assert.deepEqual(up.sent[0].input, ["b", "c"], "the missing-only request");
    assert.deepEqual(up.sent[1], caller, "then the caller's own, as sent");
    assert.equal(up.sent.length, 2);
    assert.equal(res.headers.get("x-aoai-cache"), "miss");
    const json = JSON.parse(text);
    assert.deepEqual(
      json.data.map((d: { embedding: number[] }) => d.embedding),
      [[0.5, 1, 2, 3], [1.5, 1, 2, 3], [2.5, 1, 2, 3]],
      "the upstream's answer to the caller's own request, not a merge",
    );
    assert.equal(store.size, warm, "the odd answer stored nothing");
  });
}

Deno.test("cache() passes an error object to a full miss that asked no encoding_format through, upstream once", async () => {
  // The edge app forwards the caller's body: curl users send no encoding_format, so cache()
  // asks base64 and the caller's own request differs from the one sent only in the format.
  const store = new MemoryCache();
  const up = service(store, ODD[0][1]);
  const { res, text } = await up.run({ input: ["a", "b"] });
  assert.equal(up.sent.length, 1, "not asked again");
  assert.equal(up.sent[0].encoding_format, "base64");
  assert.equal(text, up.answers[0]);
  assert.equal(res.headers.get("x-aoai-cache"), "miss");
  assert.equal(store.size, 0);
});

Deno.test("cache() with a vector holding NaN: the float caller gets NaN (as uncached), not null", async () => {
  const store = new MemoryCache();
  const client = new AzureOpenAI({
    endpoint: ENDPOINT,
    apiKey: "k",
    apiVersion: "2024-10-21",
    maxRetries: 0,
    fetch: async (req) => {
      const body = await new Request(req).json() as Body;
      return list(body.input.map((_, index) => ({ index, embedding: b64([0.5, NaN]) })));
    },
    middleware: [cache({ store })],
  });
  const res = await client.embeddings.create({ model: "emb", input: ["a"] });
  assert.ok(Number.isNaN(res.data[0].embedding[1]), `${res.data[0].embedding}`);
  assert.equal(store.size, 0);
});

function clientWith(answer: (req: Request) => Response | Promise<Response>, store: MemoryCache) {
  return new AzureOpenAI({
    endpoint: ENDPOINT,
    apiKey: "k",
    apiVersion: "2024-10-21",
    maxRetries: 0,
    fetch: (req, init) => Promise.resolve(answer(new Request(req, init))),
    middleware: [cache({ store, chat: true })],
  });
}

Deno.test("cache() embeddings: a body cut mid-way is the client's APIConnectionError, as uncached", async () => {
  for (const warm of [false, true]) {
    const store = new MemoryCache();
    let calls = 0;
    const client = clientWith(async (req) => {
      calls++;
      const body = await req.json() as Body;
      return body.input.length === 1 && body.input[0] === "a" ? good(body) : cutBody();
    }, store);
    if (warm) await client.embeddings.create({ model: "emb", input: "a" });
    const size = store.size;
    await assert.rejects(
      client.embeddings.create({ model: "emb", input: ["a", "b"] }),
      (err) => err instanceof APIConnectionError && /connection reset by peer/.test(err.message),
    );
    assert.equal(store.size, size, "nothing stored");
    assert.equal(calls, warm ? 2 : 1, "no second call for a cut body");
  }
});

Deno.test("cache() embeddings: an error object in a 200 is the client's typed error on a full miss and a partial hit", async () => {
  for (const warm of [false, true]) {
    const store = new MemoryCache();
    const client = clientWith(async (req) => {
      const body = await req.json() as Body;
      return body.input.includes("b")
        ? Response.json({ error: { code: "Throttled", message: "gateway says no" } })
        : good(body);
    }, store);
    if (warm) await client.embeddings.create({ model: "emb", input: "a" });
    const size = store.size;
    await assert.rejects(
      client.embeddings.create({ model: "emb", input: ["a", "b"] }),
      (err) =>
        err instanceof AzureOpenAIError && !(err instanceof TypeError) &&
        /gateway says no/.test(err.message),
    );
    assert.equal(store.size, size, "nothing stored");
  }
});

// --- chat ----------------------------------------------------------------------------------

const messages = [{ role: "user" as const, content: "hello" }];
const completion = (choices: unknown) =>
  Response.json({
    id: "chatcmpl-1",
    object: "chat.completion",
    created: 1,
    model: "gpt-4o",
    choices,
    usage: { prompt_tokens: 5, completion_tokens: 3, total_tokens: 8 },
  });
const choice = (finish_reason: unknown, content: string | null = "hi") => ({
  index: 0,
  message: { role: "assistant", content },
  finish_reason,
});

const ODD_CHAT: [string, () => Response][] = [
  ["no choices", () => Response.json({ id: "chatcmpl-1", object: "chat.completion" })],
  ["an empty choices list", () => completion([])],
  ["a choice that is null", () => completion([null])],
  ["a choice without a message", () => completion([{ index: 0, finish_reason: "stop" }])],
  ["finish_reason length (cut at max_tokens)", () => completion([choice("length", "Once up")])],
  ["finish_reason content_filter", () => completion([choice("content_filter", null)])],
  ["finish_reason null (unfinished)", () => completion([choice(null)])],
  ["no finish_reason", () => completion([{ index: 0, message: { role: "assistant" } }])],
  ["one of two choices cut", () => completion([choice("stop"), { ...choice("length"), index: 1 }])],
  ["one choice of the two asked (n: 2)", () => completion([choice("stop")])],
  [
    "three choices for the two asked (n: 2)",
    () => completion([0, 1, 2].map((index) => ({ ...choice("stop"), index }))),
  ],
  ["an error object", () => Response.json({ error: { code: "Throttled", message: "gateway" } })],
  [
    "a 203 from a transforming proxy",
    () =>
      new Response(
        JSON.stringify({ id: "c", object: "chat.completion", choices: [choice("stop")] }),
        {
          status: 203,
          headers: { "content-type": "application/json" },
        },
      ),
  ],
];

async function chatCall(store: MemoryCache, answer: () => Response, body: Record<string, unknown>) {
  let calls = 0;
  const answers: string[] = [];
  const ctx = makeContext({
    request: new Request(CHAT, {
      method: "POST",
      body: JSON.stringify(body),
      headers: { "content-type": "application/json" },
    }),
  });
  const res = await compose([cache({ store, chat: true })], () => {
    calls++;
    const r = answer();
    return r.clone().text().then((t) => (answers.push(t), r));
  })(ctx);
  return { res, text: await res.text(), calls, answers };
}

for (const [name, odd] of ODD_CHAT) {
  Deno.test(`cache() chat: ${name} is passed through, not stored, and not served next time`, async () => {
    const store = new MemoryCache();
    const body = { messages, temperature: 0, n: 2 };
    const miss = await chatCall(store, odd, body);
    assert.equal(miss.text, miss.answers[0], "the upstream's body, unchanged");
    assert.equal(miss.res.headers.get("x-aoai-cache"), "miss");
    assert.equal(store.size, 0, "nothing stored");
    const next = await chatCall(store, odd, body);
    assert.equal(next.calls, 1, "the next identical call goes upstream");
    assert.equal(next.res.headers.get("x-aoai-cache"), "miss");
  });
}

for (const finish of ["stop", "tool_calls", "function_call"]) {
  Deno.test(`cache() chat: a completion that finished with ${finish} is stored and replayed`, async () => {
    const store = new MemoryCache();
    const body = { messages, temperature: 0 };
    await chatCall(store, () => completion([choice(finish)]), body);
    const hit = await chatCall(store, () => completion([choice(finish)]), body);
    assert.equal(hit.calls, 0);
    assert.equal(hit.res.headers.get("x-aoai-cache"), "hit");
    assert.equal(JSON.parse(hit.text).choices[0].finish_reason, finish);
  });
}

Deno.test("cache() chat: an entry stored before with finish_reason length is not served", async () => {
  const store = new MemoryCache();
  const body = { messages, temperature: 0 };
  const key = await chatCacheKey(body, new URL(CHAT), "2024-10-21", "");
  const stale = { id: "old", object: "chat.completion", choices: [choice("length", "Once")] };
  await store.set(key!, new TextEncoder().encode(JSON.stringify(stale)));
  const res = await chatCall(store, () => completion([choice("stop", "Once upon a time")]), body);
  assert.equal(res.calls, 1);
  assert.equal(res.res.headers.get("x-aoai-cache"), "miss");
  assert.equal(JSON.parse(res.text).choices[0].message.content, "Once upon a time");
  const hit = await chatCall(store, () => completion([choice("stop", "other")]), body);
  assert.equal(hit.res.headers.get("x-aoai-cache"), "hit", "the complete answer replaced it");
  assert.equal(JSON.parse(hit.text).choices[0].message.content, "Once upon a time");
});

Deno.test("cache() chat: an entry stored before with fewer choices than n asks is not served", async () => {
  const store = new MemoryCache();
  const body = { messages, temperature: 0, n: 2 };
  const key = await chatCacheKey(body, new URL(CHAT), "2024-10-21", "");
  const stale = { id: "old", object: "chat.completion", choices: [choice("stop", "one")] };
  await store.set(key!, new TextEncoder().encode(JSON.stringify(stale)));
  const both = [choice("stop", "one"), { ...choice("stop", "two"), index: 1 }];
  const res = await chatCall(store, () => completion(both), body);
  assert.equal(res.calls, 1);
  assert.equal(res.res.headers.get("x-aoai-cache"), "miss");
  const hit = await chatCall(store, () => completion([]), body);
  assert.equal(hit.res.headers.get("x-aoai-cache"), "hit", "the complete answer replaced it");
  assert.equal(JSON.parse(hit.text).choices.length, 2);
});

Deno.test("cache() chat against the emulator: max_tokens cut and output filter are not cached", async () => {
  const emulator = createEmulator({ contentFilterOutputTrigger: "FILTER_ME" });
  const store = new MemoryCache();
  const client = new AzureOpenAI({
    endpoint: "http://emulator.local",
    apiKey: emulator.apiKey,
    fetch: emulator.fetch,
    maxRetries: 0,
    middleware: [cache({ store, chat: true })],
  });
  const cut = { model: "gpt-4o", temperature: 0, max_tokens: 2, messages };
  const filtered = {
    model: "gpt-4o",
    temperature: 0,
    messages: [{ role: "user" as const, content: "say FILTER_ME" }],
  };
  for (const [params, finish] of [[cut, "length"], [filtered, "content_filter"]] as const) {
    for (let i = 0; i < 2; i++) {
      const { data, response } = await client.chat.completions.create(params).withResponse();
      assert.equal(data.choices[0].finish_reason, finish);
      assert.equal(response.headers.get("x-aoai-cache"), "miss");
    }
  }
  assert.equal(store.size, 0);
  assert.equal(emulator.stats.requests, 4);
});

Deno.test("cache() chat: a body cut mid-way is the client's APIConnectionError, as uncached", async () => {
  const store = new MemoryCache();
  const client = clientWith(() => cutBody('{"id":"chatcmpl-1","choices":[{"index":0,'), store);
  await assert.rejects(
    client.chat.completions.create({ model: "gpt-4o", temperature: 0, messages }),
    (err) => err instanceof APIConnectionError && /connection reset by peer/.test(err.message),
  );
  assert.equal(store.size, 0);
});

Deno.test("cache() embeddings: the caller's own request cut mid-way after an odd partial answer is APIConnectionError", async () => {
  const store = new MemoryCache();
  let calls = 0;
  const client = clientWith(async (req) => {
    calls++;
    const body = await req.json() as Body;
    if (calls === 1) return good(body);
    if (calls === 2) return list([]); // too short: cache() sends the caller's own request
    return cutBody();
  }, store);
  await client.embeddings.create({ model: "emb", input: "a" });
  await assert.rejects(
    client.embeddings.create({ model: "emb", input: ["a", "b"] }),
    (err) => err instanceof APIConnectionError && /connection reset by peer/.test(err.message),
  );
  assert.equal(calls, 3);
  assert.equal(store.size, 2, "the warm entry and its model key only");
});

Deno.test("cache() embeddings: the caller's abort while cache() reads the body is APIUserAbortError, as uncached", async () => {
  let reading!: () => void;
  const read = new Promise<void>((resolve) => reading = resolve);
  const client = clientWith(
    (req) =>
      new Response(
        new ReadableStream({
          start(controller) {
            controller.enqueue(new TextEncoder().encode('{"object":"list",'));
            req.signal.addEventListener("abort", () => controller.error(req.signal.reason));
          },
          pull: () => reading(),
        }),
        { headers: { "content-type": "application/json" } },
      ),
    new MemoryCache(),
  );
  const controller = new AbortController();
  const call = client.embeddings.create({ model: "emb", input: "a" }, {
    signal: controller.signal,
  });
  await read;
  controller.abort(new DOMException("stop", "AbortError"));
  await assert.rejects(call, (err) => err instanceof APIUserAbortError);
});
