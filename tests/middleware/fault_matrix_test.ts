/**
 * Fault matrix: the client with its default stack (plus injected sleeps, so nothing really
 * waits) against real local servers that throttle, fail, reset connections, stall headers and
 * stall streams. Each case asserts attempt counts, the waits retry() made and the typed error.
 */
import assert from "node:assert/strict";
import { AzureOpenAI } from "../../src/client.ts";
import {
  APIConnectionError,
  APITimeoutError,
  APIUserAbortError,
  InternalServerError,
  RateLimitError,
} from "../../src/errors/api_error.ts";
import { retry, type RetryOptions } from "../../src/middleware/retry.ts";
import { sleep as realSleep } from "../../src/_internal/sleep.ts";
import { timeout } from "../../src/middleware/timeout.ts";
import { apiKeyAuth, tokenAuth } from "../../src/auth/auth_middleware.ts";
import { json, type SeenRequest, startServer } from "../helpers/server.ts";
import { recordingSleep } from "./_context.ts";

const KEY = "fault-matrix-key-0123456789";
const CHAT = {
  model: "gpt-4o",
  messages: [{ role: "user" as const, content: "hi" }],
};
const COMPLETION = {
  id: "chatcmpl-1",
  object: "chat.completion",
  created: 1,
  model: "gpt-4o",
  choices: [{ index: 0, message: { role: "assistant", content: "ok" }, finish_reason: "stop" }],
  usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
};
const throttled = (headers: Record<string, string>) =>
  json({ error: { code: "429", message: "Rate limit reached" } }, 429, headers);

function client(url: string, retryOptions: RetryOptions, extra: Record<string, unknown> = {}) {
  return new AzureOpenAI({
    endpoint: url,
    apiKey: KEY,
    middleware: [retry(retryOptions)],
    ...extra,
  });
}

/** A handler that answers the given responses in turn (the last one repeats). */
function sequence(...replies: (() => Response)[]): (req: SeenRequest) => Response {
  let i = 0;
  return () => replies[Math.min(i++, replies.length - 1)]();
}

const NOW = Date.UTC(2030, 0, 1, 12, 0, 0); // whole second, so HTTP dates are exact

const HEADER_FORMS: [string, Record<string, string>, number][] = [
  ["retry-after seconds", { "retry-after": "2" }, 2_000],
  // The server's own clock (its date header) says NOW.
  ["retry-after HTTP date", {
    "retry-after": new Date(NOW + 7_000).toUTCString(),
    date: new Date(NOW).toUTCString(),
  }, 7_000],
  ["retry-after-ms", { "retry-after-ms": "1500" }, 1_500],
  ["x-ms-retry-after-ms", { "x-ms-retry-after-ms": "900" }, 900],
];

for (const [name, headers, wait] of HEADER_FORMS) {
  Deno.test(`client retries a 429 with ${name} after the asked wait`, async () => {
    await using server = await startServer(
      sequence(() => throttled(headers), () => json(COMPLETION)),
    );
    const { waits, sleep } = recordingSleep();
    const res = await client(server.url, { sleep, now: () => NOW }).chat.completions.create(CHAT);
    assert.equal(res.choices[0].message.content, "ok");
    assert.equal(server.seen.length, 2);
    assert.deepEqual(waits, [wait]);
  });
}

Deno.test("client waits a retry-after HTTP date from the server's date, whatever this machine's clock says", async () => {
  const headers = {
    "retry-after": new Date(NOW + 7_000).toUTCString(),
    date: new Date(NOW).toUTCString(),
  };
  for (const skew of [-600_000, 0, 600_000]) {
    await using server = await startServer(
      sequence(() => throttled(headers), () => json(COMPLETION)),
    );
    const { waits, sleep } = recordingSleep();
    await client(server.url, { sleep, now: () => NOW + skew }).chat.completions.create(CHAT);
    assert.deepEqual(waits, [7_000], `local clock off by ${skew} ms`);
  }
});

Deno.test("client gives up with RateLimitError after retries of a persistent 429", async () => {
  await using server = await startServer(() =>
    throttled({ "retry-after-ms": "10", "apim-request-id": "rid-429" })
  );
  const { waits, sleep } = recordingSleep();
  await assert.rejects(
    client(server.url, { sleep }).chat.completions.create(CHAT),
    (err: unknown) => {
      assert.ok(err instanceof RateLimitError);
      assert.equal(err.retryAfterMs, 10);
      assert.equal(err.requestId, "rid-429");
      assert.ok(!err.message.includes(KEY));
      return true;
    },
  );
  assert.equal(server.seen.length, 3); // first try + maxRetries 2
  assert.deepEqual(waits, [10, 10]);
});

Deno.test("client throws RateLimitError at once when retry-after exceeds maxRetryAfterMs", async () => {
  await using server = await startServer(() => throttled({ "retry-after": "120" }));
  const { waits, sleep } = recordingSleep();
  await assert.rejects(
    client(server.url, { sleep, maxRetryAfterMs: 30_000 }).chat.completions.create(CHAT),
    (err: unknown) => {
      assert.ok(err instanceof RateLimitError);
      assert.equal(err.retryAfterMs, 120_000);
      assert.match(err.message, /maxRetryAfterMs/);
      return true;
    },
  );
  assert.equal(server.seen.length, 1);
  assert.deepEqual(waits, []);
});

Deno.test("client retries a 503 with backoff and then succeeds", async () => {
  await using server = await startServer(
    sequence(
      () => json({ error: { code: "503", message: "busy" } }, 503),
      () => json({ error: { code: "503", message: "busy" } }, 503),
      () => json(COMPLETION),
    ),
  );
  const { waits, sleep } = recordingSleep();
  const res = await client(server.url, { sleep, random: () => 0.5, baseDelayMs: 400 })
    .chat.completions.create(CHAT);
  assert.equal(res.id, "chatcmpl-1");
  assert.equal(server.seen.length, 3);
  assert.deepEqual(waits, [200, 400]);
  // Every attempt carried the body and the key (auth is innermost, so it re-applies).
  for (const seen of server.seen) {
    assert.equal(JSON.parse(seen.text).messages[0].content, "hi");
    assert.equal(seen.headers.get("api-key"), KEY);
  }
});

Deno.test("client throws InternalServerError after retries of a persistent 500", async () => {
  await using server = await startServer(() => json({ error: { message: "down" } }, 500));
  const { waits, sleep } = recordingSleep();
  await assert.rejects(
    client(server.url, { sleep, maxRetries: 3 }).chat.completions.create(CHAT),
    InternalServerError,
  );
  assert.equal(server.seen.length, 4);
  assert.equal(waits.length, 3);
});

/** A raw TCP server: resets the first `resets` connections, then answers a JSON 200. */
function resettingServer(resets: number) {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  let accepted = 0;
  const body = JSON.stringify(COMPLETION);
  const done = (async () => {
    for await (const conn of listener) {
      accepted++;
      if (accepted <= resets) {
        conn.close();
        continue;
      }
      // Read the request head (enough for this test), answer and close.
      const buf = new Uint8Array(64 * 1024);
      await conn.read(buf).catch(() => null);
      const head = "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n" +
        `content-length: ${new TextEncoder().encode(body).length}\r\nconnection: close\r\n\r\n`;
      await conn.write(new TextEncoder().encode(head + body)).catch(() => 0);
      conn.close();
    }
  })();
  return {
    url: `http://127.0.0.1:${(listener.addr as Deno.NetAddr).port}`,
    accepted: () => accepted,
    async close() {
      listener.close();
      await done.catch(() => {});
    },
  };
}

Deno.test("client retries a connection reset and then succeeds", async () => {
  const server = resettingServer(1);
  try {
    const { waits, sleep } = recordingSleep();
    const res = await client(server.url, { sleep, random: () => 0 }).chat.completions.create(CHAT);
    assert.equal(res.id, "chatcmpl-1");
    assert.equal(server.accepted(), 2);
    assert.deepEqual(waits, [0]);
  } finally {
    await server.close();
  }
});

Deno.test("client throws APIConnectionError with the cause after resets on every attempt", async () => {
  const server = resettingServer(Infinity);
  try {
    const { waits, sleep } = recordingSleep();
    await assert.rejects(
      client(server.url, { sleep }).chat.completions.create(CHAT),
      (err: unknown) => {
        assert.ok(err instanceof APIConnectionError);
        assert.ok(!(err instanceof APITimeoutError));
        assert.ok(err.cause !== undefined);
        return true;
      },
    );
    assert.equal(server.accepted(), 3);
    assert.equal(waits.length, 2);
  } finally {
    await server.close();
  }
});

Deno.test("client times out slow headers with APITimeoutError and retries each attempt", async () => {
  let release!: () => void;
  const released = new Promise<void>((r) => release = r);
  await using server = await startServer(async () => {
    await released;
    return json(COMPLETION);
  });
  try {
    const { waits, sleep } = recordingSleep();
    await assert.rejects(
      client(server.url, { sleep, maxRetries: 1 }, { timeoutMs: 300 }).chat.completions.create(
        CHAT,
      ),
      (err: unknown) => {
        assert.ok(err instanceof APITimeoutError);
        assert.match(err.message, /timed out after 300 ms/);
        return true;
      },
    );
    assert.equal(server.seen.length, 2);
    assert.equal(waits.length, 1);
  } finally {
    release();
  }
});

Deno.test("client stream idle timeout throws APITimeoutError and does not retry", async () => {
  let release!: () => void;
  const released = new Promise<void>((r) => release = r);
  const chunk = {
    id: "c",
    object: "chat.completion.chunk",
    created: 1,
    model: "gpt-4o",
    choices: [{ index: 0, delta: { content: "a" }, finish_reason: null }],
  };
  await using server = await startServer(() => {
    const body = new ReadableStream<Uint8Array>({
      async start(c) {
        c.enqueue(new TextEncoder().encode(`data: ${JSON.stringify(chunk)}\n\n`));
        await released;
        c.close();
      },
    });
    return new Response(body, { headers: { "content-type": "text/event-stream" } });
  });
  try {
    const { waits, sleep } = recordingSleep();
    const stream = await client(server.url, { sleep }).chat.completions.create(
      { ...CHAT, stream: true },
      { streamIdleTimeoutMs: 30 },
    );
    const got: string[] = [];
    await assert.rejects(
      (async () => {
        for await (const c of stream) got.push(c.choices[0]?.delta?.content ?? "");
      })(),
      APITimeoutError,
    );
    assert.deepEqual(got, ["a"]);
    assert.equal(server.seen.length, 1);
    assert.deepEqual(waits, []);
  } finally {
    release();
  }
});

Deno.test("client does not retry a stream that breaks after it started", async () => {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  let accepted = 0;
  const chunk = JSON.stringify({
    id: "c",
    object: "chat.completion.chunk",
    created: 1,
    model: "gpt-4o",
    choices: [{ index: 0, delta: { content: "a" }, finish_reason: null }],
  });
  const done = (async () => {
    for await (const conn of listener) {
      accepted++;
      await conn.read(new Uint8Array(64 * 1024)).catch(() => null);
      const event = `data: ${chunk}\n\n`;
      const size = new TextEncoder().encode(event).length.toString(16);
      // Chunked body: one event, then the connection drops without the final chunk.
      await conn.write(
        new TextEncoder().encode(
          "HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ntransfer-encoding: chunked\r\n\r\n" +
            `${size}\r\n${event}\r\n`,
        ),
      ).catch(() => 0);
      conn.close();
    }
  })();
  try {
    const { waits, sleep } = recordingSleep();
    const url = `http://127.0.0.1:${(listener.addr as Deno.NetAddr).port}`;
    const stream = await client(url, { sleep }).chat.completions.create({ ...CHAT, stream: true });
    const got: string[] = [];
    await assert.rejects(
      (async () => {
        for await (const c of stream) got.push(c.choices[0]?.delta?.content ?? "");
      })(),
      APIConnectionError,
    );
    assert.deepEqual(got, ["a"]);
    assert.equal(accepted, 1);
    assert.deepEqual(waits, []);
  } finally {
    listener.close();
    await done.catch(() => {});
  }
});

Deno.test("client aborted during the backoff throws APIUserAbortError without another attempt", async () => {
  await using server = await startServer(() =>
    json({ error: { message: "busy" } }, 503, { "retry-after": "10" })
  );
  const controller = new AbortController();
  const waits: number[] = [];
  // A real, abortable sleep; the caller aborts as soon as the backoff starts.
  const sleep = (ms: number, signal?: AbortSignal) => {
    waits.push(ms);
    const slept = realSleep(ms, signal);
    controller.abort(new Error("caller gave up"));
    return slept;
  };
  await assert.rejects(
    client(server.url, { sleep }).chat.completions.create(CHAT, { signal: controller.signal }),
    (err: unknown) => {
      assert.ok(err instanceof APIUserAbortError);
      assert.match(err.message, /aborted while waiting to retry/);
      return true;
    },
  );
  assert.equal(server.seen.length, 1);
  assert.deepEqual(waits, [10_000]);
});

Deno.test("client does not retry a 400", async () => {
  await using server = await startServer(() =>
    json({ error: { code: "BadRequest", message: "no" } }, 400)
  );
  const { waits, sleep } = recordingSleep();
  await assert.rejects(client(server.url, { sleep }).chat.completions.create(CHAT), /400/);
  assert.equal(server.seen.length, 1);
  assert.deepEqual(waits, []);
});

Deno.test("client with only timeout() in its middleware still retries a timed-out attempt", async () => {
  let release!: () => void;
  const released = new Promise<void>((r) => release = r);
  let n = 0;
  await using server = await startServer(async () => {
    if (++n === 1) await released; // the first attempt stalls
    return json(COMPLETION);
  });
  try {
    const c = new AzureOpenAI({
      endpoint: server.url,
      apiKey: KEY,
      middleware: [timeout({ timeoutMs: 500 })],
    });
    const res = await c.chat.completions.create(CHAT, { maxRetries: 1 });
    assert.equal(res.id, "chatcmpl-1");
    assert.equal(server.seen.length, 2);
  } finally {
    release();
  }
});

Deno.test("client with only its own tokenAuth() in the middleware applies timeoutMs to the token provider", async () => {
  await using server = await startServer(() => json(COMPLETION));
  const c = new AzureOpenAI({
    endpoint: server.url,
    middleware: [tokenAuth(() => new Promise<string>(() => {}))],
    timeoutMs: 20,
  });
  await assert.rejects(c.chat.completions.create(CHAT, { maxRetries: 0 }), APITimeoutError);
  assert.equal(server.seen.length, 0);
});

Deno.test("client with maxRetries 0 throws RateLimitError with retryAfterMs for a long retry-after", async () => {
  await using server = await startServer(() =>
    throttled({ "retry-after": "120", "apim-request-id": "rid-0" })
  );
  const { waits, sleep } = recordingSleep();
  await assert.rejects(
    client(server.url, { sleep, maxRetryAfterMs: 30_000 }).chat.completions.create(CHAT, {
      maxRetries: 0,
    }),
    (err: unknown) => {
      assert.ok(err instanceof RateLimitError);
      assert.equal(err.retryAfterMs, 120_000);
      assert.equal(err.requestId, "rid-0");
      return true;
    },
  );
  assert.equal(server.seen.length, 1);
  assert.deepEqual(waits, []);
});

Deno.test("client backs off after a 429 whose retry-after is -1", async () => {
  await using server = await startServer(
    sequence(() => throttled({ "retry-after": "-1" }), () => json(COMPLETION)),
  );
  const { waits, sleep } = recordingSleep();
  const res = await client(server.url, { sleep, random: () => 0.5 }).chat.completions.create(CHAT);
  assert.equal(res.id, "chatcmpl-1");
  assert.deepEqual(waits, [250]);
});

Deno.test("a per-call retry() replaces the client's retry() instead of nesting inside it", async () => {
  await using server = await startServer(
    sequence(() => json({ error: { code: "503", message: "busy" } }, 503)),
  );
  const { sleep } = recordingSleep();
  const c = client(server.url, { sleep, maxRetries: 2 });
  await assert.rejects(
    c.chat.completions.create(CHAT, { middleware: [retry({ sleep, maxRetries: 1 })] }),
    InternalServerError,
  );
  // The per-call retry alone: 1 + 1 attempts (nested, it would be (1 + 2) × (1 + 1) = 6).
  assert.equal(server.seen.length, 2);
});

Deno.test("a per-call auth replaces the client's: only one credential is sent", async () => {
  await using server = await startServer(() => json(COMPLETION));
  const c = new AzureOpenAI({ endpoint: server.url, middleware: [apiKeyAuth(KEY)] });
  await c.chat.completions.create(CHAT, { middleware: [tokenAuth("per-call-token")] });
  assert.equal(server.seen[0].headers.get("authorization"), "Bearer per-call-token");
  assert.equal(server.seen[0].headers.get("api-key"), null);
});

Deno.test("a per-call retry() takes the place of the client's, so the client's timeout() stays per attempt", async () => {
  let release!: () => void;
  const released = new Promise<void>((r) => release = r);
  let n = 0;
  await using server = await startServer(async () => {
    if (++n === 1) await released; // the first attempt stalls
    return json(COMPLETION);
  });
  try {
    const { sleep } = recordingSleep();
    const c = client(server.url, { sleep }, {
      middleware: [retry({ sleep }), timeout({ timeoutMs: 500 })],
    });
    const res = await c.chat.completions.create(CHAT, {
      middleware: [retry({ sleep, maxRetries: 1 })],
    });
    assert.equal(res.id, "chatcmpl-1");
    assert.equal(server.seen.length, 2);
  } finally {
    release();
  }
});

Deno.test("a per-call retry() the client lacks goes outside the client's timeout(), so a timed-out attempt is retried", async () => {
  let release!: () => void;
  const released = new Promise<void>((r) => release = r);
  let n = 0;
  await using server = await startServer(async () => {
    if (++n === 1) await released; // the first attempt stalls
    return json(COMPLETION);
  });
  try {
    const { waits, sleep } = recordingSleep();
    const c = new AzureOpenAI({
      endpoint: server.url,
      apiKey: KEY,
      middleware: [timeout({ timeoutMs: 500 })],
    });
    const res = await c.chat.completions.create(CHAT, {
      middleware: [retry({ sleep, maxRetries: 1 })],
    });
    assert.equal(res.id, "chatcmpl-1");
    assert.equal(server.seen.length, 2);
    assert.equal(waits.length, 1);
  } finally {
    release();
  }
});

Deno.test("per-call timeout() listed before retry() keeps its order: the deadline spans the retries", async () => {
  let release!: () => void;
  const released = new Promise<void>((r) => release = r);
  await using server = await startServer(async () => {
    await released;
    return json(COMPLETION);
  });
  try {
    const { waits, sleep } = recordingSleep();
    const c = new AzureOpenAI({
      endpoint: server.url,
      apiKey: KEY,
      middleware: [timeout({ timeoutMs: 600_000 })],
    });
    await assert.rejects(
      c.chat.completions.create(CHAT, {
        middleware: [timeout({ timeoutMs: 500 }), retry({ sleep, maxRetries: 1 })],
      }),
      APITimeoutError,
    );
    assert.equal(server.seen.length, 1);
    assert.deepEqual(waits, []);
  } finally {
    release();
  }
});
