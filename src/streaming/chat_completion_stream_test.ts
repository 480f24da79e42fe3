import assert from "node:assert/strict";
import { ChatCompletionStream } from "./chat_completion_stream.ts";
import {
  APIConnectionError,
  APIUserAbortError,
  AzureOpenAIError,
  ContentFilterError,
  InternalServerError,
  RateLimitError,
} from "../errors/mod.ts";
import type { ChatCompletionChunk } from "../types/mod.ts";
import {
  AZURE_CHAT_CHUNKS,
  AZURE_CHAT_COMPLETION,
  jsonLines,
  PROMPT_FILTER_CHUNK,
  sseResponse,
  sseText,
} from "./_test_helpers.ts";

const AZURE_SSE = sseText([...AZURE_CHAT_CHUNKS, "[DONE]"]);

async function collect(stream: ChatCompletionStream): Promise<ChatCompletionChunk[]> {
  const chunks: ChatCompletionChunk[] = [];
  for await (const chunk of stream) chunks.push(chunk);
  return chunks;
}

Deno.test("ChatCompletionStream yields every chunk, prompt-filter and delta-less ones included", async () => {
  const stream = new ChatCompletionStream(sseResponse(AZURE_SSE));
  const chunks = await collect(stream);
  assert.deepEqual(chunks, AZURE_CHAT_CHUNKS);
  assert.deepEqual(chunks[0], PROMPT_FILTER_CHUNK);
});

Deno.test("ChatCompletionStream gives the same chunks whatever the body's chunk size", async () => {
  for (const size of [1, 2, 3, 7, 64, 1000]) {
    const chunks = await collect(new ChatCompletionStream(sseResponse(AZURE_SSE, size)));
    assert.deepEqual(chunks, AZURE_CHAT_CHUNKS, `size ${size}`);
  }
});

Deno.test("ChatCompletionStream.finalChatCompletion() equals the non-streamed completion without iterating", async () => {
  const stream = new ChatCompletionStream(sseResponse(AZURE_SSE, 50));
  assert.deepEqual(await stream.finalChatCompletion(), AZURE_CHAT_COMPLETION);
  // Iterating afterwards throws: the stream was consumed (a loop that got nothing hid it).
  await assert.rejects(() => collect(stream), AzureOpenAIError);
});

Deno.test("ChatCompletionStream.finalChatCompletion() continues after a partial iteration", async () => {
  const stream = new ChatCompletionStream(sseResponse(AZURE_SSE, 40));
  const iterator = stream[Symbol.asyncIterator]();
  for (let i = 0; i < 4; i++) assert.equal((await iterator.next()).done, false);
  assert.deepEqual(await stream.finalChatCompletion(), AZURE_CHAT_COMPLETION);
  // The iterator still gets the chunks it had not read.
  for (const chunk of AZURE_CHAT_CHUNKS.slice(4)) {
    assert.deepEqual(await iterator.next(), { done: false, value: chunk });
  }
  assert.deepEqual(await iterator.next(), { done: true, value: undefined });
});

Deno.test("ChatCompletionStream.finalChatCompletion() during a for await loop takes no chunk from the loop", async () => {
  const stream = new ChatCompletionStream(sseResponse(AZURE_SSE, 40));
  const final = stream.finalChatCompletion();
  const chunks: ChatCompletionChunk[] = [];
  for await (const chunk of stream) {
    chunks.push(chunk);
    await new Promise((resolve) => setTimeout(resolve, 0)); // a consumer doing some work
  }
  assert.deepEqual(chunks, AZURE_CHAT_CHUNKS);
  assert.deepEqual(await final, AZURE_CHAT_COMPLETION);
});

Deno.test("ChatCompletionStream.finalChatCompletion() started first leaves toReadableStream() every chunk", async () => {
  const stream = new ChatCompletionStream(sseResponse(AZURE_SSE, 40));
  const final = stream.finalChatCompletion();
  assert.equal(await new Response(stream.toReadableStream()).text(), jsonLines(AZURE_CHAT_CHUNKS));
  assert.deepEqual(await final, AZURE_CHAT_COMPLETION);
});

Deno.test("ChatCompletionStream.finalChatCompletion() returns the accumulated reply after full iteration", async () => {
  const stream = new ChatCompletionStream(sseResponse(AZURE_SSE));
  assert.equal((await collect(stream)).length, AZURE_CHAT_CHUNKS.length);
  assert.deepEqual(await stream.finalChatCompletion(), AZURE_CHAT_COMPLETION);
  assert.equal(await stream.finalChatCompletion(), await stream.finalChatCompletion());
});

Deno.test("ChatCompletionStream exposes the upstream response and its headers", () => {
  const response = sseResponse(AZURE_SSE);
  const stream = new ChatCompletionStream(response);
  assert.equal(stream.response, response);
  assert.equal(stream.response.headers.get("apim-request-id"), "req-123");
});

Deno.test("ChatCompletionStream throws APIConnectionError when the body ends before [DONE]", async () => {
  const stream = new ChatCompletionStream(sseResponse(sseText(AZURE_CHAT_CHUNKS.slice(0, 3))));
  const seen: ChatCompletionChunk[] = [];
  await assert.rejects(
    async () => {
      for await (const chunk of stream) seen.push(chunk);
    },
    (error: unknown) => {
      assert.ok(error instanceof APIConnectionError);
      assert.match(error.message, /ended before \[DONE\] after 3 chunks/);
      assert.match(error.message, /chat\.completions\.create/);
      assert.match(error.message, /\(POST\b/, "the message names the method");
      assert.equal(error.requestId, "req-123");
      return true;
    },
  );
  assert.equal(seen.length, 3);
  await assert.rejects(() => stream.finalChatCompletion(), APIConnectionError);
});

Deno.test("ChatCompletionStream throws APIConnectionError for an empty or missing body", async () => {
  await assert.rejects(
    () => collect(new ChatCompletionStream(new Response(""))),
    APIConnectionError,
  );
  await assert.rejects(
    () => collect(new ChatCompletionStream(new Response(null, { status: 200 }))),
    APIConnectionError,
  );
});

Deno.test("ChatCompletionStream throws the typed error of an `event: error` after earlier chunks", async () => {
  const text = sseText(AZURE_CHAT_CHUNKS.slice(0, 2)) +
    'event: error\ndata: {"error":{"code":"429","message":"Rate limit reached"}}\n\n' +
    sseText(AZURE_CHAT_CHUNKS.slice(2));
  const stream = new ChatCompletionStream(sseResponse(text, 9));
  const seen: ChatCompletionChunk[] = [];
  await assert.rejects(
    async () => {
      for await (const chunk of stream) seen.push(chunk);
    },
    (error: unknown) => {
      assert.ok(error instanceof RateLimitError);
      assert.equal(error.code, "429");
      assert.match(error.message, /Rate limit reached/);
      assert.match(error.message, /stream \(POST\b/, "the message names the method");
      return true;
    },
  );
  assert.equal(seen.length, 2);
});

Deno.test("ChatCompletionStream throws the typed error of a payload carrying `error`", async () => {
  const cases: Array<[unknown, new (...args: never[]) => Error]> = [
    [
      { error: { code: "content_filter", message: "The response was filtered" } },
      ContentFilterError,
    ],
    [{ error: { type: "server_error", message: "The server had an error" } }, InternalServerError],
    [{ error: { message: "odd" } }, AzureOpenAIError],
  ];
  for (const [payload, type] of cases) {
    const stream = new ChatCompletionStream(sseResponse(sseText([AZURE_CHAT_CHUNKS[1], payload])));
    await assert.rejects(() => collect(stream), type);
    await assert.rejects(() => stream.finalChatCompletion(), type);
  }
});

Deno.test("ChatCompletionStream keeps the text of an `error` that is a string in the message", async () => {
  const stream = new ChatCompletionStream(
    sseResponse(sseText([AZURE_CHAT_CHUNKS[1], { error: "upstream model timed out" }])),
  );
  await assert.rejects(() => collect(stream), (error: unknown) => {
    assert.ok(error instanceof AzureOpenAIError);
    assert.match(error.message, /: upstream model timed out \[request id req-123\]$/);
    return true;
  });
});

Deno.test("ChatCompletionStream does not treat a content filter result's `error` as a stream error", async () => {
  const chunk = {
    ...AZURE_CHAT_CHUNKS[1],
    choices: [{
      index: 0,
      delta: { content: "x" },
      content_filter_results: { error: { code: "x" } },
    }],
  };
  const chunks = await collect(new ChatCompletionStream(sseResponse(sseText([chunk, "[DONE]"]))));
  assert.equal(chunks.length, 1);
});

Deno.test("ChatCompletionStream throws a clear error for a data event that is not JSON", async () => {
  const stream = new ChatCompletionStream(sseResponse('data: {"id":"x","choices":[{"delta\n\n'));
  await assert.rejects(() => collect(stream), (error: unknown) => {
    assert.ok(error instanceof AzureOpenAIError);
    assert.match(error.message, /not a JSON object/);
    assert.ok(error.cause instanceof SyntaxError);
    return true;
  });
});

Deno.test("ChatCompletionStream ignores comments, empty data and other named events", async () => {
  const text = ": keep-alive\n\ndata:\n\nevent: ping\ndata: not json\n\n" +
    sseText([AZURE_CHAT_CHUNKS[1], "[DONE]"]) + sseText([AZURE_CHAT_CHUNKS[2]]);
  const chunks = await collect(new ChatCompletionStream(sseResponse(text)));
  assert.deepEqual(chunks, [AZURE_CHAT_CHUNKS[1]]); // nothing after [DONE] either
});

Deno.test("ChatCompletionStream wraps an oversized event in an AzureOpenAIError", async () => {
  const big = { ...AZURE_CHAT_CHUNKS[1], pad: "x".repeat(5000) };
  const stream = new ChatCompletionStream(sseResponse(sseText([big, "[DONE]"]), 100), {
    maxBufferSize: 1000,
  });
  await assert.rejects(() => collect(stream), (error: unknown) => {
    assert.ok(error instanceof AzureOpenAIError);
    assert.equal((error.cause as Error).name, "SseBufferOverflowError");
    return true;
  });
});

Deno.test("ChatCompletionStream.toReadableStream() re-emits the chunks as JSON lines, as the SDK's", async () => {
  const stream = new ChatCompletionStream(sseResponse(AZURE_SSE, 33));
  const text = await new Response(stream.toReadableStream()).text();
  assert.equal(text, jsonLines(AZURE_CHAT_CHUNKS));
  // And it round-trips through another ChatCompletionStream.
  const again = ChatCompletionStream.fromReadableStream(new Response(text).body!);
  assert.deepEqual(await again.finalChatCompletion(), AZURE_CHAT_COMPLETION);
});

Deno.test("ChatCompletionStream.toReadableStream() re-emits an event sent as several data lines as one line", async () => {
  // Valid SSE and valid JSON: the data lines join with "\n" (whitespace between JSON tokens).
  const [first, second] = AZURE_CHAT_CHUNKS.slice(1, 3).map((chunk) => JSON.stringify(chunk));
  const split = (json: string) => json.replace('"choices":', '\ndata: "choices":');
  const body = `data: ${split(first)}\n\ndata: ${split(second)}\n\ndata: [DONE]\n\n`;
  const stream = new ChatCompletionStream(sseResponse(body));
  const text = await new Response(stream.toReadableStream()).text();
  assert.deepEqual(text.split("\n").map((line) => line && JSON.parse(line)), [
    ...AZURE_CHAT_CHUNKS.slice(1, 3),
    "",
  ]);
  const again = ChatCompletionStream.fromReadableStream(new Response(text).body!);
  assert.deepEqual(await collect(again), AZURE_CHAT_CHUNKS.slice(1, 3));
});

Deno.test("ChatCompletionStream.toReadableStream() emits only what iteration has not consumed", async () => {
  const stream = new ChatCompletionStream(sseResponse(AZURE_SSE));
  const iterator = stream[Symbol.asyncIterator]();
  await iterator.next();
  await iterator.next();
  const text = await new Response(stream.toReadableStream()).text();
  assert.equal(text, jsonLines(AZURE_CHAT_CHUNKS.slice(2)));
});

Deno.test("ChatCompletionStream.toReadableStream() errors when the upstream ends early", async () => {
  const stream = new ChatCompletionStream(sseResponse(sseText(AZURE_CHAT_CHUNKS.slice(0, 2))));
  await assert.rejects(() => new Response(stream.toReadableStream()).text(), APIConnectionError);
});

function cancellableResponse(): { response: Response; cancelled: () => unknown } {
  let reason: unknown = "not cancelled";
  let i = 0;
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    pull(controller): void {
      controller.enqueue(encoder.encode(sseText([AZURE_CHAT_CHUNKS[1 + (i++ % 3)]])));
    },
    cancel(why): void {
      reason = why;
    },
  }, { highWaterMark: 0 });
  return { response: new Response(body), cancelled: () => reason };
}

Deno.test("ChatCompletionStream cancels the body when the loop breaks", async () => {
  const { response, cancelled } = cancellableResponse();
  const stream = new ChatCompletionStream(response);
  let n = 0;
  for await (const _ of stream) if (++n === 5) break;
  assert.equal(cancelled(), undefined);
  await assert.rejects(() => stream.finalChatCompletion(), APIUserAbortError);
});

Deno.test("ChatCompletionStream cancels the body and throws APIUserAbortError when the signal aborts", async () => {
  const { response, cancelled } = cancellableResponse();
  const outside = new AbortController();
  const stream = new ChatCompletionStream(response, { signal: outside.signal });
  let n = 0;
  await assert.rejects(
    async () => {
      for await (const _ of stream) if (++n === 3) outside.abort(new Error("user stop"));
    },
    (error: unknown) => {
      assert.ok(error instanceof APIUserAbortError);
      assert.equal((error.cause as Error).message, "user stop");
      return true;
    },
  );
  assert.equal(stream.controller.signal.aborted, true);
  assert.equal((cancelled() as APIUserAbortError).name, "APIUserAbortError");
});

Deno.test("ChatCompletionStream stops at once when its controller is already aborted", async () => {
  const { response, cancelled } = cancellableResponse();
  const controller = new AbortController();
  controller.abort();
  const stream = new ChatCompletionStream(response, { controller });
  await assert.rejects(() => collect(stream), APIUserAbortError);
  assert.notEqual(cancelled(), "not cancelled");
});

Deno.test("ChatCompletionStream.abort() ends iteration with APIUserAbortError", async () => {
  const { response } = cancellableResponse();
  const stream = new ChatCompletionStream(response);
  const iterator = stream[Symbol.asyncIterator]();
  await iterator.next();
  stream.abort();
  await assert.rejects(async () => {
    for (let i = 0; i < 100; i++) await iterator.next();
  }, APIUserAbortError);
});

Deno.test("ChatCompletionStream calls onChunk for every chunk before yielding it", async () => {
  const seen: unknown[] = [];
  const stream = new ChatCompletionStream(sseResponse(AZURE_SSE), {
    onChunk: (chunk) => seen.push(chunk),
  });
  assert.deepEqual(await stream.finalChatCompletion(), AZURE_CHAT_COMPLETION);
  assert.deepEqual(seen, AZURE_CHAT_CHUNKS);
});

Deno.test("ChatCompletionStream treats an idleTimeoutMs beyond the longest timer as no limit", async () => {
  // Timers longer than 2^31 - 1 ms fire at once (Deno, Node.js, browsers): emulated here so
  // the test does not depend on how soon.
  const realSetTimeout = globalThis.setTimeout;
  globalThis.setTimeout =
    ((fn: () => void, ms?: number) =>
      realSetTimeout(fn, (ms ?? 0) > 2_147_483_647 ? 0 : ms)) as typeof setTimeout;
  try {
    const [first, ...rest] = [...AZURE_CHAT_CHUNKS, "[DONE]"];
    const encoder = new TextEncoder();
    let release!: () => void;
    const released = new Promise<void>((r) => release = r);
    const body = new ReadableStream<Uint8Array>({
      async start(c) {
        c.enqueue(encoder.encode(sseText([first])));
        await released;
        c.enqueue(encoder.encode(sseText(rest)));
        c.close();
      },
    });
    const stream = new ChatCompletionStream(new Response(body), { idleTimeoutMs: 2 ** 31 });
    const chunks: ChatCompletionChunk[] = [];
    for await (const chunk of stream) {
      chunks.push(chunk);
      // Two macrotasks after the next read started: an overflowed timer has fired by then.
      if (chunks.length === 1) {
        realSetTimeout(() => realSetTimeout(release, 0), 0);
      }
    }
    assert.equal(chunks.length, AZURE_CHAT_CHUNKS.length);
  } finally {
    globalThis.setTimeout = realSetTimeout;
  }
});

Deno.test("ChatCompletionStream: a loop after a break throws APIUserAbortError instead of ending as if complete", async () => {
  // Pieces of several chunks: some chunks after the break are already parsed when it cancels.
  const stream = new ChatCompletionStream(sseResponse(AZURE_SSE, 700));
  for await (const _ of stream) break;
  const seen: ChatCompletionChunk[] = [];
  await assert.rejects(async () => {
    for await (const chunk of stream) seen.push(chunk);
  }, APIUserAbortError);
  assert.ok(seen.length < AZURE_CHAT_CHUNKS.length - 1, "the cut reply is not passed off as whole");
});

Deno.test("ChatCompletionStream: an iterator its own return() closed is done, as a generator is", async () => {
  const stream = new ChatCompletionStream(sseResponse(AZURE_SSE, 700));
  const iterator = stream[Symbol.asyncIterator]();
  assert.equal((await iterator.next()).done, false);
  assert.deepEqual(await iterator.return!(), { done: true, value: undefined });
  assert.deepEqual(await iterator.next(), { done: true, value: undefined });
  // Another iterator reading on gets the cut stream's error (after the chunks already parsed).
  await assert.rejects(async () => {
    for await (const _ of stream);
  }, APIUserAbortError);
});

Deno.test("ChatCompletionStream: an iterator waiting while another consumer cancels gets APIUserAbortError", async () => {
  const { response } = cancellableResponse();
  const stream = new ChatCompletionStream(response);
  const proxied = stream.toReadableStream().getReader();
  await proxied.read();
  const waiting = stream[Symbol.asyncIterator]().next();
  await proxied.cancel();
  await assert.rejects(() => waiting, APIUserAbortError);
});

Deno.test("ChatCompletionStream rebuilt from toReadableStream() keeps the upstream's typed error", async () => {
  const error = { error: { code: "content_filter", status: 400, message: "filtered" } };
  const upstream = new ChatCompletionStream(sseResponse(sseText([AZURE_CHAT_CHUNKS[1], error])));
  const again = new ChatCompletionStream(new Response(upstream.toReadableStream()));
  await assert.rejects(() => again.finalChatCompletion(), ContentFilterError);
});

Deno.test("ChatCompletionStream says a 200 body with no event is no event stream, instead of asking to retry", async () => {
  const completion = '{"id":"chatcmpl-1","object":"chat.completion","choices":[]}';
  for (const type of ["application/json", "text/html; charset=utf-8"]) {
    const response = new Response(completion, { headers: { "content-type": type } });
    const stream = new ChatCompletionStream(response);
    await assert.rejects(stream.finalChatCompletion(), (error: unknown) => {
      assert.ok(error instanceof APIConnectionError);
      assert.ok(
        error.message.includes(`got ${type}, not an event stream: a proxy in between?`),
        error.message,
      );
      assert.doesNotMatch(error.message, /retry the request/);
      return true;
    });
  }
  // A body without a content-type is no proof of a gateway: it reads as a stream cut short.
  const untyped = new Response(new Blob([completion]).stream());
  assert.equal(untyped.headers.get("content-type"), null);
  await assert.rejects(
    new ChatCompletionStream(untyped).finalChatCompletion(),
    /ended before \[DONE\] after 0 chunks/,
  );
  // An event stream that ends early still says so.
  const cut = new ChatCompletionStream(sseResponse(""));
  await assert.rejects(cut.finalChatCompletion(), /ended before \[DONE\] after 0 chunks/);
});
