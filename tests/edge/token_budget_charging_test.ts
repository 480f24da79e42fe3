// A shared token limiter (Deno KV) writes a charge some time after the reply: until written, the
// request must still count against its client's budget in this isolate.
import assert from "node:assert/strict";
import { clientIdOf, ClientTokenLimiter, type TokenLimiter } from "../../edge/mod.ts";
import { KEY } from "./_helpers.ts";
import { ask, bodyOf, heldApp, turns, USAGE } from "./_token_budget.ts";

Deno.test("tokenLimit: a request whose charge a shared limiter has not written yet still counts against the budget", async () => {
  const inner = new ClientTokenLimiter({ tokensPerMinute: 100, now: () => 0 });
  // 95 of 100 spent: 5 left, less than one reply's usage (10).
  inner.charge(await clientIdOf(KEY), 95);
  const writes: Array<() => void> = [];
  let charging!: () => void;
  const charged = new Promise<void>((resolve) => charging = resolve);
  const limiter: TokenLimiter = {
    tokensPerMinute: 100,
    check: (client) => inner.check(client),
    // A store's write: counted once it lands.
    charge: (client, tokens) =>
      new Promise<void>((resolve) => {
        writes.push(() => {
          inner.charge(client, tokens);
          resolve();
        });
        charging();
      }),
  };
  const { app, state, open } = heldApp({ tokenLimit: { limiter } });
  state.onCall = open;
  const first = await app.fetch(ask(bodyOf(60)));
  assert.equal(first.status, 200);
  assert.equal((await first.json()).usage.total_tokens, USAGE.total_tokens);
  await charged; // handed to the limiter, not written yet
  const second = await app.fetch(ask(bodyOf(60)));
  assert.equal(second.status, 429, "the 10 tokens being written are over the 5 left");
  await second.body?.cancel();
  assert.equal(state.calls, 1);
  // Written: the store itself now refuses (the budget is spent).
  writes.splice(0).forEach((write) => write());
  await turns();
  const third = await app.fetch(ask(bodyOf(60)));
  assert.equal(third.status, 429);
  await third.body?.cancel();
  assert.equal(state.calls, 1);
});

Deno.test("tokenLimit: a charge the limiter never finishes lets its hold go after tokenLimit.timeoutMs", async () => {
  const inner = new ClientTokenLimiter({ tokensPerMinute: 100, now: () => 0 });
  let charging!: () => void;
  const charged = new Promise<void>((resolve) => charging = resolve);
  const limiter: TokenLimiter = {
    tokensPerMinute: 100,
    check: (client) => inner.check(client),
    charge: () => {
      charging();
      return new Promise<void>(() => {});
    },
  };
  const errors: string[] = [];
  const { app, state, open } = heldApp({
    tokenLimit: { limiter, timeoutMs: 1 },
    onError: (message) => errors.push(message),
  });
  state.onCall = open;
  // 400 characters: a hold of the whole budget while it lasts.
  const first = await app.fetch(ask(bodyOf(400)));
  await first.json();
  await charged;
  // On a loaded machine the 1 ms check may time out too ("let through"): look for the charge's.
  const counted = () => errors.some((e) => /token limiter failed to count/.test(e));
  for (let i = 0; i < 10_000 && !counted(); i++) await turns(1);
  assert.ok(counted(), errors.join("\n"));
  await turns();
  const second = await app.fetch(ask(bodyOf(60)));
  assert.equal(second.status, 200);
  await second.body?.cancel();
});
