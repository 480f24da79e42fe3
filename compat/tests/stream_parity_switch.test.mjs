// SDK switch, stream edges: the same chat stream read by code written for the openai SDK, with
// the SDK and with the bundled core (compat/.build/core.mjs), from a server on 127.0.0.1 that
// sends fixed SSE bytes. Pinned: an iterator's throw() (yield* delegation), a stream already read
// that fails at the first read (a .catch() chained to the read sees it), `event: error` and
// `event: ping` blocks, and what a page reading a relayed body sees when the stream is aborted
// midway (kept apart on purpose: ours cuts the relay, the SDK's ends it as if whole). Run with
// `sh compat/run.sh`.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import * as openai from "openai";
import * as ours from "../.build/core.mjs";
import { serve } from "./_serve.mjs";

const chunk = (content) =>
  JSON.stringify({
    id: "chatcmpl-P1",
    object: "chat.completion.chunk",
    created: 1727000000,
    model: "gpt-4o",
    choices: [{ index: 0, delta: { content }, finish_reason: null }],
  });
const encoder = new TextEncoder();
/** What the server sends per deployment; "open" sends one chunk, then holds the body open. */
const BODIES = {
  whole: `data: ${chunk("a")}\n\ndata: ${chunk("b")}\n\ndata: [DONE]\n\n`,
  error: `data: ${chunk("a")}\n\nevent: error\ndata: ` +
    `{"error":{"code":"server_error","message":"upstream broke"}}\n\n`,
  ping: `event: ping\ndata: {}\n\ndata: ${chunk("a")}\n\ndata: [DONE]\n\n`,
};

let server;

before(async () => {
  server = await serve((request) => {
    const name = new URL(request.url).pathname.split("/")[3];
    const body = name == "open"
      ? new ReadableStream({
        start(c) {
          c.enqueue(encoder.encode(`data: ${chunk("a")}\n\n`));
        },
      })
      : BODIES[name];
    return new Response(body, { headers: { "content-type": "text/event-stream" } });
  });
});

after(async () => {
  await server.close();
});

/** A stream of `deployment` from each client: [sdk, ours]. */
function streams(deployment) {
  return Promise.all([openai, ours].map(({ AzureOpenAI }) =>
    new AzureOpenAI({
      endpoint: server.url,
      apiKey: "parity-key",
      apiVersion: "2024-10-21",
      maxRetries: 0,
    }).chat.completions.create({
      model: deployment,
      messages: [{ role: "user", content: "hi" }],
      stream: true,
    })
  ));
}

/** Delegates to `stream` with `yield*`, as relays and iterator helpers do. */
async function* relay(stream) {
  yield* stream;
}

test("SDK switch: yield* over a stream, then throw(): the error thrown in comes back and the request is aborted", async () => {
  const results = [];
  for (const stream of await streams("open")) {
    const outer = relay(stream);
    const first = (await outer.next()).value.choices[0].delta.content;
    const stop = new Error("stop");
    const thrown = await outer.throw(stop).then(() => "resolved", (err) => err === stop);
    results.push({ first, thrown, aborted: stream.controller.signal.aborted });
  }
  const [sdk, edge] = results;
  assert.deepEqual(sdk, { first: "a", thrown: true, aborted: true });
  assert.deepEqual(edge, sdk);
});

test("SDK switch: a stream already read fails at the first read, where a .catch() chained to it catches", async () => {
  const results = [];
  for (const stream of await streams("whole")) {
    for await (const _ of stream);
    const caught = (err) => err instanceof Error ? "caught" : "odd";
    results.push({
      next: await stream[Symbol.asyncIterator]().next().catch(caught),
      relay: await new Response(stream.toReadableStream()).text().catch(caught),
      tee: await Promise.all(
        stream.tee().map(async (branch) => {
          for await (const _ of branch);
        }),
      ).catch(caught),
    });
  }
  const [sdk, edge] = results;
  assert.deepEqual(sdk, { next: "caught", relay: "caught", tee: "caught" });
  assert.deepEqual(edge, sdk);
});

test("SDK switch: an `event: error` block with an error member throws after the chunks before it (ours typed, with Azure's status)", async () => {
  const results = [];
  for (const stream of await streams("error")) {
    const got = [];
    const err = await (async () => {
      for await (const c of stream) got.push(c.choices[0].delta.content);
    })().then(() => undefined, (e) => e);
    results.push({ got, message: /upstream broke/.test(err?.message), err });
  }
  const [sdk, edge] = results;
  assert.ok(sdk.err instanceof openai.APIError);
  assert.ok(edge.err instanceof ours.InternalServerError);
  assert.equal(edge.err.status, 500);
  delete sdk.err;
  delete edge.err;
  assert.deepEqual(sdk, { got: ["a"], message: true });
  assert.deepEqual(edge, sdk);
});

test("SDK switch, known difference: an `event: ping` block is skipped by ours, yielded as a chunk by the SDK", async () => {
  const [sdk, edge] = await Promise.all((await streams("ping")).map(async (stream) => {
    const got = [];
    for await (const c of stream) got.push(c.choices?.[0]?.delta.content ?? c);
    return got;
  }));
  // The SDK parses any named event's data as a chunk (one with no choices: `chunk.choices[0]`
  // throws in code written for chat chunks); a ping carries no chunk.
  assert.deepEqual(sdk, [{}, "a"]);
  assert.deepEqual(edge, ["a"]);
});

test("SDK switch, known difference: a page reading a relayed toReadableStream() sees the abort midway as a cut body (ours) or a clean end (SDK)", async () => {
  const [sdkStream, ourStream] = await streams("open");
  const relays = [sdkStream, ourStream];
  const relay = await serve((request) => {
    const stream = relays[Number(new URL(request.url).pathname.slice(1))];
    const body = stream.toReadableStream();
    let sent = 0;
    // The relay's stream is aborted once its first piece went out (a stop button, say).
    return new Response(
      body.pipeThrough(
        new TransformStream({
          transform(piece, c) {
            c.enqueue(piece);
            if (++sent == 1) setTimeout(() => stream.controller.abort());
          },
        }),
      ),
      { headers: { "content-type": "application/x-ndjson" } },
    );
  });
  try {
    const seen = [];
    for (const index of [0, 1]) {
      const reader = (await fetch(`${relay.url}/${index}`)).body.getReader();
      const pieces = [];
      seen.push(
        await (async () => {
          for (;;) {
            const { value, done } = await reader.read();
            if (done) return { pieces, end: "clean" };
            pieces.push(new TextDecoder().decode(value));
          }
        })().catch((err) => ({ pieces, end: err.name })),
      );
    }
    const [sdk, edge] = seen;
    // The SDK's relay ends as if the reply were whole (no end marker in its JSON lines).
    assert.deepEqual(sdk, { pieces: [chunk("a").replace(/\s/g, "") + "\n"], end: "clean" });
    // Ours fails the relay, so the page's read rejects: the page knows the reply was cut.
    assert.equal(edge.end, "TypeError");
    assert.deepEqual(edge.pieces, [`${chunk("a")}\n`]);
  } finally {
    await relay.close();
  }
});
