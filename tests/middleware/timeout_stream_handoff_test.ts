/**
 * timeout() hands an ok stream on with its per-attempt timer stopped (the stream's idle timeout
 * takes over: a long stream is not cut at timeoutMs), still linked to the caller's signal.
 */
import assert from "node:assert/strict";
import { timeout } from "../../src/middleware/timeout.ts";
import { ALARMS } from "../../src/middleware/_alarm_clock.ts";
import { countedSignal } from "../helpers/counted_signal.ts";
import { makeContext } from "./_context.ts";

Deno.test("timeout() stops its timer when it hands a stream on, keeping the caller's signal linked", async () => {
  const before = ALARMS.size;
  const caller = countedSignal();
  let inner: AbortSignal | undefined;
  const ctx = makeContext({ stream: true, signal: caller.signal });
  const res = await timeout({ timeoutMs: 60_000 })(ctx, () => {
    inner = ctx.signal;
    return Promise.resolve(new Response(new ReadableStream()));
  });
  assert.equal(ALARMS.size, before, "no per-attempt alarm left");
  assert.equal(caller.listeners(), 1, "still linked to the caller");
  caller.controller.abort();
  assert.ok(inner?.aborted, "a caller abort still reaches the stream");
  await res.body?.cancel();
});
