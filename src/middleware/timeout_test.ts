import assert from "node:assert/strict";
import { compose } from "./compose.ts";
import { timeout } from "./timeout.ts";
import {
  DEADLINE_STATE_KEY,
  endParked,
  failParked,
  PARKED_STATE_KEY,
  type ParkedDeadline,
} from "./_deadline.ts";
import type { Middleware } from "./types.ts";
import { APITimeoutError, APIUserAbortError } from "../errors/api_error.ts";
import { createTerminal } from "../transport/send.ts";
import { makeContext } from "../../tests/middleware/_context.ts";

/** A fetch that never answers until its signal aborts (then rejects with the reason). */
const hangingFetch = (_req: Request, init?: RequestInit): Promise<Response> =>
  new Promise((_resolve, reject) => {
    const signal = init?.signal;
    if (!signal) return;
    if (signal.aborted) reject(signal.reason);
    signal.addEventListener("abort", () => reject(signal.reason), { once: true });
  });

Deno.test("timeout() throws APITimeoutError when headers do not arrive in time", async () => {
  const ctx = makeContext();
  const run = compose([timeout({ timeoutMs: 5 })], createTerminal(hangingFetch));
  await assert.rejects(run(ctx), (err: unknown) => {
    assert.ok(err instanceof APITimeoutError);
    assert.match(err.message, /timed out after 5 ms; raise timeoutMs/);
    return true;
  });
  assert.equal(ctx.signal, undefined, "ctx.signal is restored");
});

Deno.test("timeout() uses the call's timeoutMs when given no option", async () => {
  const ctx = makeContext({ options: { timeoutMs: 3, maxRetries: 0 } });
  const run = compose([timeout()], createTerminal(hangingFetch));
  await assert.rejects(run(ctx), /timed out after 3 ms/);
});

Deno.test("timeout() does nothing when timeoutMs is 0", async () => {
  let sawSignal: AbortSignal | undefined;
  const run = compose([timeout()], (ctx) => {
    sawSignal = ctx.signal;
    return Promise.resolve(new Response("ok"));
  });
  await run(makeContext({ options: { timeoutMs: 0, maxRetries: 0 } }));
  assert.equal(sawSignal, undefined);
});

Deno.test("timeout() reports a caller abort as APIUserAbortError, not a timeout", async () => {
  const controller = new AbortController();
  const ctx = makeContext({ signal: controller.signal });
  const run = compose([timeout({ timeoutMs: 60_000 })], createTerminal(hangingFetch));
  const result = run(ctx);
  controller.abort(new Error("stop"));
  await assert.rejects(result, (err: unknown) => {
    assert.ok(err instanceof APIUserAbortError);
    assert.ok(!(err instanceof APITimeoutError));
    return true;
  });
});

Deno.test("timeout() reads a non-stream body inside the deadline", async () => {
  const stalled = new ReadableStream<Uint8Array>({
    start(c) {
      c.enqueue(new Uint8Array([123]));
    },
  });
  const fetchStalled = (_req: Request, init?: RequestInit) => {
    // The body errors when the signal aborts, as fetch bodies do.
    const body = stalled.pipeThrough(new TransformStream(), { signal: init?.signal ?? undefined });
    return Promise.resolve(new Response(body));
  };
  const run = compose([timeout({ timeoutMs: 5 })], createTerminal(fetchStalled));
  await assert.rejects(run(makeContext()), APITimeoutError);
});

Deno.test("timeout() buffers a non-stream body so the response is complete", async () => {
  const run = compose(
    [timeout({ timeoutMs: 60_000 })],
    () => Promise.resolve(new Response("full body", { status: 201, headers: { "x-a": "1" } })),
  );
  const res = await run(makeContext());
  assert.equal(res.status, 201);
  assert.equal(res.headers.get("x-a"), "1");
  assert.equal(await res.text(), "full body");
});

Deno.test("timeout() hands a stream on unbuffered and keeps its signal linked to the caller", async () => {
  const controller = new AbortController();
  let inner: AbortSignal | undefined;
  const stream = new ReadableStream<Uint8Array>({
    start(c) {
      c.enqueue(new Uint8Array([1]));
    },
  });
  const run = compose([timeout({ timeoutMs: 60_000 })], (ctx) => {
    inner = ctx.signal;
    return Promise.resolve(new Response(stream));
  });
  const ctx = makeContext({ stream: true, signal: controller.signal });
  const res = await run(ctx);
  assert.equal(ctx.signal, controller.signal);
  const reader = res.body!.getReader();
  assert.deepEqual((await reader.read()).value, new Uint8Array([1]));
  assert.ok(inner && !inner.aborted);
  controller.abort(new Error("cancel the stream"));
  assert.ok(inner.aborted, "aborting the caller's signal reaches the fetch signal");
  await reader.cancel();
});

Deno.test("timeout() gives later attempts only what is left of totalTimeoutMs", async () => {
  let now = 1_000;
  const seen: number[] = [];
  const spy: Middleware = (ctx, next) => {
    seen.push(ctx.state[DEADLINE_STATE_KEY] as number);
    return next();
  };
  const layer = timeout({ timeoutMs: 60_000, totalTimeoutMs: 50, now: () => now });
  const ctx = makeContext();
  const run = compose([layer, spy], () => Promise.resolve(new Response("ok")));
  await run(ctx);
  assert.deepEqual(seen, [1_050]);
  now = 1_049;
  await run(ctx); // same call, a later attempt: 1 ms left
  now = 1_050;
  await assert.rejects(run(ctx), (err: unknown) => {
    assert.ok(err instanceof APITimeoutError);
    assert.match(err.message, /ran out of its totalTimeoutMs \(50 ms\)/);
    return true;
  });
  assert.equal(seen.length, 2, "no attempt is started after the deadline");
});

Deno.test("timeout() names totalTimeoutMs when the total deadline cut the attempt", async () => {
  const run = compose(
    [timeout({ timeoutMs: 60_000, totalTimeoutMs: 5 })],
    createTerminal(hangingFetch),
  );
  await assert.rejects(run(makeContext()), /raise totalTimeoutMs \(5 ms\)/);
});

Deno.test("timeout() throws a TypeError for a bad totalTimeoutMs", () => {
  assert.throws(() => timeout({ totalTimeoutMs: 0 }), /totalTimeoutMs must be a positive/);
});

Deno.test("timeout() refuses a timeoutMs that is not a number of ms ≥ 0 (NaN set no deadline at all)", () => {
  for (const timeoutMs of [NaN, -1, "5000" as unknown as number]) {
    assert.throws(() => timeout({ timeoutMs }), (err: unknown) => {
      assert.ok(err instanceof TypeError);
      // Worded as the client's own timeoutMs (checkCount()), though fractions are accepted.
      assert.match(err.message, /^timeout\(\): timeoutMs must be a non-negative integer; got/);
      return true;
    }, String(timeoutMs));
  }
  // 0 disables the per-attempt deadline; a timer-sized one or more is accepted.
  for (const timeoutMs of [0, 5, 2 ** 31, Infinity]) timeout({ timeoutMs });
});

Deno.test("timeout() parks the deadline instead of copying the response when the client reads the body", async () => {
  let rest!: ReadableStreamDefaultController<Uint8Array>;
  const upstream = new Response(
    new ReadableStream<Uint8Array>({
      start(c) {
        c.enqueue(new Uint8Array([123]));
        rest = c;
      },
    }),
  );
  const deadlines: ParkedDeadline[] = [];
  const state = { [PARKED_STATE_KEY]: deadlines };
  const ctx = makeContext({ state });
  let inner: AbortSignal | undefined;
  const run = compose([timeout({ timeoutMs: 60_000 })], (c) => {
    inner = c.signal;
    return Promise.resolve(upstream);
  });
  const res = await run(ctx);
  assert.equal(res, upstream, "the response is handed on as it is");
  assert.equal(deadlines.length, 1, "the deadline waits for the body");
  assert.equal(ctx.signal, undefined, "ctx.signal is restored");
  endParked(state);
  assert.equal(deadlines.length, 0);
  assert.ok(inner && !inner.aborted);
  rest.close();
  await res.body?.cancel();
});

Deno.test("timeout() fails a parked body read that outlives the deadline with APITimeoutError", async () => {
  const deadlines: ParkedDeadline[] = [];
  const state = { [PARKED_STATE_KEY]: deadlines };
  const ctx = makeContext({ state });
  const fetchStalled = (_req: Request, init?: RequestInit) => {
    const stalled = new ReadableStream<Uint8Array>({
      start(c) {
        c.enqueue(new Uint8Array([123]));
      },
    });
    const body = stalled.pipeThrough(new TransformStream(), { signal: init?.signal ?? undefined });
    return Promise.resolve(new Response(body));
  };
  const run = compose([timeout({ timeoutMs: 5 })], createTerminal(fetchStalled));
  const res = await run(ctx);
  await assert.rejects(
    res.json().catch((err) => Promise.reject(failParked(state, err))),
    (err: unknown) => {
      assert.ok(err instanceof APITimeoutError);
      assert.match(err.message, /timed out after 5 ms/);
      return true;
    },
  );
  assert.equal(deadlines.length, 0);
});

Deno.test("timeout() ends the deadline an earlier attempt parked when it runs again", async () => {
  const deadlines: ParkedDeadline[] = [];
  const state = { [PARKED_STATE_KEY]: deadlines };
  const ctx = makeContext({ state });
  const signals: AbortSignal[] = [];
  const run = compose([timeout({ timeoutMs: 60_000 })], (c) => {
    signals.push(c.signal!);
    return Promise.resolve(new Response("attempt"));
  });
  const first = await run(ctx);
  await first.body?.cancel();
  const second = await run(ctx); // a retry of the same call
  assert.equal(await second.text(), "attempt");
  assert.equal(signals.length, 2);
  assert.equal(deadlines.length, 1, "only the latest attempt's deadline is still parked");
  endParked(state);
  assert.equal(deadlines.length, 0);
});

Deno.test("timeout() sets no deadline for a timeoutMs beyond the longest timer", async () => {
  let sawSignal: AbortSignal | undefined;
  const run = compose([timeout({ timeoutMs: 2 ** 31 })], (ctx) => {
    sawSignal = ctx.signal;
    return Promise.resolve(new Response("ok"));
  });
  const res = await run(makeContext());
  assert.equal(await res.text(), "ok", "not aborted at once");
  assert.equal(sawSignal, undefined);
});
