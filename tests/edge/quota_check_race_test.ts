// tokenQuota: a check under way while another of the key's requests is charged.
import assert from "node:assert/strict";
import { clientIdOf, ClientTokenQuota, type TokenQuotaLimiter } from "../../edge/mod.ts";
import { ask, bodyOf, chunked, heldApp, turns } from "./_token_budget.ts";
import { KEY } from "./_helpers.ts";

/** A quota of 15 tokens a day whose checks wait, while `hold()`'s release is not called. */
function gatedQuota() {
  const store = new ClientTokenQuota({ tokens: 15, period: "day", now: () => 0 });
  let gate: Promise<void> | undefined;
  const quota: TokenQuotaLimiter = {
    tokens: 15,
    period: "day",
    async check(client) {
      if (gate) await gate;
      return store.check(client);
    },
    charge: (client, tokens) => store.charge(client, tokens),
  };
  /** Holds the checks from now on; the function returned lets them (and later ones) through. */
  const hold = () => {
    let release!: () => void;
    gate = new Promise((resolve) => release = resolve);
    return () => {
      gate = undefined;
      release();
    };
  };
  return { store, quota, hold };
}

Deno.test("tokenQuota: a key with tokens left is not refused because a charge landed during its check (which saw it)", async () => {
  const { store, quota, hold } = gatedQuota();
  const { app, state, open } = heldApp({
    tokenQuota: { tokens: 15, period: "day", limiter: quota },
  });
  const called = new Promise<void>((resolve) => state.onCall = resolve);
  // 48 characters: 12 tokens held while in flight, 10 charged (the reply's usage).
  const first = app.fetch(ask(bodyOf(48)));
  await called;
  const letCheck = hold();
  const second = app.fetch(ask(bodyOf(48)));
  await turns();
  // The first is answered and charged while the second's check waits.
  open();
  await (await first).text();
  await turns();
  state.onCall = open;
  letCheck();
  const res = await second;
  assert.equal(res.status, 200, "5 tokens left and nothing in flight: let through");
  await res.text();
  await turns();
  assert.equal(store.check(await clientIdOf(KEY)).ok, false, "both charged: 20 of 15");
});

Deno.test("tokenQuota: a chunked body's second check is not refused because a charge landed during it (which saw it)", async () => {
  const { quota, hold } = gatedQuota();
  const { app, state, open } = heldApp({
    tokenQuota: { tokens: 15, period: "day", limiter: quota },
  });
  const called = new Promise<void>((resolve) => state.onCall = resolve);
  // 48 characters: 12 tokens held while in flight, 10 charged (the reply's usage).
  const first = app.fetch(ask(bodyOf(48)));
  await called;
  // Sent without a length: its first check passes (15 left, 12 held by the first), then it
  // waits for its body.
  const body = chunked(bodyOf(48));
  const second = app.fetch(body.request);
  await body.reading;
  // Its second check waits while the first is answered and charged.
  const letCheck = hold();
  body.send();
  await turns();
  open();
  await (await first).text();
  await turns();
  state.onCall = open;
  letCheck();
  const res = await second;
  assert.equal(res.status, 200, "5 tokens left and no other request in flight: let through");
  await res.text();
});
