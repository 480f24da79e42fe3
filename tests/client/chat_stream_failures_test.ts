// chat.completions.stream() failure paths, pinned to the openai SDK's ChatCompletionStream
// behaviour: throwing listeners, aborts before and during the call and by leaving a loop, the idle
// timeout, a connection reset, once/off during an emit, emitted(), unhandled rejections, and no
// listener left on a caller's long-lived signal.
import assert from "node:assert/strict";
import {
  APIConnectionError,
  APITimeoutError,
  APIUserAbortError,
  AzureOpenAI,
  AzureOpenAIError,
  InternalServerError,
} from "../../mod.ts";
import { countedSignal } from "../helpers/counted_signal.ts";
import { startServer } from "../helpers/server.ts";

const PARAMS = { model: "gpt-4o", messages: [{ role: "user" as const, content: "Hi" }] };
const base = { id: "c1", object: "chat.completion.chunk", created: 1, model: "gpt-4o" };
const data = (delta: unknown, finish_reason: string | null = null) =>
  `data: ${JSON.stringify({ ...base, choices: [{ index: 0, delta, finish_reason }] })}\n\n`;
const REPLY = data({ role: "assistant", content: "Hi" }) + data({}, "stop") + "data: [DONE]\n\n";

type Stream = ReturnType<AzureOpenAI["chat"]["completions"]["stream"]>;

/** A server answering each call with `body` (a string, or a stream made per call). */
async function serving(body: () => BodyInit, status = 200) {
  const server = await startServer(() =>
    new Response(body(), { status, headers: { "content-type": "text/event-stream" } })
  );
  const client = new AzureOpenAI({ endpoint: server.url, apiKey: "k", maxRetries: 0 });
  return { server, client };
}

/** The names of the terminal events, recorded. */
function ends(stream: Stream): string[] {
  const seen: string[] = [];
  for (const name of ["connect", "error", "abort", "end"] as const) {
    stream.on(name, () => seen.push(name));
  }
  return seen;
}

/** Runs `body` and returns the reasons of the unhandled rejections it left (after a macrotask). */
async function unhandledOf(body: () => Promise<void>): Promise<unknown[]> {
  const reasons: unknown[] = [];
  const on = (e: PromiseRejectionEvent) => (reasons.push(e.reason), e.preventDefault());
  globalThis.addEventListener("unhandledrejection", on);
  try {
    await body();
    await new Promise((resolve) => setTimeout(resolve, 1));
  } finally {
    globalThis.removeEventListener("unhandledrejection", on);
  }
  return reasons;
}

Deno.test("stream(): a throwing chunk listener fails the stream with it as cause (as the SDK's)", async () => {
  const { server, client } = await serving(() => REPLY);
  await using _ = server;
  const stream = client.chat.completions.stream(PARAMS);
  const seen = ends(stream);
  const thrown = new Error("listener chunk");
  stream.on("chunk", () => {
    throw thrown;
  });
  const error = await stream.emitted("error");
  assert.ok(error instanceof AzureOpenAIError);
  assert.equal(error.message, "listener chunk");
  assert.equal(error.cause, thrown);
  await assert.rejects(stream.done(), AzureOpenAIError);
  assert.deepEqual(seen, ["connect", "error", "end"]);
});

Deno.test("stream(): a throwing end listener is an unhandled rejection, as the SDK's", async () => {
  const { server, client } = await serving(() => REPLY);
  await using _ = server;
  const thrown = new Error("listener end");
  const reasons = await unhandledOf(async () => {
    const stream = client.chat.completions.stream(PARAMS);
    const seen = ends(stream);
    stream.on("end", () => {
      throw thrown;
    });
    await stream.done();
    assert.deepEqual(seen, ["connect", "end"]);
  });
  // Before: swallowed (0 rejections), no error event either.
  assert.deepEqual(reasons, [thrown]);
});

Deno.test("stream(): options.signal already aborted: abort, end, and no request", async () => {
  const { server, client } = await serving(() => REPLY);
  await using _ = server;
  const stream = client.chat.completions.stream(PARAMS, { signal: AbortSignal.abort() });
  const seen = ends(stream);
  await assert.rejects(stream.finalChatCompletion(), APIUserAbortError);
  assert.deepEqual(seen, ["abort", "end"]);
  assert.equal(server.seen.length, 0);
});

Deno.test("stream(): aborted while the call waits for its response: abort, no connect", async () => {
  let answer!: (r: Response) => void;
  let arrived!: () => void;
  const came = new Promise<void>((resolve) => arrived = resolve);
  const server = await startServer(() => {
    arrived();
    return new Promise<Response>((resolve) => answer = resolve);
  });
  await using _ = server;
  try {
    const client = new AzureOpenAI({ endpoint: server.url, apiKey: "k", maxRetries: 0 });
    const stream = client.chat.completions.stream(PARAMS);
    const seen = ends(stream);
    await came;
    stream.abort();
    await assert.rejects(stream.done(), APIUserAbortError);
    assert.deepEqual(seen, ["abort", "end"]);
  } finally {
    answer(new Response(REPLY));
  }
});

Deno.test("stream(): leaving a for-await early aborts it, with no unhandled rejection", async () => {
  const { server, client } = await serving(() => REPLY);
  await using _ = server;
  let stream!: Stream;
  const reasons = await unhandledOf(async () => {
    stream = client.chat.completions.stream(PARAMS);
    for await (const _ of stream) break;
    await stream.emitted("end");
  });
  assert.deepEqual(reasons, []);
  await assert.rejects(stream.done(), APIUserAbortError);
});

Deno.test("stream(): an abort nothing listens to or awaits is unhandled; with done() awaited it is not", async () => {
  const { server, client } = await serving(() => REPLY);
  await using _ = server;
  const loose = await unhandledOf(async () => {
    const stream = client.chat.completions.stream(PARAMS);
    stream.abort();
    await new Promise((resolve) => stream.on("end", () => setTimeout(resolve)));
  });
  assert.equal(loose.length, 1);
  assert.ok(loose[0] instanceof APIUserAbortError);
  const awaited = await unhandledOf(async () => {
    const stream = client.chat.completions.stream(PARAMS);
    stream.abort();
    await assert.rejects(stream.done(), APIUserAbortError);
  });
  assert.deepEqual(awaited, []);
});

Deno.test("stream(): streamIdleTimeoutMs fails a stalled stream with APITimeoutError (error, not abort)", async () => {
  let release!: () => void;
  const stalled = new Promise<void>((resolve) => release = resolve);
  const { server, client } = await serving(() =>
    new ReadableStream({
      start(c) {
        c.enqueue(new TextEncoder().encode(data({ role: "assistant", content: "Hi" })));
      },
      pull: () => stalled,
    })
  );
  await using _ = server;
  try {
    const stream = client.chat.completions.stream(PARAMS, { streamIdleTimeoutMs: 20 });
    const seen = ends(stream);
    await assert.rejects(stream.done(), APITimeoutError);
    assert.deepEqual(seen, ["connect", "error", "end"]);
  } finally {
    release();
  }
});

Deno.test("stream(): a connection reset mid-stream is an error event with a typed connection error", async () => {
  let n = 0;
  const { server, client } = await serving(() =>
    new ReadableStream({
      pull(c) {
        if (n++ == 0) {
          c.enqueue(new TextEncoder().encode(data({ role: "assistant", content: "Hi" })));
        } else c.error(new Error("reset"));
      },
    })
  );
  await using _ = server;
  const stream = client.chat.completions.stream(PARAMS);
  const seen = ends(stream);
  await assert.rejects(stream.done(), APIConnectionError);
  assert.deepEqual(seen, ["connect", "error", "end"]);
});

Deno.test("stream(): once/off during an emit act from the next emit on (as the SDK's)", async () => {
  const { server, client } = await serving(() => REPLY);
  await using _ = server;
  const stream = client.chat.completions.stream(PARAMS);
  const calls: string[] = [];
  const later = () => calls.push("later");
  stream.on("chunk", () => {
    calls.push("first");
    stream.off("chunk", later);
    stream.once("chunk", () => calls.push("added"));
  });
  stream.on("chunk", later);
  await stream.done();
  // First chunk: first, later (removed during the emit, still called); second: first, added.
  assert.deepEqual(calls, ["first", "later", "first", "added"]);
});

Deno.test("stream(): emitted('end') resolves at the end and after an abort, rejects on an error", async () => {
  const { server, client } = await serving(() => REPLY);
  await using _ = server;
  assert.equal(await client.chat.completions.stream(PARAMS).emitted("end"), undefined);
  const aborted = client.chat.completions.stream(PARAMS);
  aborted.abort();
  assert.equal(await aborted.emitted("end"), undefined);
  const failing = await serving(() => "{}", 500);
  await using __ = failing.server;
  await assert.rejects(
    failing.client.chat.completions.stream(PARAMS).emitted("end"),
    InternalServerError,
  );
});

Deno.test("stream(): no listener is left on a long-lived signal, however the stream ended", async () => {
  const { server, client } = await serving(() => REPLY);
  await using _ = server;
  const failing = await serving(() => "{}", 500);
  await using __ = failing.server;
  const { signal, listeners } = countedSignal();
  const ok = client.chat.completions.stream(PARAMS, { signal });
  assert.equal(listeners(), 1);
  await ok.done();
  const error = failing.client.chat.completions.stream(PARAMS, { signal });
  await assert.rejects(error.done(), InternalServerError);
  const aborted = client.chat.completions.stream(PARAMS, { signal });
  aborted.on("connect", () => aborted.abort());
  await assert.rejects(aborted.done(), APIUserAbortError);
  const left = client.chat.completions.stream(PARAMS, { signal });
  for await (const _ of left) break;
  await assert.rejects(left.done(), APIUserAbortError);
  const thrown = client.chat.completions.stream(PARAMS, { signal });
  thrown.on("content", () => {
    throw new Error("x");
  });
  await assert.rejects(thrown.done(), AzureOpenAIError);
  assert.equal(listeners(), 0);
});
