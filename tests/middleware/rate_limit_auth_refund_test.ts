// rateLimit() around a token auth whose provider fails: the client rejects the call with
// AuthenticationError before anything is sent, so the request and tokens the call took in
// rateLimit() go back, as for a call an inner timeout() refused unsent. A call whose earlier
// attempt reached the service keeps them, and so does one that failed on the wire.
import assert from "node:assert/strict";
import { AzureOpenAI } from "../../mod.ts";
import { createEmulator } from "../../src/emulator/mod.ts";
import { compose } from "../../src/middleware/compose.ts";
import { rateLimit, type RateLimitOptions } from "../../src/middleware/rate_limit.ts";
import { retry } from "../../src/middleware/retry.ts";
import type { Middleware, Terminal } from "../../src/middleware/types.ts";
import {
  APIConnectionError,
  AuthenticationError,
  InternalServerError,
} from "../../src/errors/api_error.ts";
import { makeContext } from "./_context.ts";
import { flush, virtualTime } from "./_virtual_time.ts";

const TOKEN = "entra-token-0123456789";
const PARAMS = { model: "text-embedding-3-small", input: "hi" };

/** Lets pending work run (macrotask turns) until `done()` or a number of turns passed. */
async function settle(done: () => boolean) {
  for (let i = 0; i < 50 && !done(); i++) await new Promise((r) => setTimeout(r, 0));
}

/**
 * A client under rateLimit(options) on a virtual clock (nothing refills unless the test moves
 * it), whose token provider fails while `provider.down`; `sent` counts what reached fetch.
 */
function setup(options: RateLimitOptions) {
  const emulator = createEmulator({ apiKeys: [TOKEN] });
  const time = virtualTime();
  const provider = { down: true };
  const counter = { sent: 0 };
  const client = new AzureOpenAI({
    endpoint: "http://emulator.local",
    maxRetries: 0,
    tokenProvider: () => {
      if (provider.down) return Promise.reject(new Error("identity endpoint unreachable"));
      return Promise.resolve({ token: TOKEN, expiresOnTimestamp: Date.now() + 3_600_000 });
    },
    fetch: (request, init) => {
      counter.sent++;
      return emulator.fetch(request, init);
    },
    middleware: [rateLimit({ now: time.now, sleep: time.sleep, ...options })],
  });
  /** Whether a call goes out now (without the clock moving); it is cleaned up either way. */
  const goesAtOnce = async () => {
    const before = counter.sent;
    const controller = new AbortController();
    const call = client.embeddings.create(PARAMS, { signal: controller.signal });
    call.catch(() => {});
    await settle(() => counter.sent > before);
    const went = counter.sent > before;
    if (!went) controller.abort();
    await call.catch(() => {});
    return went;
  };
  return { client, provider, counter, goesAtOnce };
}

Deno.test("rateLimit(): a call whose token provider failed (nothing sent) gives back its request", async () => {
  // One request per 10 s (burst 1), and the clock stands still.
  const { client, provider, counter, goesAtOnce } = setup({
    requestsPerMinute: 6,
    burstSeconds: 10,
  });
  const err = await client.embeddings.create(PARAMS).catch((e) => e);
  assert.ok(err instanceof AuthenticationError, String(err));
  assert.equal(counter.sent, 0, "nothing was sent");
  provider.down = false;
  assert.ok(await goesAtOnce(), "the failed call's request went back: the next call goes");
  assert.equal(counter.sent, 1);
});

Deno.test("rateLimit(): a call whose token provider failed gives back its tokens", async () => {
  // 600 tokens per minute, burst 10 s: 100 at once; every call is estimated at 100.
  const { client, provider, goesAtOnce } = setup({
    tokensPerMinute: 600,
    estimateTokens: () => 100,
  });
  assert.ok(await client.embeddings.create(PARAMS).catch((e) => e) instanceof AuthenticationError);
  provider.down = false;
  assert.ok(await goesAtOnce(), "the failed call's 100 tokens went back");
});

/**
 * rateLimit() over retry({ maxRetries }) over `inner`; one request per 10 s. The terminal
 * answers what `answer(id, attempt)` gives (a status, or an error to throw).
 */
function layered(
  inner: Middleware[],
  answer: (id: string, attempt: number) => number | Error,
  maxRetries = 1,
) {
  const time = virtualTime();
  const started: string[] = [];
  const terminal: Terminal = (ctx) => {
    const id = String((ctx.params as { id: string }).id);
    started.push(`${id}${ctx.attempt}`);
    const a = answer(id, ctx.attempt);
    if (a instanceof Error) return Promise.reject(a);
    return Promise.resolve(new Response("{}", { status: a }));
  };
  const run = compose(
    [
      rateLimit({ requestsPerMinute: 6, burstSeconds: 10, now: time.now, sleep: time.sleep }),
      retry({ maxRetries, sleep: () => Promise.resolve() }),
      ...inner,
    ],
    terminal,
  );
  const call = (id: string) => {
    let settled: unknown = "pending";
    const ctx = makeContext({ params: { id }, options: { timeoutMs: 0, maxRetries } });
    run(ctx).then(() => settled = "resolved", (err) => settled = err);
    return () => flush().then(() => settled);
  };
  return { time, started, call };
}

/** An auth layer whose provider works for the first attempt of each call only. */
const flakyAuth: Middleware = (ctx, next) => {
  if (ctx.attempt > 1) {
    return Promise.reject(new AuthenticationError("the tokenProvider failed; nothing was sent"));
  }
  return next();
};

Deno.test("rateLimit(): a call whose provider failed after an earlier attempt reached the service keeps its request", async () => {
  // a's first attempt gets a 503 (the service saw it); the retry fails in auth.
  const { time, started, call } = layered([flakyAuth], (id) => id === "a" ? 503 : 200);
  const a = call("a");
  assert.ok(await a() instanceof AuthenticationError);
  assert.deepEqual(started, ["a1"]);
  const b = call("b");
  assert.equal(await b(), "pending", "a's request reached the service: it stays spent");
  await time.advance(10_000);
  assert.equal(await b(), "resolved");
});

Deno.test("rateLimit(): any layer failing before sending (a custom auth's own error) gives back the request", async () => {
  let up = false;
  const customAuth: Middleware = (_ctx, next) => {
    if (!up) throw new Error("vault unreachable");
    return next();
  };
  const { started, call } = layered([customAuth], () => 200, 0);
  assert.match(String(await call("a")()), /vault unreachable/);
  up = true;
  assert.equal(await call("b")(), "resolved", "a sent nothing: its request went back");
  assert.deepEqual(started, ["b1"]);
});

Deno.test("rateLimit(): a call that failed on the wire (connection error) keeps its request", async () => {
  const { started, call } = layered(
    [],
    (id) => id === "a" ? new APIConnectionError("reset") : 200,
    0,
  );
  assert.ok(await call("a")() instanceof APIConnectionError);
  assert.equal(await call("b")(), "pending", "a may have reached the service");
  assert.deepEqual(started, ["a1"]);
});

Deno.test("rateLimit(): a layer that throws after a response arrived keeps the request", async () => {
  const strict: Middleware = async (_ctx, next) => {
    const res = await next();
    if (!res.ok) throw new InternalServerError("upstream failed");
    return res;
  };
  // strict sits outside retry(), inside rateLimit(): retry() saw the 500 (the service did too).
  const time = virtualTime();
  const run = compose(
    [
      rateLimit({ requestsPerMinute: 6, burstSeconds: 10, now: time.now, sleep: time.sleep }),
      strict,
      retry({ maxRetries: 0 }),
    ],
    () => Promise.resolve(new Response("{}", { status: 500 })),
  );
  const ctx = () => makeContext({ options: { timeoutMs: 0, maxRetries: 0 } });
  await assert.rejects(run(ctx()), InternalServerError);
  let second: unknown = "pending";
  run(ctx()).then(() => second = "resolved", () => second = "rejected");
  await flush();
  assert.equal(second, "pending", "the 500 reached the service: the request stays spent");
  await time.advance(10_000);
  assert.equal(second, "rejected");
});
