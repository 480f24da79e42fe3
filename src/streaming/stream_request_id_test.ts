// The request id of a streamed reply is what Azure support asks for: every error of the stream
// names it in its message (as errors built from a response body do), not only in `requestId`.
import assert from "node:assert/strict";
import { ChatCompletionStream } from "./chat_completion_stream.ts";
import { AzureOpenAIError } from "../errors/mod.ts";

const CHUNK = 'data: {"id":"c","object":"chat.completion.chunk","created":1,"model":"m",' +
  '"choices":[{"index":0,"delta":{"content":"hi"},"finish_reason":null}]}\n\n';

function stream(body: string, type = "text/event-stream"): ChatCompletionStream {
  return new ChatCompletionStream(
    new Response(body, { headers: { "content-type": type, "apim-request-id": "req-stream-7" } }),
  );
}

Deno.test("Stream errors name the request id in their message: cut, not JSON, no event stream, oversized, cancelled", async () => {
  const cases: [string, ChatCompletionStream][] = [
    ["cut", stream(CHUNK)],
    ["not JSON", stream(CHUNK + "data: {oops\n\n")],
    ["no event stream", stream("<html>Sign in</html>", "text/html")],
    [
      "oversized",
      new ChatCompletionStream(
        new Response(`data: "${"x".repeat(100)}"\n\n`, {
          headers: { "apim-request-id": "req-stream-7" },
        }),
        { maxBufferSize: 50 },
      ),
    ],
  ];
  const cancelled = stream(CHUNK);
  for await (const _ of cancelled) break;
  cases.push(["cancelled", cancelled]);
  for (const [name, s] of cases) {
    const err = await s.finalChatCompletion().then(() => assert.fail(name), (e) => e);
    assert.ok(err instanceof AzureOpenAIError, name);
    assert.equal(err.requestId, "req-stream-7", name);
    assert.match(err.message, /\[request id req-stream-7\]$/, `${name}: ${err.message}`);
  }
});

Deno.test("Stream errors name the request id when the upstream goes idle", async () => {
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(new TextEncoder().encode(CHUNK)); // then nothing, until cancelled
    },
  });
  const s = new ChatCompletionStream(
    new Response(body, { headers: { "x-request-id": "req-idle-3" } }),
    { idleTimeoutMs: 1 },
  );
  const err = await s.finalChatCompletion().then(() => assert.fail("idle"), (e) => e);
  assert.equal(err.name, "APITimeoutError");
  assert.match(err.message, /\[request id req-idle-3\]$/);
});
