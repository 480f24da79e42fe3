// Requests whose bodies declare no length (chunked) against a token budget, in one isolate: each
// holds nothing until its body is read, so several pass the check together; once read, each is
// checked again against what the others hold then.
import assert from "node:assert/strict";
import { clientIdOf, ClientTokenLimiter } from "../../edge/mod.ts";
import { errorOf, KEY } from "./_helpers.ts";
import { ask, bodyOf, chunked, heldApp, turns } from "./_token_budget.ts";

/**
 * Sends `sizes.length` chunked requests of those sizes together, feeds every body once all are
 * being read (in the same task), and resolves once each went upstream or was answered.
 */
async function burst(app: ReturnType<typeof heldApp>, sizes: number[]) {
  const requests = sizes.map((n) => chunked(bodyOf(n)));
  let answered = 0;
  let all!: () => void;
  const settled = new Promise<void>((resolve) => all = resolve);
  const check = () => app.state.calls + answered === sizes.length && all();
  app.state.onCall = check;
  const pending = requests.map(({ request }) =>
    app.app.fetch(request).then((res) => {
      if (res.status !== 200) answered++;
      check();
      return res;
    })
  );
  await Promise.all(requests.map(({ reading }) => reading)); // every one passed the check
  for (const { send } of requests) send();
  await settled;
  return pending;
}

Deno.test("tokenLimit: of two chunked requests read at once over the budget, only the first read goes upstream", async () => {
  const app = heldApp({
    tokenLimit: { limiter: new ClientTokenLimiter({ tokensPerMinute: 100, now: () => 0 }) },
  });
  // 400 characters each: 100 tokens, the whole budget, once read.
  const pending = await burst(app, [400, 400]);
  assert.equal(app.state.calls, 1, "the second, once read, finds the budget held by the first");
  app.open();
  const responses = await Promise.all(pending);
  assert.deepEqual(responses.map((res) => res.status).sort(), [200, 429]);
  const refused = responses.find((res) => res.status === 429)!;
  // 100 tokens held, none left: the first token is back in 0.6 s.
  assert.equal(refused.headers.get("retry-after"), "1");
  assert.match((await errorOf(refused)).message, /more than 100 tokens per minute/);
  for (const res of responses) if (!res.bodyUsed) await res.body?.cancel();
});

Deno.test("tokenLimit: chunked requests read at once go through while the budget less the others' holds lasts", async () => {
  const app = heldApp({
    tokenLimit: { limiter: new ClientTokenLimiter({ tokensPerMinute: 100, now: () => 0 }) },
  });
  // 200 characters each: 50 tokens. The first read sees 0 held, the second 50 (of 100 left),
  // the third 100: at most the budget plus one request's prompt, as for declared lengths.
  const pending = await burst(app, [200, 200, 200]);
  assert.equal(app.state.calls, 2);
  app.open();
  const responses = await Promise.all(pending);
  assert.deepEqual(responses.map((res) => res.status).sort(), [200, 200, 429]);
  for (const res of responses) if (!res.bodyUsed) await res.body?.cancel();
});

Deno.test("tokenLimit: a lone chunked request larger than the budget left still goes through", async () => {
  const app = heldApp({
    tokenLimit: { limiter: new ClientTokenLimiter({ tokensPerMinute: 100, now: () => 0 }) },
  });
  // 800 characters: 200 tokens, twice the budget; nothing else in flight.
  const pending = await burst(app, [800]);
  assert.equal(app.state.calls, 1);
  app.open();
  const [res] = await Promise.all(pending);
  assert.equal(res.status, 200);
  await res.body?.cancel();
});

Deno.test("tokenLimit: a chunked body read long after its check counts what the budget refilled meanwhile", async () => {
  let now = 0;
  const limiter = new ClientTokenLimiter({ tokensPerMinute: 100, now: () => now });
  limiter.charge(await clientIdOf(KEY), 60); // 40 left
  const app = heldApp({ tokenLimit: { limiter }, now: () => now });
  // 400 characters: 100 tokens once read.
  const slow = chunked(bodyOf(400));
  const first = app.app.fetch(slow.request);
  await slow.reading;
  // 160 characters with their length: 40 tokens held, all the check left.
  let called!: () => void;
  app.state.onCall = () => called();
  await new Promise<void>((resolve) => {
    called = resolve;
    void app.app.fetch(ask(bodyOf(160))).then((res) => res.body?.cancel());
  });
  assert.equal(app.state.calls, 1);
  now = 30_000; // half a minute later: 90 left, 40 of them held
  const second = new Promise<void>((resolve) => called = resolve);
  slow.send();
  await Promise.race([second, first]); // upstream, or answered here
  assert.equal(app.state.calls, 2, "the refilled budget less the 40 held covers it");
  app.open();
  const res = await first;
  assert.equal(res.status, 200);
  await res.body?.cancel();
});

Deno.test("tokenLimit: a chunked body read minutes after its check is not refused for charges the budget has refilled since", async () => {
  let now = 0;
  const limiter = new ClientTokenLimiter({ tokensPerMinute: 100, now: () => now });
  const app = heldApp({ tokenLimit: { limiter }, now: () => now });
  const slow = chunked(bodyOf(200)); // 50 tokens once read; checked with the whole budget left
  const first = app.app.fetch(slow.request);
  await slow.reading;
  // A request a minute, each charged 10 (its usage): 110 in all, each refilled a minute later.
  app.state.onCall = app.open;
  for (let i = 0; i < 11; i++) {
    now += 60_000;
    const res = await app.app.fetch(ask(bodyOf(60)));
    assert.equal(res.status, 200);
    await res.text();
    await turns();
  }
  assert.equal(app.state.calls, 11);
  // 90 left now (the last 10 not refilled yet), nothing held.
  assert.deepEqual(limiter.check(await clientIdOf(KEY)), {
    ok: true,
    retryAfterSeconds: 0,
    remaining: 90,
  });
  const called = new Promise<void>((resolve) => app.state.onCall = resolve);
  slow.send();
  await Promise.race([called, first]);
  assert.equal(app.state.calls, 12, "90 of the budget left, none of it held");
  app.open();
  const res = await first;
  assert.equal(res.status, 200);
  await res.body?.cancel();
});
