// A non-streamed request whose client goes away before the upstream answered, under a token
// budget or quota: the upstream call runs on (the service bills it in full) and its usage is
// charged. Without a budget, or for a stream, it is still cut.
import assert from "node:assert/strict";
import { AzureOpenAI } from "../../src/client.ts";
import { createEmulator } from "../../src/emulator/mod.ts";
import {
  ClientTokenQuota,
  createEdgeApp,
  type EdgeAppOptions,
  type EdgeExecutionContext,
  type EdgeRequestEvent,
  type TokenLimiter,
} from "../../edge/mod.ts";
import { KEY, recordingLimiter } from "./_helpers.ts";
import { ask, turns } from "./_token_budget.ts";

/** Many completions of up to 4096 tokens each: far more than the prompt's estimate. */
const BODY = JSON.stringify({
  messages: [{ role: "user", content: "hi" }],
  n: 128,
  max_tokens: 4096,
});
/** What the app holds for (and, without usage, charges) {@link BODY}: 4 bytes a token. */
const ESTIMATE = Math.ceil(BODY.length / 4);

/**
 * An app in front of the emulator, slowed: every upstream call waits in the emulator's latency
 * until `wake()` (a call whose signal aborted by then is refused, as fetch would).
 */
function slowedApp(options: Partial<EdgeAppOptions>, fail = false) {
  const waiting: Array<() => void> = [];
  const asleep: Array<{ n: number; resolve: () => void }> = [];
  let slept = 0;
  let awake = false;
  const emulator = createEmulator({
    faults: { latencyMs: 1 },
    sleep: () => {
      slept++;
      for (const w of asleep.filter((w) => slept >= w.n)) w.resolve();
      return awake ? Promise.resolve() : new Promise<void>((resolve) => waiting.push(resolve));
    },
  });
  const state = { aborted: 0, usage: [] as number[] };
  const client = new AzureOpenAI({
    endpoint: "http://emulator.local",
    apiKey: emulator.apiKey,
    fetch: async (req, init) => {
      const signal = init?.signal ?? req.signal;
      // As fetch does: an abort rejects the call at once (the emulator sees it once awake).
      const cut = new Promise<never>((_, reject) =>
        signal?.addEventListener("abort", () => {
          state.aborted++;
          reject(signal.reason);
        })
      );
      cut.catch(() => {});
      const res = await Promise.race([emulator.fetch(req, init), cut]);
      // The upstream's connection breaks once it answered.
      if (fail) throw (await res.body?.cancel(), new TypeError("connection reset by peer"));
      if ((res.headers.get("content-type") ?? "").includes("json")) {
        state.usage.push((await res.clone().json()).usage.total_tokens);
      }
      return res;
    },
  });
  const app = createEdgeApp({ upstream: client, clientKeys: [KEY], ...options });
  return {
    app,
    state,
    /** Resolves once `n` upstream calls reached the emulator. */
    reached: (n = 1) =>
      slept >= n ? Promise.resolve() : new Promise<void>((resolve) => asleep.push({ n, resolve })),
    /** Lets the waiting calls (and later ones) be answered. */
    wake() {
      awake = true;
      waiting.splice(0).forEach((resolve) => resolve());
    },
  };
}

/** Sends `body`, drops it once its call reached the upstream; the answer the client got. */
async function dropped(
  t: ReturnType<typeof slowedApp>,
  body = BODY,
  ctx?: EdgeExecutionContext,
): Promise<Response> {
  const controller = new AbortController();
  const pending = t.app.fetch(ask(body, controller.signal), undefined, ctx);
  await t.reached();
  controller.abort();
  const res = await pending;
  await res.body?.cancel();
  return res;
}

Deno.test("tokenLimit: a non-streamed chat dropped before the upstream answered is charged the usage the upstream reported", async () => {
  const r = recordingLimiter();
  const events: EdgeRequestEvent[] = [];
  const t = slowedApp({
    tokenLimit: { limiter: r.limiter },
    onRequest: (event) => void events.push(event),
  });
  const res = await dropped(t);
  assert.equal(res.status, 499, "the client is answered at once");
  t.wake();
  await r.reach();
  assert.equal(t.state.aborted, 0, "the upstream call ran on");
  assert.equal(t.state.usage.length, 1);
  assert.deepEqual(r.tokens, [t.state.usage[0]], "charged the reply's usage.total_tokens");
  assert.ok(r.tokens[0] > ESTIMATE);
  await turns();
  assert.equal(r.tokens.length, 1, "charged once");
  assert.equal(events.length, 1, "one event");
  assert.equal(events[0].error, "ClientClosedRequest");
  assert.equal(events[0].usage?.total_tokens, r.tokens[0]);
});

Deno.test("tokenQuota: a non-streamed chat dropped before the upstream answered is charged the usage the upstream reported", async () => {
  const store = new ClientTokenQuota({ tokens: 1_000_000, period: "day" });
  const charged: number[] = [];
  let charge!: () => void;
  const done = new Promise<void>((resolve) => charge = resolve);
  const t = slowedApp({
    tokenQuota: {
      tokens: 1_000_000,
      period: "day",
      limiter: {
        check: (client) => store.check(client),
        charge(client, tokens) {
          store.charge(client, tokens);
          charged.push(tokens);
          charge();
        },
      },
    },
  });
  assert.equal((await dropped(t)).status, 499);
  t.wake();
  await done;
  assert.equal(t.state.aborted, 0);
  assert.deepEqual(charged, [t.state.usage[0]]);
});

Deno.test("tokenLimit: a dropped request's estimate is held until its upstream answered and is charged, then let go", async () => {
  const charged: number[] = [];
  let charge!: () => void;
  const done = new Promise<void>((resolve) => charge = resolve);
  // Tells exactly the estimate of one request left: refused while another one's is held.
  const limiter: TokenLimiter = {
    check: () => ({ ok: true, retryAfterSeconds: 0, remaining: ESTIMATE }),
    charge(_client, tokens) {
      charged.push(tokens);
      charge();
    },
  };
  const t = slowedApp({ tokenLimit: { limiter } });
  assert.equal((await dropped(t)).status, 499);
  await turns();
  const second = t.app.fetch(ask(BODY));
  const outcome = await Promise.race([
    second.then((res) => res.status),
    t.reached(2).then(() => "sent upstream"),
  ]);
  assert.equal(outcome, 429, "the dropped request's estimate is still held");
  t.wake();
  await (await second).body?.cancel();
  await done;
  assert.deepEqual(charged, [t.state.usage[0]]);
  await turns();
  const third = await t.app.fetch(ask(BODY));
  assert.equal(third.status, 200, "the hold was let go once charged");
  await third.body?.cancel();
});

Deno.test("tokenLimit: an upstream failing after the client left charges the prompt estimate", async () => {
  const r = recordingLimiter();
  const errors: string[] = [];
  const t = slowedApp({ tokenLimit: { limiter: r.limiter }, onError: (m) => errors.push(m) }, true);
  assert.equal((await dropped(t)).status, 499);
  t.wake();
  await r.reach();
  assert.equal(t.state.aborted, 0);
  assert.deepEqual(r.tokens, [ESTIMATE]);
  await turns();
  assert.equal(r.tokens.length, 1, "charged once");
});

Deno.test("tokenLimit: on Workers a dropped request's upstream call and charge run in ctx.waitUntil", async () => {
  const r = recordingLimiter();
  const t = slowedApp({ tokenLimit: { limiter: r.limiter } });
  const pending: Promise<unknown>[] = [];
  let settled = false;
  const res = await dropped(t, BODY, { waitUntil: (p) => void pending.push(p) });
  assert.equal(res.status, 499);
  const all = Promise.all(pending).then(() => settled = true);
  await turns();
  assert.equal(settled, false, "the work waits for the upstream's answer");
  t.wake();
  await all;
  assert.deepEqual(r.tokens, [t.state.usage[0]], "charged within what ctx.waitUntil was given");
});

Deno.test("without a token budget a request dropped before the upstream answered still aborts the upstream call", async () => {
  const events: unknown[] = [];
  const t = slowedApp({ onRequest: (e) => void events.push(e) });
  assert.equal((await dropped(t)).status, 499);
  assert.equal(t.state.aborted, 1);
  t.wake();
  await turns();
  assert.equal(t.state.usage.length, 0, "nothing was answered");
});

Deno.test("tokenLimit: a stream dropped before the upstream answered still aborts the upstream call and is charged its prompt estimate", async () => {
  const r = recordingLimiter();
  const t = slowedApp({ tokenLimit: { limiter: r.limiter } });
  const body = JSON.stringify({ messages: [{ role: "user", content: "hi" }], stream: true });
  assert.equal((await dropped(t, body)).status, 499);
  assert.equal(t.state.aborted, 1);
  t.wake();
  await r.reach();
  assert.deepEqual(r.tokens, [Math.ceil(body.length / 4)]);
});
