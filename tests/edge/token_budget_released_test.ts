// What a request's hold counts once let go: the tokens its client was charged (nothing for a
// refusal, an error or a cache hit), not its estimate. A check under way, or the second check of
// a body sent without its length, counts what was let go meanwhile as spent: counting estimates
// that were never charged refused requests of a client under its budget.
import assert from "node:assert/strict";
import { ClientTokenLimiter, type TokenLimiter } from "../../edge/mod.ts";
import { ask, bodyOf, chunked, heldApp, turns } from "./_token_budget.ts";

/** A chat body of exactly `chars` ASCII characters that fails validation (400). */
function invalidOf(chars: number): string {
  const empty = JSON.stringify({ messages: "" });
  const body = JSON.stringify({ messages: "x".repeat(chars - empty.length) });
  assert.equal(body.length, chars);
  return body;
}

Deno.test("tokenLimit: a chunked body read after another request was refused (400) is not refused for that request's estimate", async () => {
  const app = heldApp({
    tokenLimit: { limiter: new ClientTokenLimiter({ tokensPerMinute: 100, now: () => 0 }) },
  });
  const slow = chunked(bodyOf(200)); // 50 tokens once read
  const first = app.app.fetch(slow.request);
  await slow.reading;
  // 400 bytes declared: 100 tokens held, the whole budget, until its 400 is delivered.
  const bad = await app.app.fetch(ask(invalidOf(400)));
  assert.equal(bad.status, 400);
  await bad.text();
  await turns(); // delivered: its hold let go, nothing charged
  const called = new Promise<void>((resolve) => app.state.onCall = resolve);
  slow.send();
  await Promise.race([called, first]);
  assert.equal(app.state.calls, 1, "nothing was spent: the budget is whole");
  app.open();
  const res = await first;
  assert.equal(res.status, 200);
  await res.body?.cancel();
});

Deno.test("tokenLimit: a chunked body read after another request was charged counts that charge, not its estimate", async () => {
  const app = heldApp({
    tokenLimit: { limiter: new ClientTokenLimiter({ tokensPerMinute: 100, now: () => 0 }) },
  });
  const slow = chunked(bodyOf(200)); // 50 tokens once read
  const first = app.app.fetch(slow.request);
  await slow.reading;
  // 100 tokens held while in flight, then charged its usage: 10.
  app.state.onCall = app.open;
  const other = await app.app.fetch(ask(bodyOf(400)));
  assert.equal(other.status, 200);
  await other.text();
  await turns();
  const called = new Promise<void>((resolve) => app.state.onCall = resolve);
  slow.send();
  await Promise.race([called, first]);
  assert.equal(app.state.calls, 2, "10 of 100 spent: 90 left");
  app.open();
  const res = await first;
  assert.equal(res.status, 200);
  await res.body?.cancel();
});

Deno.test("tokenLimit: a request refused while another's check was under way is not counted as spent by that check", async () => {
  const inner = new ClientTokenLimiter({ tokensPerMinute: 100, now: () => 0 });
  const gates: Array<() => void> = [];
  let checking = () => {};
  // A store's read: answers when the test says.
  const limiter: TokenLimiter = {
    tokensPerMinute: 100,
    check: (client) =>
      new Promise((resolve) => {
        gates.push(() => resolve(inner.check(client)));
        checking();
      }),
    charge: (client, tokens) => inner.charge(client, tokens),
  };
  const app = heldApp({ tokenLimit: { limiter } });
  const asked = () => new Promise<void>((resolve) => checking = resolve);
  let next = asked();
  const badDone = app.app.fetch(ask(invalidOf(400))); // 100 tokens held once checked
  await next;
  gates.shift()!();
  const bad = await badDone;
  assert.equal(bad.status, 400); // its hold goes once its body is delivered
  next = asked();
  const first = app.app.fetch(ask(bodyOf(60)));
  await next; // its check under way
  await bad.text();
  await turns(); // the 400's hold let go, nothing charged
  const called = new Promise<void>((resolve) => app.state.onCall = resolve);
  gates.shift()!();
  await Promise.race([called, first]);
  assert.equal(app.state.calls, 1, "nothing was spent: the budget is whole");
  app.open();
  const res = await first;
  assert.equal(res.status, 200);
  await res.body?.cancel();
});
