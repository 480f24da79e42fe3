/**
 * logger() on a stream under a caller's `signal`: the caller's own cancel (`stream.abort()`,
 * `stream.controller.abort()`, the caller's signal aborting mid-stream) is logged as `done` with
 * `cancelled: true`, as a `break` is, not as an `error` (the APIUserAbortError the read gets).
 * Failures under the signal stay `error` (logger_cancel_reason_test.ts).
 */
import assert from "node:assert/strict";
import { CHUNK, loggedStream } from "./_logged_stream.ts";

/** A client whose calls get an event stream of two chunks, then nothing until cancelled. */
function setup() {
  const { events, create } = loggedStream({
    apiKey: "sk-abort-signal-0123456789abcdef",
    requestId: "req-1",
    parts: [CHUNK + CHUNK],
  });
  const caller = new AbortController();
  return { events, caller, create: () => create({ signal: caller.signal }) };
}

const HOW: [
  string,
  (stream: { abort(): void; controller: AbortController }, caller: AbortController) => void,
][] = [
  ["stream.abort()", (stream) => stream.abort()],
  ["stream.controller.abort()", (stream) => stream.controller.abort()],
  ["the caller's signal", (_, caller) => caller.abort()],
];

for (const [how, cancel] of HOW) {
  Deno.test(`logger() under a caller's signal: ${how} mid-stream is done with cancelled: true`, async () => {
    const { events, caller, create } = setup();
    const stream = await create();
    let chunks = 0;
    const err = await (async () => {
      try {
        for await (const _ of stream) {
          chunks++;
          cancel(stream, caller);
        }
      } catch (err) {
        return err;
      }
    })();
    assert.equal((err as Error | undefined)?.name, "APIUserAbortError", "the loop still ends so");
    assert.ok(chunks >= 1);
    assert.deepEqual(events.map((e) => e.type), ["start", "end", "done"]);
    const done = events[2];
    assert.equal(done.cancelled, true);
    assert.equal(done.error, undefined);
    assert.equal(done.status, 200);
    assert.equal(done.requestId, "req-1");
    assert.ok(done.firstChunkMs !== undefined);
  });
}

Deno.test("logger() under a caller's signal: the signal aborting before the first read is done with cancelled: true", async () => {
  const { events, caller, create } = setup();
  const stream = await create();
  caller.abort();
  await assert.rejects(async () => {
    for await (const _ of stream) { /* on */ }
  }, { name: "APIUserAbortError" });
  assert.deepEqual(events.map((e) => e.type), ["start", "end", "done"]);
  assert.equal(events[2].cancelled, true);
});
