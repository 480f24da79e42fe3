import assert from "node:assert/strict";
import { compose } from "./compose.ts";
import { rateLimit, type RateLimitOptions } from "./rate_limit.ts";
import { cache } from "./cache.ts";
import { MemoryCache } from "../cache/memory_cache.ts";
import { retry } from "./retry.ts";
import { estimateRequestTokens } from "./_token_estimate.ts";
import type { MiddlewareContext, Terminal } from "./types.ts";
import { APIUserAbortError, RateLimitError } from "../errors/api_error.ts";
import { gatedTerminal, makeContext, recordingSleep } from "../../tests/middleware/_context.ts";
import { flush, virtualTime } from "../../tests/middleware/_virtual_time.ts";

function setup(options: RateLimitOptions, terminal: Terminal) {
  const time = virtualTime();
  const layer = rateLimit({ now: time.now, sleep: time.sleep, ...options });
  const run = compose([layer], terminal);
  // A non-stream caller reads the body at once (as the client does): that frees the slot.
  const call = (params: Record<string, unknown>, extra: Partial<MiddlewareContext> = {}) =>
    run(makeContext({ params, ...extra })).then(async (res) =>
      extra.stream ? res : new Response(await res.arrayBuffer(), res)
    );
  return { time, call };
}

Deno.test("rateLimit() runs at most maxConcurrent calls and starts the rest in order", async () => {
  const t = gatedTerminal();
  const { call } = setup({ maxConcurrent: 2 }, t.terminal);
  const results = ["a", "b", "c", "d"].map((id) => call({ id }));
  await flush();
  assert.deepEqual(t.started, ["a", "b"]);
  t.finish("b");
  await flush();
  assert.deepEqual(t.started, ["a", "b", "c"]);
  t.finish("a");
  await flush();
  assert.deepEqual(t.started, ["a", "b", "c", "d"]);
  t.finish("c");
  t.finish("d");
  assert.equal((await Promise.all(results)).length, 4);
});

Deno.test("rateLimit() spaces calls to the requests-per-minute budget", async () => {
  const { time, call } = setup(
    { requestsPerMinute: 6, burstSeconds: 10 },
    () => Promise.resolve(new Response("ok")),
  );
  await call({});
  let second = false;
  const pending = call({}).then(() => second = true);
  await flush();
  assert.equal(second, false);
  assert.deepEqual(time.waits, [10_000]); // 6 per minute, burst of 1
  await time.advance(9_999);
  assert.equal(second, false);
  await time.advance(1);
  await pending;
  assert.equal(second, true);
});

Deno.test("rateLimit() waits for the tokens-per-minute budget using the estimate", async () => {
  const { time, call } = setup(
    { tokensPerMinute: 600, burstSeconds: 60 },
    () => Promise.resolve(new Response("ok")),
  );
  await call({ prompt: "", max_tokens: 400 });
  const pending = call({ prompt: "", max_tokens: 400 });
  await flush();
  // 200 left; 200 more at 10 per second: 20 s
  assert.deepEqual(time.waits, [20_000]);
  await time.advance(20_000);
  await pending;
});

Deno.test("rateLimit() does not let one call with an infinite estimate block the budget forever", async () => {
  const { time, call } = setup(
    { tokensPerMinute: 600, burstSeconds: 60 },
    () => Promise.resolve(new Response("ok")),
  );
  await call({ max_tokens: Infinity }); // sent as max_tokens: null
  let done = false;
  const next = call({ max_tokens: 100 }).then(() => done = true);
  await time.advance(60_000); // a whole minute refills the whole budget
  assert.equal(done, true, "the call after it still waits");
  await next;
});

Deno.test("rateLimit() keeps FIFO order: a small call does not overtake a big one", async () => {
  const order: number[] = [];
  const { time, call } = setup({ tokensPerMinute: 600, burstSeconds: 60 }, (ctx) => {
    order.push((ctx.params as { max_tokens: number }).max_tokens);
    return Promise.resolve(new Response("ok"));
  });
  await call({ max_tokens: 500 });
  const big = call({ max_tokens: 300 });
  const small = call({ max_tokens: 1 });
  await flush();
  assert.deepEqual(order, [500]);
  await time.advance(60_000);
  await Promise.all([big, small]);
  assert.deepEqual(order, [500, 300, 1]);
});

Deno.test("rateLimit() rejects a queued call with APIUserAbortError and drops it from the queue", async () => {
  const t = gatedTerminal();
  const { call } = setup({ maxConcurrent: 1 }, t.terminal);
  const first = call({ id: "a" });
  const controller = new AbortController();
  const aborted = call({ id: "b" }, { signal: controller.signal });
  const third = call({ id: "c" });
  await flush();
  controller.abort(new Error("user"));
  await assert.rejects(aborted, (err: unknown) => {
    assert.ok(err instanceof APIUserAbortError);
    assert.match(err.message, /aborted while queued by rateLimit\(\)/);
    return true;
  });
  t.finish("a");
  await flush();
  assert.deepEqual(t.started, ["a", "c"]);
  t.finish("c");
  await Promise.all([first, third]);
});

Deno.test("rateLimit() rejects at once when the signal is already aborted", async () => {
  const { call } = setup({ maxConcurrent: 1 }, () => Promise.resolve(new Response("ok")));
  const controller = new AbortController();
  controller.abort();
  await assert.rejects(call({}, { signal: controller.signal }), APIUserAbortError);
});

Deno.test("rateLimit() pauses every call until the retry-after of a 429", async () => {
  let n = 0;
  const { time, call } = setup({}, () =>
    Promise.resolve(
      n++ === 0
        ? new Response("", { status: 429, headers: { "retry-after": "5" } })
        : new Response("ok"),
    ));
  assert.equal((await call({})).status, 429);
  const next = call({});
  await flush();
  assert.deepEqual(time.waits, [5_000]);
  await time.advance(5_000);
  assert.equal((await next).status, 200);
});

Deno.test("rateLimit() pauses 1 s for a 429 whose retry-after reads as no wait (0, a past date)", async () => {
  // retry() reads such a value as no hint and backs off; the queue must not rush in meanwhile.
  for (const retryAfter of ["0", "Thu, 01 Jan 1970 00:00:00 GMT"]) {
    let n = 0;
    const { time, call } = setup({}, () =>
      Promise.resolve(
        n++ === 0
          ? new Response("", { status: 429, headers: { "retry-after": retryAfter } })
          : new Response("ok"),
      ));
    assert.equal((await call({})).status, 429);
    let done = false;
    const next = call({}).then(() => done = true);
    await flush();
    assert.equal(done, false, `retry-after: ${retryAfter}`);
    assert.deepEqual(time.waits, [1_000]);
    await time.advance(1_000);
    assert.equal(await next, true);
  }
});

Deno.test("rateLimit() waits out a pause longer than a timer can take in timer-sized steps", async () => {
  let n = 0;
  const { time, call } = setup({ maxPauseMs: Infinity }, () =>
    Promise.resolve(
      n++ === 0
        ? new Response("", { status: 429, headers: { "retry-after": "2592000" } }) // 30 days
        : new Response("ok"),
    ));
  await call({});
  let done = false;
  const next = call({}).then(() => done = true);
  await flush();
  // setTimeout() fires at once for a delay above 2^31 - 1 ms: the queue would spin.
  assert.ok(time.waits.every((ms) => ms <= 0x7fffffff), `asked to sleep ${time.waits}`);
  await time.advance(0x7fffffff);
  assert.equal(done, false);
  await time.advance(2_592_000_000 - 0x7fffffff);
  assert.equal(done, true);
  await next;
});

Deno.test("rateLimit() pauses at most maxPauseMs (default 60 s) for a longer retry-after", async () => {
  for (const [options, expected] of [[{}, 60_000], [{ maxPauseMs: 5_000 }, 5_000]] as const) {
    let n = 0;
    const { time, call } = setup(options, () =>
      Promise.resolve(
        n++ === 0
          ? new Response("", { status: 429, headers: { "retry-after": "86400" } }) // a day
          : new Response("ok"),
      ));
    await call({});
    let done = false;
    const next = call({}).then(() => done = true);
    await flush();
    assert.deepEqual(time.waits, [expected]);
    await time.advance(expected - 1);
    assert.equal(done, false);
    await time.advance(1);
    await next;
    assert.equal(done, true);
  }
  assert.throws(() => rateLimit({ maxPauseMs: 0 }), /maxPauseMs must be a positive number/);
});

Deno.test("rateLimit() pauses 1 s when nothing remains, no reset is given and it has no budget", async () => {
  for (const header of ["x-ratelimit-remaining-requests", "x-ratelimit-remaining-tokens"]) {
    const { time, call } = setup(
      {},
      () => Promise.resolve(new Response("ok", { headers: { [header]: "0" } })),
    );
    await call({});
    const next = call({});
    await flush();
    assert.deepEqual(time.waits, [1_000], header);
    await time.advance(1_000);
    await next;
  }
  // Something left: no pause.
  const { time, call } = setup(
    {},
    () =>
      Promise.resolve(new Response("ok", { headers: { "x-ratelimit-remaining-requests": "3" } })),
  );
  await call({});
  await call({});
  assert.deepEqual(time.waits, []);
});

Deno.test("rateLimit() learns from the 429s retry() handles below it", async () => {
  const { sleep } = recordingSleep();
  const time = virtualTime();
  let n = 0;
  const run = compose(
    [rateLimit({ now: time.now, sleep: time.sleep }), retry({ sleep })],
    () =>
      Promise.resolve(
        n++ === 0
          ? new Response("", { status: 429, headers: { "retry-after-ms": "3000" } })
          : new Response("ok"),
      ),
  );
  assert.equal((await run(makeContext())).status, 200);
  const next = run(makeContext());
  await flush();
  assert.deepEqual(time.waits, [3_000]);
  await time.advance(3_000);
  await next;
});

Deno.test("rateLimit() lowers its budget to x-ratelimit-remaining-tokens", async () => {
  const { time, call } = setup(
    { tokensPerMinute: 600, burstSeconds: 60 },
    () => Promise.resolve(new Response("ok", { headers: { "x-ratelimit-remaining-tokens": "0" } })),
  );
  await call({ max_tokens: 10 });
  const next = call({ max_tokens: 60 });
  await flush();
  assert.deepEqual(time.waits, [6_000]); // from 0, 60 tokens at 10 per second
  await time.advance(6_000);
  await next;
});

Deno.test("rateLimit() adopts x-ratelimit-limit-requests when no budget was set", async () => {
  const { time, call } = setup({ burstSeconds: 10 }, () =>
    Promise.resolve(
      new Response("ok", {
        headers: { "x-ratelimit-limit-requests": "6", "x-ratelimit-remaining-requests": "0" },
      }),
    ));
  await call({});
  const next = call({});
  await flush();
  assert.deepEqual(time.waits, [10_000]);
  await time.advance(10_000);
  await next;
});

Deno.test("rateLimit() pauses for x-ratelimit-reset-requests when nothing remains", async () => {
  const { time, call } = setup({ maxPauseMs: 120_000 }, () =>
    Promise.resolve(
      new Response("ok", {
        headers: { "x-ratelimit-remaining-requests": "0", "x-ratelimit-reset-requests": "1m2s" },
      }),
    ));
  await call({});
  const next = call({});
  await flush();
  assert.deepEqual(time.waits, [62_000]);
  await time.advance(62_000);
  await next;
});

Deno.test("rateLimit() ignores the headers when learn is false", async () => {
  const { time, call } = setup(
    { learn: false },
    () => Promise.resolve(new Response("", { status: 429, headers: { "retry-after": "5" } })),
  );
  await call({});
  await call({});
  assert.deepEqual(time.waits, []);
});

Deno.test("rateLimit() holds a stream's slot until the stream ends", async () => {
  const t = gatedTerminal();
  const { call } = setup({ maxConcurrent: 1 }, t.terminal);
  const first = call({ id: "s" }, { stream: true });
  const second = call({ id: "n" });
  await flush();
  t.finish("s", new Response("data: x\n\n"));
  const res = await first;
  await flush();
  assert.deepEqual(t.started, ["s"], "the stream still holds the slot");
  assert.equal(await res.text(), "data: x\n\n");
  await flush();
  assert.deepEqual(t.started, ["s", "n"]);
  t.finish("n");
  await second;
});

Deno.test("rateLimit() releases a stream's slot when it is cancelled", async () => {
  const t = gatedTerminal();
  const { call } = setup({ maxConcurrent: 1 }, t.terminal);
  const first = call({ id: "s" }, { stream: true });
  const second = call({ id: "n" });
  await flush();
  t.finish("s", new Response(new ReadableStream({ pull() {} })));
  await (await first).body?.cancel();
  await flush();
  assert.deepEqual(t.started, ["s", "n"]);
  t.finish("n");
  await second;
});

Deno.test("rateLimit() releases the slot when the call throws", async () => {
  let n = 0;
  const { call } = setup(
    { maxConcurrent: 1 },
    () => n++ === 0 ? Promise.reject(new Error("down")) : Promise.resolve(new Response("ok")),
  );
  await assert.rejects(call({}), /down/);
  assert.equal((await call({})).status, 200);
});

Deno.test("rateLimit() refuses a call with RateLimitError when the queue is full", async () => {
  const t = gatedTerminal();
  const { call } = setup({ maxConcurrent: 1, maxQueue: 1 }, t.terminal);
  const a = call({ id: "a" });
  const b = call({ id: "b" });
  await flush();
  await assert.rejects(call({ id: "c" }), (err: unknown) => {
    assert.ok(err instanceof RateLimitError);
    assert.match(err.message, /maxQueue/);
    return true;
  });
  t.finish("a");
  await flush();
  t.finish("b");
  await Promise.all([a, b]);
});

Deno.test("rateLimit() throws a TypeError for a bad option", () => {
  assert.throws(() => rateLimit({ maxConcurrent: 0 }), /maxConcurrent must be a positive/);
  assert.throws(() => rateLimit({ tokensPerMinute: -5 }), /tokensPerMinute/);
});

Deno.test("estimateRequestTokens() counts chat text / 4 plus max_tokens times n", () => {
  assert.equal(
    estimateRequestTokens({
      messages: [
        { role: "system", content: "x".repeat(40) },
        { role: "user", content: [{ type: "text", text: "y".repeat(40) }, { type: "image_url" }] },
        {
          role: "assistant",
          tool_calls: [{ function: { name: "f", arguments: "z".repeat(8) } }],
        },
      ],
      max_completion_tokens: 100,
      n: 2,
    }),
    22 + 1536 + 200, // the image part at its default (high) detail
  );
});

Deno.test("estimateRequestTokens() counts prompts, inputs and token arrays", () => {
  assert.equal(estimateRequestTokens({ prompt: ["abcd", "efgh"], max_tokens: 16, best_of: 3 }), 50);
  assert.equal(estimateRequestTokens({ input: ["abcdefgh", "ab"] }), 3);
  assert.equal(estimateRequestTokens({ input: [1, 2, 3] }), 3);
  assert.equal(estimateRequestTokens({ input: [[1, 2], [3]] }), 3);
  assert.equal(estimateRequestTokens(undefined), 0);
  assert.equal(estimateRequestTokens(new FormData()), 0);
});

Deno.test("estimateRequestTokens() counts an image part as its tokens, not its URL's length", () => {
  const dataUrl = "data:image/png;base64," + "A".repeat(400_000);
  const image = (detail?: string) => ({ type: "image_url", image_url: { url: dataUrl, detail } });
  const chat = (...parts: unknown[]) => ({
    messages: [{ role: "user", content: [{ type: "text", text: "x".repeat(40) }, ...parts] }],
  });
  assert.equal(estimateRequestTokens(chat()), 10);
  assert.equal(estimateRequestTokens(chat(image("low"))), 10 + 85);
  assert.equal(estimateRequestTokens(chat(image("high"))), 10 + 1536);
  assert.equal(
    estimateRequestTokens(chat(image(), image("auto"), image("low"))),
    10 + 1536 * 2 + 85,
  );
});

Deno.test("estimateRequestTokens() counts tool and function definitions, response schemas and legacy function calls", () => {
  const user = { role: "user", content: "hi" }; // 2 characters
  const tools = [{
    type: "function",
    function: { name: "lookup", description: "d".repeat(4000), parameters: { type: "object" } },
  }];
  const functions = [{ name: "lookup", description: "d".repeat(4000) }];
  const format = {
    type: "json_schema",
    json_schema: { name: "answer", schema: { type: "object", description: "s".repeat(4000) } },
  };
  const chars = (value: unknown) => JSON.stringify(value).length;
  assert.equal(
    estimateRequestTokens({ messages: [user], tools }),
    Math.ceil((2 + chars(tools)) / 4),
  );
  assert.equal(
    estimateRequestTokens({ messages: [user], functions }),
    Math.ceil((2 + chars(functions)) / 4),
  );
  assert.equal(
    estimateRequestTokens({ messages: [user], response_format: format }),
    Math.ceil((2 + chars(format)) / 4),
  );
  assert.equal(
    estimateRequestTokens({
      messages: [
        {
          role: "assistant",
          content: null,
          function_call: { name: "f", arguments: "a".repeat(400) },
        },
        { role: "assistant", content: [{ type: "refusal", refusal: "r".repeat(400) }] },
      ],
    }),
    200,
  );
});

Deno.test("rateLimit() after cache() charges a partial hit only for the inputs sent upstream", async () => {
  const time = virtualTime();
  const sent: unknown[][] = [];
  const charged: unknown[] = [];
  const limiter = rateLimit({ tokensPerMinute: 600, burstSeconds: 60, ...time });
  const observer = rateLimit({
    // Records what it is asked to estimate (its budget never makes a call wait).
    estimateTokens: (params) => (charged.push(params), 0),
    tokensPerMinute: 1e9,
  });
  const run = compose(
    [cache({ store: new MemoryCache() }), observer, limiter],
    async (ctx) => {
      const { input } = await ctx.request.json();
      sent.push(input);
      return Response.json({
        object: "list",
        data: input.map((_: unknown, index: number) => ({
          object: "embedding",
          index,
          embedding: [index, 1],
        })),
        model: "m",
        usage: { prompt_tokens: 1, total_tokens: 1 },
      });
    },
  );
  const embed = (input: string[]) => {
    const body = { input };
    return run(makeContext({
      operation: "embeddings.create",
      deployment: "emb",
      params: body,
      request: new Request(
        "https://res.openai.azure.com/openai/deployments/emb/embeddings?api-version=2024-10-21",
        {
          method: "POST",
          body: JSON.stringify(body),
          headers: { "content-type": "application/json" },
        },
      ),
    }));
  };
  const a = "a".repeat(400); // 100 tokens each
  const b = "b".repeat(400);
  await embed([a]); // 100 of 600
  const partial = await embed([a, b]); // only b goes: 100 more
  assert.equal(partial.headers.get("x-aoai-cache"), "partial");
  assert.deepEqual(sent, [[a], [b]]);
  assert.deepEqual((charged[1] as { input: string[] }).input, [b]);
  // 400 tokens are left: a 400-token call goes at once.
  await embed(["c".repeat(1_600)]);
  assert.deepEqual(time.waits, [], "the cached input was charged to the budget");
});

Deno.test("rateLimit() learns a tokens budget from x-ratelimit-remaining-tokens alone (as Azure sends)", async () => {
  let left = 600;
  const { time, call } = setup(
    { estimateTokens: () => 100 },
    () =>
      Promise.resolve(
        new Response("ok", { headers: { "x-ratelimit-remaining-tokens": String(left) } }),
      ),
  );
  await call({}); // nothing known yet: it goes, and 600 remain
  await call({}); // 600 a minute, 100 at once (10 s): this one takes them
  const third = call({});
  await flush();
  assert.deepEqual(time.waits, [10_000], "100 tokens at 10 a second");
  await time.advance(10_000);
  await third;
  // More remains later: the learned budget rises to it.
  left = 1_200;
  const fourth = call({}); // the bucket is empty: it refills at the rate learned so far
  await flush();
  assert.deepEqual(time.waits, [10_000, 10_000]);
  await time.advance(10_000);
  await fourth; // 1 200 remain
  const fifth = call({});
  await flush();
  assert.deepEqual(time.waits.slice(2), [5_000], "100 tokens at 20 a second");
  await time.advance(5_000);
  await fifth;
});

Deno.test("rateLimit() learns a requests budget from x-ratelimit-remaining-requests alone", async () => {
  const { time, call } = setup(
    { burstSeconds: 60 },
    () =>
      Promise.resolve(
        new Response("ok", { headers: { "x-ratelimit-remaining-requests": "2" } }),
      ),
  );
  await call({});
  await call({});
  await call({});
  const fourth = call({});
  await flush();
  assert.deepEqual(time.waits, [30_000], "2 a minute, after the 2 the budget holds");
  await time.advance(30_000);
  await fourth;
});

Deno.test("rateLimit() never raises a budget that was set past it, nor one sent as a limit", async () => {
  const cases: [number | undefined, string | undefined][] = [[600, undefined], [undefined, "600"]];
  for (const [set, limit] of cases) {
    const headers: Record<string, string> = { "x-ratelimit-remaining-tokens": "6000" };
    if (limit) headers["x-ratelimit-limit-tokens"] = limit;
    const { time, call } = setup(
      { tokensPerMinute: set, estimateTokens: () => 100 },
      () => Promise.resolve(new Response("ok", { headers })),
    );
    await call({});
    if (limit) await call({}); // the limit came with the first response: 100 of 100 taken
    const next = call({});
    await flush();
    assert.deepEqual(time.waits, [10_000], `${set ?? limit}: 600 a minute, not 6 000`);
    await time.advance(10_000);
    await next;
  }
});
