// SDK switch, the README's "What differs" items that had no test of their own: the same call made
// through the official openai SDK's AzureOpenAI and through the bundled core
// (compat/.build/core.mjs), each with an injected fetch that records the requests, so each
// difference is pinned as the two libraries' observable results side by side (if one side changes,
// the README's note is out of date). Run with `sh compat/run.sh`.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as openai from "openai";
import { Stream as SdkStream } from "openai/streaming";
import * as ours from "../.build/core.mjs";

const ENDPOINT = "https://switch-diff.openai.azure.com";
const embedding = { object: "list", data: [], model: "m", usage: {} };

/**
 * A client of `lib` whose fetch records each request in `sent` and answers with `answer(n)` (n:
 * the 0-based request count).
 */
function client(lib, answer, options = {}) {
  const sent = [];
  const c = new lib.AzureOpenAI({
    endpoint: ENDPOINT,
    apiKey: "switch-diff-key",
    apiVersion: "2024-10-21",
    ...options,
    fetch: (input, init) => {
      sent.push(new Request(input, init));
      return Promise.resolve(answer(sent.length - 1));
    },
  });
  return { client: c, sent };
}

/** The rejection of `promise` (fails when it resolves). */
function rejection(promise) {
  return promise.then(() => assert.fail("resolved"), (err) => err);
}

test("retry(): 501 and 505 are retried by the SDK only; x-should-retry is obeyed by the SDK only", async () => {
  const cases = [
    [408],
    [409],
    [429],
    [500],
    [501],
    [502],
    [503],
    [504],
    [505],
    [503, "false"], // the SDK: do not retry
    [400, "true"], // the SDK: retry
  ];
  const attempts = async (lib, [status, shouldRetry]) => {
    const headers = { "retry-after-ms": "1" }; // both honour it: no real backoff
    if (shouldRetry) headers["x-should-retry"] = shouldRetry;
    const { client: c, sent } = client(
      lib,
      () => Response.json({ error: { code: "x", message: "m" } }, { status, headers }),
      { maxRetries: 2 },
    );
    await rejection(c.embeddings.create({ model: "m", input: "a" }));
    return sent.length;
  };
  const sdk = [];
  const edge = [];
  for (const c of cases) {
    sdk.push(await attempts(openai, c));
    edge.push(await attempts(ours, c));
  }
  assert.deepEqual(sdk, [3, 3, 3, 3, 3, 3, 3, 3, 3, 1, 3]);
  assert.deepEqual(edge, [3, 3, 3, 3, 1, 3, 3, 3, 1, 3, 1]);
});

test("params.model wins over the client's deployment in ours, the deployment in the SDK's", async () => {
  const paths = [];
  for (const lib of [openai, ours]) {
    const { client: c, sent } = client(lib, () => Response.json(embedding), { deployment: "dep" });
    await c.embeddings.create({ model: "mine", input: "a", encoding_format: "float" });
    paths.push(new URL(sent[0].url).pathname);
  }
  assert.deepEqual(paths, [
    "/openai/deployments/dep/embeddings",
    "/openai/deployments/mine/embeddings",
  ]);
});

test("no model and no deployment: ours rejects with a TypeError and sends nothing, the SDK gets a 404", async () => {
  const notFound = () =>
    Response.json({ error: { code: "404", message: "Resource not found" } }, { status: 404 });
  const sdk = client(openai, notFound, { maxRetries: 0 });
  const edge = client(ours, notFound, { maxRetries: 0 });
  const params = { messages: [{ role: "user", content: "hi" }] };
  const sdkErr = await rejection(sdk.client.chat.completions.create(params));
  const edgeErr = await rejection(edge.client.chat.completions.create(params));
  assert.ok(sdkErr instanceof openai.NotFoundError);
  assert.deepEqual(sdk.sent.map((r) => new URL(r.url).pathname), ["/openai/chat/completions"]);
  assert.ok(edgeErr instanceof TypeError);
  assert.match(edgeErr.message, /no deployment; pass params\.model/);
  assert.equal(edge.sent.length, 0);
});

test("request ids: ours read apim-request-id first, the SDK reads x-request-id", async () => {
  const headers = { "apim-request-id": "apim-1", "x-request-id": "x-1" };
  const got = [];
  for (const lib of [openai, ours]) {
    const { client: c } = client(
      lib,
      (n) =>
        n == 0
          ? Response.json(embedding, { headers })
          : Response.json({ error: { code: "c", message: "m" } }, { status: 400, headers }),
      { maxRetries: 0 },
    );
    const params = { model: "m", input: "a", encoding_format: "float" };
    const { request_id } = await c.embeddings.create(params).withResponse();
    const err = await rejection(c.embeddings.create(params));
    got.push([request_id, err.requestID]);
  }
  assert.deepEqual(got, [["x-1", "x-1"], ["apim-1", "apim-1"]]);
});

test("an accept header of defaultHeaders: the SDK sends it, ours the operation's; a call's accept wins in both", async () => {
  const got = [];
  for (const lib of [openai, ours]) {
    const { client: c, sent } = client(lib, () => Response.json(embedding), {
      defaultHeaders: { accept: "text/default" },
    });
    const params = { model: "m", input: "a", encoding_format: "float" };
    await c.embeddings.create(params);
    await c.embeddings.create(params, { headers: { accept: "text/call" } });
    await c.embeddings.create(params, { headers: { accept: null } });
    got.push(sent.map((r) => r.headers.get("accept")));
  }
  assert.deepEqual(got, [
    ["text/default", "text/call", null],
    ["application/json", "text/call", null],
  ]);
});

test("err.name: the class name in ours, 'Error' in the SDK's", async () => {
  const got = [];
  for (const lib of [openai, ours]) {
    const { client: c } = client(
      lib,
      () => Response.json({ error: { code: "c", message: "m" } }, { status: 404 }),
      { maxRetries: 0 },
    );
    const err = await rejection(c.embeddings.create({ model: "m", input: "a" }));
    got.push([err.name, err.constructor.name]);
  }
  assert.deepEqual(got, [["Error", "NotFoundError"], ["NotFoundError", "NotFoundError"]]);
});

test("toReadableStream() / fromReadableStream(): a page on either reads a server on either", async () => {
  const chunk = {
    id: "c1",
    object: "chat.completion.chunk",
    created: 1,
    model: "gpt-4o",
    choices: [{ index: 0, delta: { content: "a" }, finish_reason: null }],
  };
  const sse = () =>
    new Response(`data: ${JSON.stringify(chunk)}\n\ndata: [DONE]\n\n`, {
      headers: { "content-type": "text/event-stream" },
    });
  const relayOf = async (lib) => {
    const { client: c } = client(lib, sse);
    const stream = await c.chat.completions.create({
      model: "gpt-4o",
      messages: [{ role: "user", content: "hi" }],
      stream: true,
    });
    return new Response(stream.toReadableStream());
  };
  const readAll = async (stream) => {
    const got = [];
    for await (const c of stream) got.push(c);
    return got;
  };
  // Both write the same JSON lines.
  assert.equal(await (await relayOf(ours)).text(), await (await relayOf(openai)).text());
  for (const server of [openai, ours]) {
    const sdkPage = SdkStream.fromReadableStream(
      (await relayOf(server)).body,
      new AbortController(),
    );
    assert.deepEqual(await readAll(sdkPage), [chunk]);
    const ourPage = ours.ChatCompletionStream.fromReadableStream((await relayOf(server)).body);
    assert.deepEqual(await readAll(ourPage), [chunk]);
  }
  const final = await ours.ChatCompletionStream.fromReadableStream((await relayOf(openai)).body)
    .finalChatCompletion();
  assert.equal(final.choices[0].message.content, "a");
});

test("an empty `data:` event: ours skips it, the SDK parses it as JSON and throws", async () => {
  const chunk = JSON.stringify({
    id: "c1",
    object: "chat.completion.chunk",
    created: 1,
    model: "gpt-4o",
    choices: [{ index: 0, delta: { content: "a" }, finish_reason: null }],
  });
  const body = () =>
    new Response(`data:\n\ndata: ${chunk}\n\ndata: [DONE]\n\n`, {
      headers: { "content-type": "text/event-stream" },
    });
  const got = [];
  for (const lib of [openai, ours]) {
    const { client: c } = client(lib, body);
    const stream = await c.chat.completions.create({
      model: "gpt-4o",
      messages: [{ role: "user", content: "hi" }],
      stream: true,
    });
    const contents = [];
    try {
      for await (const part of stream) contents.push(part.choices[0].delta.content);
      got.push(contents);
    } catch (err) {
      got.push(err.constructor.name);
    }
  }
  assert.deepEqual(got, ["SyntaxError", ["a"]]);
});

test("what is not here: the SDK's OpenAI class, default export, static error classes, toStreamingFile, files, batches, beta (stream() and runTools() are: chat_stream_events_switch / run_tools_switch)", () => {
  const surface = (lib) => {
    const c = new lib.AzureOpenAI({
      endpoint: ENDPOINT,
      apiKey: "switch-diff-key",
      apiVersion: "2024-10-21",
    });
    return {
      OpenAI: typeof lib.OpenAI,
      default: typeof lib.default,
      staticAPIError: typeof lib.AzureOpenAI.APIError,
      toStreamingFile: typeof lib.toStreamingFile,
      models: typeof c.models,
      files: typeof c.files,
      batches: typeof c.batches,
      beta: typeof c.beta,
      properties: ["apiKey", "baseURL", "maxRetries", "timeout"].map((k) => k in c),
    };
  };
  const missing = {
    OpenAI: "undefined",
    default: "undefined",
    staticAPIError: "undefined",
    toStreamingFile: "undefined",
    models: "undefined",
    files: "undefined",
    batches: "undefined",
    beta: "undefined",
    properties: [false, false, false, false],
  };
  const sdk = surface(openai);
  for (const key of Object.keys(missing)) assert.notDeepEqual(sdk[key], missing[key], key);
  assert.deepEqual(surface(ours), missing);
  // The SDK's baseURL alone is refused, naming what to pass instead.
  assert.throws(
    () => new ours.AzureOpenAI({ baseURL: `${ENDPOINT}/openai`, apiKey: "switch-diff-key" }),
    { name: "TypeError", message: /set `endpoint`.* or `resourceName`/ },
  );
});
