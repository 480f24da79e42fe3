import assert from "node:assert/strict";
import { compose } from "./compose.ts";
import { retry, RETRY_STATE_KEY, type RetryInfo, type RetryOptions } from "./retry.ts";
import { timeout } from "./timeout.ts";
import type { Middleware, MiddlewareContext } from "./types.ts";
import { CallContext, type CallFields } from "./_replay.ts";
import {
  APIConnectionError,
  APITimeoutError,
  APIUserAbortError,
  RateLimitError,
} from "../errors/api_error.ts";
import { createTerminal } from "../transport/send.ts";
import { makeContext, recordingSleep } from "../../tests/middleware/_context.ts";

type Step = Response | Error;

/** Runs retry() over a fake fetch that answers the given steps in order. */
function run(
  steps: Step[],
  options: RetryOptions = {},
  ctxOverrides: Partial<MiddlewareContext> = {},
  extra: Middleware[] = [],
) {
  const { waits, sleep } = recordingSleep();
  const bodies: string[] = [];
  const attempts: number[] = [];
  let i = 0;
  const ctx = makeContext(ctxOverrides);
  const terminal = createTerminal(async (req) => {
    bodies.push(await req.text());
    attempts.push(ctx.attempt);
    const step = steps[Math.min(i++, steps.length - 1)];
    if (step instanceof Error) throw step;
    return step;
  });
  const pipeline = compose([retry({ sleep, random: () => 0.5, ...options }), ...extra], terminal);
  const result = pipeline(ctx);
  return { result, waits, bodies, attempts, ctx, calls: () => i };
}

const status = (code: number, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify({ error: { code: String(code), message: "m" } }), {
    status: code,
    headers,
  });

Deno.test("retry() retries 503 then returns the success, with jittered backoff waits", async () => {
  const r = await run([status(503), status(503), new Response("ok")], { maxRetries: 3 });
  const res = await r.result;
  assert.equal(await res.text(), "ok");
  assert.equal(r.calls(), 3);
  // full jitter with random 0.5: floor(0.5 * 500 * 2^(n-1))
  assert.deepEqual(r.waits, [250, 500]);
  assert.deepEqual(r.attempts, [1, 2, 3]);
});

Deno.test("retry() sends the same body on every attempt", async () => {
  const r = await run([status(500), status(502), new Response("ok")], {}, {
    request: new Request("https://x.test/p", { method: "POST", body: '{"n":1}' }),
  });
  await r.result;
  assert.deepEqual(r.bodies, ['{"n":1}', '{"n":1}', '{"n":1}']);
});

Deno.test("retry() caps the backoff at maxDelayMs", async () => {
  const r = await run(
    [status(500), status(500), status(500), status(500), new Response("ok")],
    { maxRetries: 4, baseDelayMs: 1000, maxDelayMs: 1500, random: () => 0.999 },
  );
  await r.result;
  assert.deepEqual(r.waits, [999, 1498, 1498, 1498]);
});

for (
  const [name, headers, expected] of [
    ["retry-after seconds", { "retry-after": "3" }, 3000],
    ["retry-after-ms", { "retry-after-ms": "1250" }, 1250],
    ["x-ms-retry-after-ms", { "x-ms-retry-after-ms": "700" }, 700],
    ["retry-after HTTP date", { "retry-after": new Date(1_000_000 + 5000).toUTCString() }, 5000],
  ] as const
) {
  Deno.test(`retry() waits what the service asked when a 429 carries ${name}`, async () => {
    const r = await run([status(429, headers), new Response("ok")], { now: () => 1_000_000 });
    assert.equal(await (await r.result).text(), "ok");
    assert.deepEqual(r.waits, [expected]);
  });
}

const NOW = Date.UTC(2030, 0, 1);
for (
  const [name, headers] of [
    ["retry-after: 0", { "retry-after": "0" }],
    ["retry-after-ms: 0", { "retry-after-ms": "0" }],
    ["a retry-after date in the past", { "retry-after": new Date(NOW - 5000).toUTCString() }],
    ["retry-after: -1", { "retry-after": "-1" }],
    ["a garbage retry-after", { "retry-after": "later 1" }],
  ] as const
) {
  Deno.test(`retry() backs off instead of retrying at once when a 429 carries ${name}`, async () => {
    const seen: RetryInfo[] = [];
    const r = await run([status(429, headers), status(429, headers), new Response("ok")], {
      now: () => NOW, // a real date: Date.parse() reads "-1" as the year 2001
      onRetry: (info) => seen.push(info),
    });
    assert.equal(await (await r.result).text(), "ok");
    assert.deepEqual(r.waits, [250, 500]);
    assert.deepEqual(seen.map((i) => i.serviceAsked), [false, false]);
  });
}

Deno.test("retry() throws RateLimitError with retryAfterMs when the wait exceeds the cap", async () => {
  const r = await run(
    [status(429, { "retry-after": "45", "apim-request-id": "req-1" }), new Response("ok")],
    { maxRetryAfterMs: 30_000 },
  );
  await assert.rejects(r.result, (err: unknown) => {
    assert.ok(err instanceof RateLimitError);
    assert.equal(err.retryAfterMs, 45_000);
    assert.equal(err.status, 429);
    assert.equal(err.requestId, "req-1");
    assert.equal(err.code, "429");
    assert.match(err.message, /maxRetryAfterMs \(30000 ms\)/);
    assert.match(err.message, /\[request id req-1\]/);
    return true;
  });
  assert.equal(r.calls(), 1);
  assert.deepEqual(r.waits, []);
});

for (
  const headers of [
    { "retry-after": "9".repeat(400) },
    { "retry-after-ms": "1e400" },
    { "x-ms-retry-after-ms": "Infinity" },
  ] as Record<string, string>[]
) {
  Deno.test(`retry() throws RateLimitError at once for ${JSON.stringify(headers).slice(0, 40)}`, async () => {
    const r = await run([status(429, headers), new Response("ok")]);
    await assert.rejects(r.result, (err: unknown) => {
      assert.ok(err instanceof RateLimitError);
      assert.equal(err.retryAfterMs, Infinity);
      return true;
    });
    assert.equal(r.calls(), 1);
    assert.deepEqual(r.waits, []);
  });
}

Deno.test("retry() returns a 503 that asks for a too long wait instead of throwing", async () => {
  const r = await run([status(503, { "retry-after": "600" }), new Response("ok")]);
  const res = await r.result;
  assert.equal(res.status, 503);
  assert.equal(r.calls(), 1);
});

Deno.test("retry() returns the last retriable response after maxRetries", async () => {
  const r = await run([status(500)], { maxRetries: 2 });
  const res = await r.result;
  assert.equal(res.status, 500);
  assert.equal(r.calls(), 3);
  assert.equal(r.waits.length, 2);
});

Deno.test("retry() does not retry a 400", async () => {
  const r = await run([status(400), new Response("ok")]);
  assert.equal((await r.result).status, 400);
  assert.equal(r.calls(), 1);
});

Deno.test("retry() retries only the statuses it was given", async () => {
  const r = await run([status(418), new Response("ok")], { statuses: [418] });
  assert.equal((await r.result).status, 200);
  const r2 = await run([status(503), new Response("ok")], { statuses: [418] });
  assert.equal((await r2.result).status, 503);
});

Deno.test("retry() retries connection errors and rethrows the last one", async () => {
  const r = await run([new TypeError("connection reset")], { maxRetries: 2 });
  await assert.rejects(r.result, (err: unknown) => {
    assert.ok(err instanceof APIConnectionError);
    assert.ok(err.cause instanceof TypeError);
    return true;
  });
  assert.equal(r.calls(), 3);
});

Deno.test("retry() does not retry connection errors when retryConnectionErrors is false", async () => {
  const r = await run([new TypeError("reset"), new Response("ok")], {
    retryConnectionErrors: false,
  });
  await assert.rejects(r.result, APIConnectionError);
  assert.equal(r.calls(), 1);
});

Deno.test("retry() does not retry an error that is not a connection error", async () => {
  const boom: Middleware = () => Promise.reject(new RangeError("bug"));
  const r = await run([new Response("ok")], {}, {}, [boom]);
  await assert.rejects(r.result, RangeError);
});

Deno.test("retry() sends a non-replayable body once", async () => {
  const body = new ReadableStream({
    start(c) {
      c.enqueue(new TextEncoder().encode("x"));
      c.close();
    },
  });
  const r = await run([status(503), new Response("ok")], {}, {
    replayable: false,
    request: new Request("https://x.test/p", { method: "POST", body }),
  });
  assert.equal((await r.result).status, 503);
  assert.equal(r.calls(), 1);
});

Deno.test("retry() throws APIUserAbortError when the signal aborts during the backoff", async () => {
  const controller = new AbortController();
  const sleep = (_ms: number, signal?: AbortSignal) => {
    controller.abort(new Error("user gave up"));
    return Promise.reject(signal?.reason);
  };
  const r = await run([status(503), new Response("ok")], { sleep }, {
    signal: controller.signal,
  });
  await assert.rejects(r.result, (err: unknown) => {
    assert.ok(err instanceof APIUserAbortError);
    assert.match(err.message, /aborted while waiting to retry/);
    return true;
  });
  assert.equal(r.calls(), 1);
});

Deno.test("retry() reports each wait to onRetry and in ctx.state", async () => {
  const seen: RetryInfo[] = [];
  const r = await run(
    [status(429, { "retry-after-ms": "10" }), new TypeError("reset"), new Response("ok")],
    {
      onRetry: (info) => {
        seen.push(info);
        throw new Error("observer bug is ignored");
      },
    },
  );
  await r.result;
  assert.deepEqual(seen, [
    { attempt: 1, waitMs: 10, serviceAsked: true, status: 429, error: undefined },
    {
      attempt: 2,
      waitMs: 500,
      serviceAsked: false,
      status: undefined,
      error: "APIConnectionError",
    },
  ]);
  assert.deepEqual(r.ctx.state[RETRY_STATE_KEY], seen);
});

Deno.test("retry() stops when the wait would pass timeout()'s total deadline", async () => {
  const now = 0;
  const r = await run(
    [status(503, { "retry-after": "2" }), new Response("ok")],
    { now: () => now },
    { options: { timeoutMs: 0, maxRetries: 2 } },
    [timeout({ totalTimeoutMs: 1500, now: () => now })],
  );
  const res = await r.result;
  assert.equal(res.status, 503);
  assert.equal(r.calls(), 1);
  assert.deepEqual(r.waits, []);
});

Deno.test("retry() throws APITimeoutError when a failed attempt cannot wait within the total deadline", async () => {
  let now = 0;
  const r = await run(
    [new TypeError("reset"), new Response("ok")],
    { now: () => now, random: () => 0.99 },
    { options: { timeoutMs: 0, maxRetries: 2 } },
    [timeout({ totalTimeoutMs: 400, now: () => now })],
  );
  now = 100;
  await assert.rejects(r.result, (err: unknown) => {
    assert.ok(err instanceof APITimeoutError);
    assert.match(err.message, /total deadline/);
    return true;
  });
});

Deno.test("retry() sends a request a layer built the same on every attempt", async () => {
  const original = new Request("https://x.test/p", {
    method: "POST",
    body: '{"a":1}',
    headers: { "x-a": "1" },
  });
  const seen: Request[] = [];
  const ctx = makeContext({ request: original });
  const { sleep } = recordingSleep();
  let n = 0;
  const res = await compose([retry({ sleep })], async (c) => {
    seen.push(c.request);
    assert.equal(await c.request.text(), '{"a":1}');
    assert.equal(c.request.headers.get("x-a"), "1");
    return new Response("", { status: n++ === 0 ? 503 : 200 });
  })(ctx);
  assert.equal(res.status, 200);
  assert.equal(seen.length, 2);
  assert.notEqual(seen[1], seen[0], "each attempt gets a fresh request");
});

Deno.test("retry() replays a FormData body the client built the request from", async () => {
  const form = new FormData();
  form.set("file", new Blob(["abc"]), "a.wav");
  form.set("response_format", "json");
  const { request: _request, ...fields } = makeContext();
  const ctx = new CallContext(
    { url: "https://x.test/p", method: "POST", headers: {}, body: form },
    {
      ...fields,
      state: {},
    } as CallFields,
  );
  void ctx.request; // an outer layer built it (as logger() does)
  const { sleep } = recordingSleep();
  const fields2: string[] = [];
  let n = 0;
  await compose([retry({ sleep })], async (c) => {
    const got = await c.request.formData();
    fields2.push(`${got.get("response_format")}:${await (got.get("file") as File).text()}`);
    return new Response("", { status: n++ === 0 ? 503 : 200 });
  })(ctx);
  assert.deepEqual(fields2, ["json:abc", "json:abc"]);
});

Deno.test("retry() starts every attempt from the client's request parts", async () => {
  const { request: _request, ...fields } = makeContext();
  const ctx = new CallContext({
    url: "https://x.test/p",
    method: "POST",
    headers: { "content-type": "application/json" },
    body: '{"a":1}',
  }, { ...fields, state: {} } as CallFields);
  const { sleep } = recordingSleep();
  const seen: Request[] = [];
  let n = 0;
  const res = await compose([retry({ sleep })], async (c) => {
    // An inner layer that reads (builds) the request, as an injected fetch does.
    const request = c.request;
    seen.push(request);
    assert.equal(await request.text(), '{"a":1}');
    return new Response("", { status: n++ === 0 ? 503 : 200 });
  })(ctx);
  assert.equal(res.status, 200);
  assert.equal(seen.length, 2);
  assert.notEqual(seen[1], seen[0], "the second attempt got a fresh request");
});

Deno.test("retry() does not resend a streamed body of the client's request parts", async () => {
  const { request: _request, ...fields } = makeContext();
  const ctx = new CallContext({
    url: "https://x.test/p",
    method: "POST",
    headers: {},
    body: new ReadableStream<Uint8Array>({
      start(c) {
        c.close();
      },
    }),
  }, { ...fields, state: {} } as CallFields);
  const { sleep, waits } = recordingSleep();
  let calls = 0;
  const res = await compose([retry({ sleep })], () => {
    calls++;
    return Promise.resolve(new Response("", { status: 503 }));
  })(ctx);
  assert.equal(res.status, 503);
  assert.equal(calls, 1);
  assert.deepEqual(waits, []);
});

Deno.test("retry() rethrows a rejection without a value instead of resending the request", async () => {
  // `Promise.reject()` below it: no response and no error to judge, so nothing to retry.
  const r = run([new Response("ok")], { maxRetries: 2 }, {}, [
    (_ctx, next) => next().then(() => Promise.reject()),
  ]);
  await assert.rejects(r.result, (err: unknown) => err === undefined);
  assert.equal(r.calls(), 1);
  assert.deepEqual(r.waits, []);
});
