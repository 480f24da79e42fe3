// ChatCompletionStream over real HTTP: a local Deno.serve server streams chunks and
// reports what it saw (cancellation, disconnects).
import assert from "node:assert/strict";
import { ChatCompletionStream } from "./chat_completion_stream.ts";
import { APIConnectionError, APITimeoutError, APIUserAbortError } from "../errors/mod.ts";
import { AZURE_CHAT_CHUNKS, AZURE_CHAT_COMPLETION, sseText } from "./_test_helpers.ts";

type Ending = "done" | "stall" | "close";

interface Upstream {
  url: string;
  /** Resolves with the cancel reason when the server's body stream is cancelled. */
  cancelled: Promise<unknown>;
  /** Number of chunks the server enqueued. */
  sent: () => number;
}

const encoder = new TextEncoder();
const MAX_CHUNKS = 10_000;

/** Starts a server streaming `count` chat chunks then ending as `ending`; runs `fn`. */
async function withUpstream(
  count: number,
  ending: Ending,
  fn: (upstream: Upstream) => Promise<void>,
): Promise<void> {
  let sent = 0;
  let onCancel!: (reason: unknown) => void;
  const cancelled = new Promise<unknown>((resolve) => onCancel = resolve);
  let stall: (() => void) | undefined;
  const handler = (): Response => {
    const body = new ReadableStream<Uint8Array>({
      async pull(controller): Promise<void> {
        if (sent < count && sent < MAX_CHUNKS) {
          const chunk = AZURE_CHAT_CHUNKS[sent % AZURE_CHAT_CHUNKS.length];
          sent++;
          controller.enqueue(encoder.encode(sseText([chunk])));
          return;
        }
        if (ending === "done") {
          controller.enqueue(encoder.encode("data: [DONE]\n\n"));
          controller.close();
        } else if (ending === "close") {
          controller.close();
        } else {
          // Stall until the client goes away.
          await new Promise<void>((resolve) => stall = resolve);
          controller.close();
        }
      },
      cancel(reason): void {
        onCancel(reason ?? "cancelled");
        stall?.();
      },
    }, { highWaterMark: 0 });
    return new Response(body, {
      headers: { "content-type": "text/event-stream", "apim-request-id": "req-http" },
    });
  };
  const server = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen() {} }, handler);
  try {
    await fn({ url: `http://127.0.0.1:${server.addr.port}/`, cancelled, sent: () => sent });
  } finally {
    stall?.();
    await server.shutdown();
  }
}

/** Waits for `promise`, failing (instead of hanging) if it never settles. */
async function settled<T>(promise: Promise<T>, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const guard = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not happen`)), 10_000);
  });
  try {
    return await Promise.race([promise, guard]);
  } finally {
    clearTimeout(timer);
  }
}

Deno.test("ChatCompletionStream over HTTP accumulates the whole reply", async () => {
  await withUpstream(AZURE_CHAT_CHUNKS.length, "done", async ({ url }) => {
    const stream = new ChatCompletionStream(await fetch(url));
    assert.equal(stream.response.headers.get("apim-request-id"), "req-http");
    assert.deepEqual(await stream.finalChatCompletion(), AZURE_CHAT_COMPLETION);
  });
});

Deno.test("ChatCompletionStream over HTTP cancels the upstream when the loop breaks", async () => {
  await withUpstream(MAX_CHUNKS, "done", async ({ url, cancelled, sent }) => {
    const stream = new ChatCompletionStream(await fetch(url));
    let n = 0;
    for await (const _ of stream) if (++n === 3) break;
    await settled(cancelled, "the server seeing the cancel");
    assert.ok(sent() < MAX_CHUNKS);
  });
});

Deno.test("ChatCompletionStream over HTTP raises APITimeoutError when the upstream goes idle", async () => {
  await withUpstream(2, "stall", async ({ url, cancelled }) => {
    const controller = new AbortController();
    const response = await fetch(url, { signal: controller.signal });
    const stream = new ChatCompletionStream(response, { controller, idleTimeoutMs: 300 });
    const seen: unknown[] = [];
    await assert.rejects(
      async () => {
        for await (const chunk of stream) seen.push(chunk);
      },
      (error: unknown) => {
        assert.ok(error instanceof APITimeoutError);
        assert.match(error.message, /nothing for 300 ms/);
        assert.equal(error.requestId, "req-http");
        return true;
      },
    );
    assert.equal(seen.length, 2);
    assert.ok(controller.signal.aborted);
    await settled(cancelled, "the server seeing the disconnect");
  });
});

Deno.test("ChatCompletionStream over HTTP raises APIConnectionError when the upstream closes before [DONE]", async () => {
  await withUpstream(2, "close", async ({ url }) => {
    const stream = new ChatCompletionStream(await fetch(url));
    await assert.rejects(() => stream.finalChatCompletion(), (error: unknown) => {
      assert.ok(error instanceof APIConnectionError);
      assert.match(error.message, /ended before \[DONE\] after 2 chunks/);
      return true;
    });
  });
});

Deno.test("ChatCompletionStream over HTTP raises APIConnectionError when the connection drops", async () => {
  // A raw TCP server: a chunked response with two events, then the socket closes mid-body.
  const listener = Deno.listen({ port: 0, hostname: "127.0.0.1" });
  const serving = (async () => {
    const conn = await listener.accept();
    try {
      const request = new Uint8Array(4096);
      await conn.read(request);
      let reply = "HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\n" +
        "transfer-encoding: chunked\r\n\r\n";
      for (const chunk of AZURE_CHAT_CHUNKS.slice(0, 2)) {
        const event = encoder.encode(sseText([chunk]));
        reply += `${event.length.toString(16)}\r\n${sseText([chunk])}\r\n`;
      }
      const bytes = encoder.encode(reply);
      for (let off = 0; off < bytes.length;) off += await conn.write(bytes.subarray(off));
    } finally {
      conn.close();
    }
  })();
  try {
    const response = await fetch(`http://127.0.0.1:${listener.addr.port}/`);
    const stream = new ChatCompletionStream(response);
    const seen: unknown[] = [];
    await assert.rejects(
      async () => {
        for await (const chunk of stream) seen.push(chunk);
      },
      (error: unknown) => {
        assert.ok(error instanceof APIConnectionError);
        assert.match(error.message, /stream broke after 2 chunks/);
        assert.ok(error.cause !== undefined);
        return true;
      },
    );
    assert.equal(seen.length, 2);
  } finally {
    await serving;
    listener.close();
  }
});

Deno.test("ChatCompletionStream over HTTP aborts fetch and body through an outside signal", async () => {
  await withUpstream(MAX_CHUNKS, "done", async ({ url, cancelled }) => {
    const outside = new AbortController();
    const controller = new AbortController();
    outside.signal.addEventListener("abort", () => controller.abort(outside.signal.reason));
    const response = await fetch(url, { signal: controller.signal });
    const stream = new ChatCompletionStream(response, { controller, signal: outside.signal });
    let n = 0;
    await assert.rejects(
      async () => {
        for await (const _ of stream) if (++n === 4) outside.abort();
      },
      APIUserAbortError,
    );
    assert.equal(n, 4);
    await settled(cancelled, "the server seeing the abort");
  });
});
