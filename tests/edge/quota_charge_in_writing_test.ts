// tokenQuota: a request checked while the key's last charge is still being written to Deno KV,
// that charge using up what the store still says is left: the quota is spent for certain, so the
// client gets the 403 it does not retry, not a 429 its SDK retries.
import assert from "node:assert/strict";
import { DenoKvTokenQuota } from "../../edge/mod.ts";
import { ask, bodyOf, heldApp, turns } from "./_token_budget.ts";

/** `kv` whose commits wait until `land()` (a shared store slow to write). */
function slowWrites(kv: Deno.Kv): { kv: Deno.Kv; land: () => void } {
  let land!: () => void;
  const landed = new Promise<void>((resolve) => land = resolve);
  const wrapped = new Proxy(kv, {
    get(target, name) {
      if (name === "atomic") {
        return () => {
          const op = target.atomic();
          const commit = op.commit.bind(op);
          op.commit = () => landed.then(commit);
          return op;
        };
      }
      const value = Reflect.get(target, name);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
  return { kv: wrapped, land };
}

/** Sends one chat (10 tokens of usage) and reads its reply; a second one while it is written. */
async function secondWhileWritten(tokens: number) {
  const real = await Deno.openKv(":memory:");
  const { kv, land } = slowWrites(real);
  const limiter = new DenoKvTokenQuota(kv, { tokens, period: "day", now: () => 0 });
  const { app, state, open } = heldApp({
    tokenQuota: { tokens, period: "day", limiter },
    onError: () => {},
    now: () => 0,
  });
  state.onCall = open;
  const first = await app.fetch(ask(bodyOf(48)));
  assert.equal(first.status, 200);
  await first.text();
  await turns();
  const second = app.fetch(ask(bodyOf(48)));
  await turns();
  land();
  const res = await second;
  const body = await res.json();
  await turns();
  real.close();
  return { res, body };
}

Deno.test("tokenQuota: a charge being written that uses up what is left answers 403, not 429", async () => {
  const { res, body } = await secondWhileWritten(10);
  assert.equal(res.status, 403, JSON.stringify(body));
  assert.equal(body.error.code, "TokenQuotaExceeded");
  assert.equal(res.headers.get("retry-after"), null);
});

Deno.test("tokenQuota: a charge being written that leaves tokens lets the next request through", async () => {
  const { res, body } = await secondWhileWritten(25);
  assert.equal(res.status, 200, JSON.stringify(body));
});
