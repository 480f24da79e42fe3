// Concurrent requests against a nearly spent token budget, in one isolate.
import assert from "node:assert/strict";
import { ClientTokenLimiter } from "../../edge/mod.ts";
import { errorOf, recordingLimiter } from "./_helpers.ts";
import { ask, bodyOf, heldApp, turns } from "./_token_budget.ts";

Deno.test("tokenLimit: concurrent requests are let through only while the budget less their prompt estimates lasts", async () => {
  const r = recordingLimiter(new ClientTokenLimiter({ tokensPerMinute: 100, now: () => 0 }));
  const { app, state, open } = heldApp({ tokenLimit: { limiter: r.limiter } });
  // 200 characters: an estimate of 50 prompt tokens each, against a full budget of 100.
  const body = bodyOf(200);
  let answered = 0;
  let all!: () => void;
  const arrived = new Promise<void>((resolve) => all = resolve);
  const check = () => state.calls + answered === 5 && all();
  state.onCall = check;
  const pending = Array.from({ length: 5 }, () =>
    app.fetch(ask(body)).then((res) => {
      if (res.status !== 200) answered++;
      check();
      return res;
    }));
  await arrived; // every request went upstream or was answered
  assert.equal(state.calls, 2, "two requests in flight hold the whole budget");
  open();
  const responses = await Promise.all(pending);
  assert.deepEqual(responses.map((res) => res.status), [200, 200, 429, 429, 429]);
  const refused = responses[2];
  // 100 tokens held, none left: the first token is back in 0.6 s.
  assert.equal(refused.headers.get("retry-after"), "1");
  assert.match((await errorOf(refused)).message, /more than 100 tokens per minute/);
  for (const res of responses) if (!res.bodyUsed) await res.body?.cancel();
  await r.reach(2);
  assert.deepEqual(r.tokens, [10, 10], "charged the usage, not the estimate");
  // The charges landed: the held estimates are released and the budget (80 left) lets more in.
  const later = app.fetch(ask(body));
  await turns();
  assert.equal(state.calls, 3);
  open();
  assert.equal((await later).status, 200);
  await (await later).body?.cancel();
});

Deno.test("tokenLimit: a body sent without its length is held once read", async () => {
  const { app, state, open } = heldApp({
    tokenLimit: { limiter: new ClientTokenLimiter({ tokensPerMinute: 100, now: () => 0 }) },
  });
  const called = new Promise<void>((resolve) => state.onCall = resolve);
  // 400 characters, as a chunked body: 100 tokens, held once the app has read them.
  const first = app.fetch(ask(bodyOf(400), undefined, false));
  await called;
  state.onCall = open; // a request let through is answered at once
  const second = await app.fetch(ask(bodyOf(60)));
  assert.equal(second.status, 429, "the first request holds the whole budget");
  await second.body?.cancel();
  open();
  assert.equal((await first).status, 200);
  await (await first).body?.cancel();
});

Deno.test("tokenLimit: a request the rate limit refuses lets its held estimate go", async () => {
  let takes = 0;
  const { app, state, open } = heldApp({
    tokenLimit: { limiter: new ClientTokenLimiter({ tokensPerMinute: 100, now: () => 0 }) },
    rateLimit: {
      limiter: { requestsPerMinute: 1, take: () => ({ ok: ++takes <= 1, retryAfterSeconds: 60 }) },
    },
  });
  const called = new Promise<void>((resolve) => state.onCall = resolve);
  const first = app.fetch(ask(bodyOf(200))); // holds 50 of 100
  await called;
  for (let i = 0; i < 3; i++) {
    const res = await app.fetch(ask(bodyOf(200)));
    assert.equal(res.status, 429);
    // Were the 50 of a refused request still held, the next one would be over the budget.
    assert.match((await errorOf(res)).message, /more than 1 requests per minute/);
  }
  open();
  assert.equal((await first).status, 200);
  await (await first).body?.cancel();
});
