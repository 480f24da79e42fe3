// Azure's quotas are per deployment: a 429 from one pauses only the calls to that deployment (key:
// ctx.deployment, else the body's model on the v1 API), and calls queued for a paused deployment
// do not hold up calls to others in rateLimit()'s queue. Before, one instance kept one pause and
// one FIFO queue: a 429 with retry-after 30 from "chat" held a call to "embed" for 30 s.
import assert from "node:assert/strict";
import type { RateLimitOptions } from "../../src/middleware/rate_limit.ts";
import type { MiddlewareContext } from "../../src/middleware/types.ts";
import {
  APIConnectionError,
  APITimeoutError,
  APIUserAbortError,
  RateLimitError,
} from "../../src/errors/api_error.ts";
import { countedSignal } from "../helpers/counted_signal.ts";
import { rateLimitStack, state } from "./_rate_limit_stack.ts";

const busy = (seconds: number) =>
  new Response("busy", { status: 429, headers: { "retry-after": String(seconds) } });

/** rateLimit() whose terminal answers id "c1" with a 429 (retry-after 30), "boom" by failing. */
function setup(options: RateLimitOptions = {}) {
  const stack = rateLimitStack(options, {
    answer: (id) =>
      id === "boom"
        ? Promise.reject(new APIConnectionError("reset"))
        : Promise.resolve(id === "c1" ? busy(30) : new Response("ok")),
  });
  const to = (deployment: string, id: string, extra: Partial<MiddlewareContext> = {}) =>
    stack.call(id, { deployment, ...extra });
  return { ...stack, to };
}

Deno.test("rateLimit(): a 429 from one deployment does not delay a call to another", async () => {
  const { time, started, to } = setup();
  assert.equal(await state(to("chat", "c1")), "resolved");
  const e1 = to("embed", "e1");
  assert.equal(await state(e1), "resolved", "embed has no pause of its own");
  const c2 = to("chat", "c2");
  assert.equal(await state(c2), "pending", "chat waits out its retry-after");
  await time.advance(30_000);
  assert.equal(await state(c2), "resolved");
  assert.deepEqual(started, ["c1", "e1", "c2"]);
  assert.equal(time.pending(), 0);
});

Deno.test("rateLimit(): calls queued for a paused deployment do not hold up calls to others, nor fill maxQueue for them", async () => {
  const { time, started, to } = setup({ maxConcurrent: 2, maxQueue: 2 });
  await to("chat", "c1");
  const chat = [to("chat", "c2"), to("chat", "c3")];
  const e1 = to("embed", "e1");
  assert.equal(await state(e1), "resolved", "e1 went past the queued chat calls");
  const c4 = to("chat", "c4");
  assert.ok(await state(c4) instanceof RateLimitError, "chat's queue is full");
  await time.advance(30_000);
  for (const c of chat) assert.equal(await state(c), "resolved");
  assert.deepEqual(started, ["c1", "e1", "c2", "c3"]);
  assert.equal(time.pending(), 0);
});

Deno.test("rateLimit(): on the v1 API (no ctx.deployment) the body's model names the deployment", async () => {
  const { time, call } = setup();
  const v1 = (model: string, id: string) =>
    call(id, { deployment: undefined, apiVersion: "v1", params: { id, model } });
  await v1("chat", "c1");
  assert.equal(await state(v1("embed", "e1")), "resolved");
  const c2 = v1("chat", "c2");
  assert.equal(await state(c2), "pending");
  await time.advance(30_000);
  assert.equal(await state(c2), "resolved");
});

Deno.test("rateLimit(): within one deployment calls still go in order, after the pause", async () => {
  const { time, started, to } = setup();
  await to("chat", "c1");
  const queued = ["c2", "c3", "c4"].map((id) => to("chat", id));
  await to("embed", "e1");
  await time.advance(29_999);
  assert.deepEqual(started, ["c1", "e1"]);
  await time.advance(1);
  await Promise.all(queued);
  assert.deepEqual(started, ["c1", "e1", "c2", "c3", "c4"]);
});

Deno.test("rateLimit(): a call queued for a paused deployment leaves at its abort or deadline, freeing its timers, while others go", async () => {
  const { time, started, to } = setup();
  await to("chat", "c1");
  const { controller, signal, listeners } = countedSignal();
  const aborted = to("chat", "c2", { signal });
  const expires = to("chat", "c3", { options: { timeoutMs: 5_000, maxRetries: 0 } });
  await state(aborted);
  assert.equal(listeners(), 1);
  controller.abort();
  assert.ok(await state(aborted) instanceof APIUserAbortError);
  assert.equal(listeners(), 0);
  assert.equal(await state(to("embed", "e1")), "resolved");
  await time.advance(5_000);
  const err = await state(expires);
  assert.ok(err instanceof APITimeoutError, String(err));
  assert.match(
    err.message,
    /after 5000 ms in rateLimit\(\)'s queue, waiting for the end of a pause/,
  );
  assert.equal(
    time.pending(),
    0,
    "nobody waits: neither the pause's nor a deadline's timer is left",
  );
  assert.deepEqual(started, ["c1", "e1"]);
});

Deno.test("rateLimit(): a call to another deployment that fails while one is paused frees its slot", async () => {
  const { time, started, to } = setup({ maxConcurrent: 1 });
  await to("chat", "c1");
  const c2 = to("chat", "c2");
  assert.ok(await state(to("embed", "boom")) instanceof APIConnectionError);
  assert.equal(await state(to("embed", "e1")), "resolved", "boom gave its slot back");
  await time.advance(30_000);
  assert.equal(await state(c2), "resolved");
  assert.deepEqual(started, ["c1", "boom", "e1", "c2"]);
  assert.equal(time.pending(), 0);
});

Deno.test("rateLimit(): one instance shared by clients of two resources keeps their same-named deployments apart", async () => {
  const { time, to } = setup();
  const other = new Request("https://other-res.openai.azure.com/openai/deployments/chat/x");
  await to("chat", "c1");
  assert.equal(await state(to("chat", "o1", { request: other })), "resolved", "another resource");
  const c2 = to("chat", "c2");
  assert.equal(await state(c2), "pending");
  await time.advance(30_000);
  assert.equal(await state(c2), "resolved");
});
