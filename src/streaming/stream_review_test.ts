// Typed and raw stream bodies under the caller's signal: errors the reader and the hooks get,
// and what stays held once a body ends.
import assert from "node:assert/strict";
import { APIUserAbortError, AzureOpenAI, type FetchLike } from "../../mod.ts";
import type { LogEvent } from "../middleware/mod.ts";
import { STREAM_PARAMS, turn, waitingClient } from "./_test_helpers.ts";

const KEY = "sk-stream-review-0001";

const client = (honours: boolean, events?: LogEvent[], streamIdleTimeoutMs?: number) =>
  waitingClient(KEY, honours, { events, streamIdleTimeoutMs, maxRetries: 0 });

for (const ms of [undefined, 60_000]) {
  for (const honours of [true, false]) {
    Deno.test(`asResponse() of a typed stream (streamIdleTimeoutMs ${ms}, fetch ${honours ? "honours" : "ignores"} the signal): the caller's abort gives the reader one APIUserAbortError, not one wrapping another, and logger() a cancel`, async () => {
      const events: LogEvent[] = [];
      const { client: c, bodies } = client(honours, events, ms);
      const controller = new AbortController();
      const response = await c.chat.completions.create(STREAM_PARAMS, { signal: controller.signal })
        .asResponse();
      const reader = response.body!.getReader();
      await reader.read();
      const next = reader.read();
      await turn();
      controller.abort();
      let thrown: unknown;
      await assert.rejects(next, (err) => (thrown = err) instanceof APIUserAbortError);
      assert.ok(
        !((thrown as Error).cause instanceof APIUserAbortError),
        `cause: ${(thrown as Error).cause}`,
      );
      await turn();
      // The caller's own cancel: logger() logs `done` with cancelled, not an `error`.
      const last = events.at(-1)!;
      assert.equal(last.type, "done", JSON.stringify(last));
      assert.equal(last.cancelled, true);
      if (!honours) assert.equal(bodies[0].cancelled, 1, "the body is let go");
    });
  }
}

/** A fetch whose event stream never sends anything and ignores the signal; counts cancels. */
function silent() {
  const state = { cancelled: 0 };
  const fetch: FetchLike = () =>
    Promise.resolve(
      new Response(
        new ReadableStream<Uint8Array>({
          cancel() {
            state.cancelled++;
          },
        }),
        { headers: { "content-type": "text/event-stream" } },
      ),
    );
  return {
    state,
    client: new AzureOpenAI({ endpoint: "http://x.test", apiKey: KEY, fetch, maxRetries: 0 }),
  };
}

for (const ms of [undefined, 60_000]) {
  const options = (signal: AbortSignal) => ({ signal, streamIdleTimeoutMs: ms });
  const reads: [string, (c: AzureOpenAI, signal: AbortSignal) => Promise<unknown>][] = [
    [
      "request({ stream: true })",
      async (c, signal) =>
        (await c.request({ path: "chat/completions", json: {}, stream: true }, options(signal)))
          .body!.getReader().read(),
    ],
    [
      "a typed stream",
      async (c, signal) => (await c.chat.completions.create(STREAM_PARAMS, options(signal))).done(),
    ],
    [
      "asResponse() of a typed stream",
      async (c, signal) =>
        (await c.chat.completions.create(STREAM_PARAMS, options(signal)).asResponse()).text(),
    ],
  ];
  for (const [name, read] of reads) {
    Deno.test(`${name} (streamIdleTimeoutMs ${ms}) aborted before its first read, fetch ignoring the signal: the read fails and the body is cancelled`, async () => {
      const { state, client: c } = silent();
      const controller = new AbortController();
      const reading = read(c, controller.signal);
      // The abort lands once the response is there, before the body is read.
      await Promise.resolve();
      controller.abort();
      await assert.rejects(reading, APIUserAbortError);
      await turn();
      assert.equal(state.cancelled, 1, "the source is let go");
    });
  }
}
