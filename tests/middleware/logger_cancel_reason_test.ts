/**
 * logger() on a stream the client gives up on: a failure (the idle timeout, an `error` event, a
 * chunk that is not JSON) cancels the body with the typed error, and is logged as `error`; a
 * consumer leaving early (a break, an abort, a tee() branch or a relay cancelled) stays `done`
 * with `cancelled: true`.
 */
import assert from "node:assert/strict";
import { CHUNK, loggedStream } from "./_logged_stream.ts";

const KEY = "sk-cancel-reason-0123456789abcdef";

/**
 * A client whose every call gets an event stream sending `parts`, then either `data: [DONE]`
 * (`end`) or nothing more until it is cancelled.
 */
function setup(parts: string[], end = false) {
  return loggedStream({ apiKey: KEY, requestId: "req-9", parts, end });
}

/** Reads `stream` to its end, and returns what it threw. */
async function drain(stream: AsyncIterable<unknown>): Promise<unknown> {
  try {
    for await (const _ of stream) { /* on */ }
  } catch (err) {
    return err;
  }
  assert.fail("the stream did not fail");
}

for (const signal of [undefined, new AbortController().signal]) {
  const under = signal ? " (caller's signal)" : "";

  Deno.test(`logger() cancel reason: a stream's idle timeout is an error event (APITimeoutError)${under}`, async () => {
    const { events, create, types } = setup([CHUNK]);
    const err = await drain(await create({ streamIdleTimeoutMs: 1, signal }));
    assert.equal((err as Error).name, "APITimeoutError");
    assert.deepEqual(types(), ["start", "end", "error"]);
    const last = events[2];
    assert.equal(last.error?.name, "APITimeoutError");
    assert.match(last.error!.message, /idleTimeoutMs/);
    assert.equal(last.status, 200);
    assert.equal(last.requestId, "req-9");
    assert.equal(last.cancelled, undefined);
  });

  Deno.test(`logger() cancel reason: an error event mid-stream is an error event with the service's code${under}`, async () => {
    const { events, create, types } = setup([
      CHUNK,
      `event: error\ndata: ${
        JSON.stringify({
          error: { code: "server_error", message: `The server had an error (key ${KEY})` },
        })
      }\n\n`,
    ]);
    const err = await drain(await create({ signal }));
    assert.equal((err as { code?: string }).code, "server_error");
    assert.deepEqual(types(), ["start", "end", "error"]);
    const { error } = events[2];
    assert.equal(error?.code, "server_error");
    assert.equal(error?.status, 500);
    assert.equal(error?.name, (err as Error).name);
    assert.match(error!.message, /The server had an error/);
    for (const event of events) assert.ok(!JSON.stringify(event).includes(KEY), "key leaked");
  });

  Deno.test(`logger() cancel reason: a chunk that is not JSON is an error event${under}`, async () => {
    const { events, create, types } = setup([CHUNK, "data: not json at all\n\n"]);
    const err = await drain(await create({ signal }));
    assert.equal((err as Error).name, "AzureOpenAIError");
    assert.deepEqual(types(), ["start", "end", "error"]);
    assert.equal(events[2].error?.name, "AzureOpenAIError");
    assert.match(events[2].error!.message, /not a JSON object/);
  });

  Deno.test(`logger() cancel reason: a user's break or abort stays done with cancelled: true${under}`, async () => {
    const leave: [string, (stream: AsyncIterable<unknown> & { abort(): void }) => Promise<void>][] =
      [["break", async (stream) => {
        for await (const _ of stream) break;
      }], ["abort()", async (stream) => {
        for await (const _ of stream) {
          stream.abort();
          break;
        }
      }]];
    for (const [how, run] of leave) {
      const { events, create, types } = setup([CHUNK, CHUNK]);
      await run(await create({ signal }));
      assert.deepEqual(types(), ["start", "end", "done"], how);
      assert.equal(events[2].cancelled, true, how);
      assert.equal(events[2].error, undefined, how);
    }
  });
}

Deno.test("logger() cancel reason: controller.abort() stays done with cancelled: true", async () => {
  const { events, create, types } = setup([CHUNK, CHUNK]);
  const stream = await create();
  const chunks: unknown[] = [];
  const err = await (async () => {
    try {
      for await (const chunk of stream) {
        chunks.push(chunk);
        stream.controller.abort();
      }
    } catch (err) {
      return err;
    }
  })();
  assert.equal((err as Error | undefined)?.name, "APIUserAbortError");
  assert.equal(chunks.length, 1);
  assert.deepEqual(types(), ["start", "end", "done"]);
  assert.equal(events[2].cancelled, true);
});

Deno.test("logger() cancel reason: tee() halves left early stay done with cancelled: true", async () => {
  const { events, create, types } = setup([CHUNK, CHUNK]);
  const [a, b] = (await create()).tee();
  for await (const _ of a) break;
  for await (const _ of b) break;
  // A branch's cancel settles once both are cancelled: let it reach the body.
  await new Promise((resolve) => setTimeout(resolve, 0));
  assert.deepEqual(types(), ["start", "end", "done"]);
  assert.equal(events[2].cancelled, true);
});

Deno.test("logger() cancel reason: a toReadableStream() relay cancelled by its reader stays done with cancelled: true", async () => {
  for (const reason of [undefined, "client went away", new Error("socket closed")]) {
    const { events, create, types, cancels } = setup([CHUNK, CHUNK]);
    const reader = (await create()).toReadableStream().getReader();
    await reader.read();
    await reader.cancel(reason);
    assert.deepEqual(types(), ["start", "end", "done"], String(reason));
    assert.equal(events[2].cancelled, true, String(reason));
    // The reason still reaches the upstream body.
    assert.deepEqual(cancels, [reason]);
  }
});

Deno.test("logger() cancel reason: a stream read to [DONE] is done, not cancelled", async () => {
  const { events, create, types } = setup([CHUNK], true);
  for await (const _ of await create()) { /* on */ }
  assert.deepEqual(types(), ["start", "end", "done"]);
  assert.equal(events[2].cancelled, undefined);
});
