// Requests whose client went away before the upstream answered, under a token budget.
import assert from "node:assert/strict";
import { recordingLimiter } from "./_helpers.ts";
import { ask, bodyOf, heldApp, turns, USAGE } from "./_token_budget.ts";

Deno.test("tokenLimit: a request the client abandons before the upstream answered is charged the usage of the upstream's answer", async () => {
  const r = recordingLimiter();
  const { app, state, open } = heldApp({ tokenLimit: { limiter: r.limiter } });
  const controller = new AbortController();
  const called = new Promise<void>((resolve) => state.onCall = resolve);
  const pending = app.fetch(ask(bodyOf(400), controller.signal));
  await called;
  controller.abort();
  const res = await pending;
  assert.equal(res.status, 499);
  await res.body?.cancel();
  assert.equal(state.aborted, 0, "the upstream call runs on: the service bills it all the same");
  open();
  await r.reach();
  assert.deepEqual(r.tokens, [USAGE.total_tokens], "not the estimate of 400 characters (100)");
});

Deno.test("tokenLimit: a stream abandoned before the upstream answered is charged its prompt estimate", async () => {
  const r = recordingLimiter();
  const { app, state } = heldApp({ tokenLimit: { limiter: r.limiter } });
  const controller = new AbortController();
  const called = new Promise<void>((resolve) => state.onCall = resolve);
  const body = JSON.stringify({
    messages: [{ role: "user", content: "y".repeat(300) }],
    stream: true,
  });
  const pending = app.fetch(ask(body, controller.signal));
  await called;
  controller.abort();
  const res = await pending;
  assert.equal(res.status, 499);
  await res.body?.cancel();
  await turns();
  assert.deepEqual(
    r.tokens,
    [Math.ceil(body.length / 4)],
    "4 characters a token, nothing streamed",
  );
});
