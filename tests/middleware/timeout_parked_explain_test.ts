/**
 * What a parked deadline of timeout() makes of an error thrown while the body is read: an
 * APIUserAbortError (the error as cause) once the caller aborted, unless the error is one already;
 * nothing (the error stands) while the caller has not aborted or gave no signal.
 */
import assert from "node:assert/strict";
import { timeout } from "../../src/middleware/timeout.ts";
import { PARKED_STATE_KEY, type ParkedDeadline } from "../../src/middleware/_deadline.ts";
import { APIUserAbortError } from "../../src/errors/api_error.ts";
import { makeContext } from "./_context.ts";

async function parkedWith(signal?: AbortSignal): Promise<ParkedDeadline> {
  const deadlines: ParkedDeadline[] = [];
  const res = await timeout({ timeoutMs: 60_000 })(
    makeContext({ signal, state: { [PARKED_STATE_KEY]: deadlines } }),
    () => Promise.resolve(new Response("ok")),
  );
  await res.body?.cancel();
  assert.equal(deadlines.length, 1);
  return deadlines[0];
}

Deno.test("a parked deadline leaves a body error as it is while the caller has not aborted", async () => {
  const read = new TypeError("network error");
  for (const signal of [undefined, new AbortController().signal]) {
    const parked = await parkedWith(signal);
    assert.equal(parked.explain(read), undefined, signal ? "signal not aborted" : "no signal");
    parked.end();
  }
});

Deno.test("a parked deadline maps a body error after the caller aborted to APIUserAbortError", async () => {
  const caller = new AbortController();
  const parked = await parkedWith(caller.signal);
  caller.abort();
  const read = new TypeError("network error");
  const err = parked.explain(read);
  assert.ok(err instanceof APIUserAbortError);
  assert.equal(err.cause, read);
  assert.match(err.message, /^chat\.completions\.create was aborted by the caller/);
  // One the client typed already is not wrapped again.
  assert.equal(parked.explain(new APIUserAbortError("aborted")), undefined);
  parked.end();
});
