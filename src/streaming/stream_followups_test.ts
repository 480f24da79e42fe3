// Typed streams of the client under the caller's signal: what logger() sees of an abort, the
// body asResponse() hands on when fetch ignores the signal, the controller an early exit aborts,
// and what a body that is no event stream says.
import assert from "node:assert/strict";
import { APIUserAbortError, ChatCompletionStream, Stream } from "../../mod.ts";
import type { LogEvent } from "../middleware/mod.ts";
import { HI_CHUNK, STREAM_PARAMS, turn, waitingClient } from "./_test_helpers.ts";

const KEY = "sk-stream-followups-0001";

const client = (honours: boolean, events?: LogEvent[], streamIdleTimeoutMs?: number) =>
  waitingClient(KEY, honours, { events, streamIdleTimeoutMs });
const encoder = new TextEncoder();

for (const ms of [undefined, 60_000]) {
  for (const honours of [true, false]) {
    Deno.test(`logger() logs the caller's abort of a typed stream as a cancel (streamIdleTimeoutMs ${ms}, fetch ${honours ? "honours" : "ignores"} the signal)`, async () => {
      const events: LogEvent[] = [];
      const { client: c } = client(honours, events, ms);
      const controller = new AbortController();
      const stream = await c.chat.completions.create(STREAM_PARAMS, { signal: controller.signal });
      const iterator = stream[Symbol.asyncIterator]();
      await iterator.next();
      const next = iterator.next();
      await turn();
      controller.abort();
      await assert.rejects(next, APIUserAbortError);
      await turn();
      // The caller's own cancel, as a break: `done` with cancelled, not an `error`.
      const last = events.at(-1)!;
      assert.equal(last.type, "done", JSON.stringify(last));
      assert.equal(last.cancelled, true);
    });
  }
}

Deno.test("asResponse() of a typed stream without streamIdleTimeoutMs: the caller's abort ends the body when fetch ignores the signal", async () => {
  const { client: c, bodies } = client(false);
  const controller = new AbortController();
  const response = await c.chat.completions.create(STREAM_PARAMS, { signal: controller.signal })
    .asResponse();
  const reader = response.body!.getReader();
  await reader.read();
  const next = reader.read();
  await turn();
  controller.abort();
  await assert.rejects(next, APIUserAbortError);
  assert.equal(bodies[0].cancelled, 1, "the body is let go");
});

/** A client stream of three chunks and [DONE] (each read one piece). */
function threeChunks() {
  const state = { cancelled: 0 };
  const events = [HI_CHUNK, HI_CHUNK, HI_CHUNK].map((c) => `data: ${JSON.stringify(c)}\n\n`);
  events.push("data: [DONE]\n\n");
  const body = new ReadableStream<Uint8Array>({
    pull(c) {
      const next = events.shift();
      if (next) c.enqueue(encoder.encode(next));
      else c.close();
    },
    cancel() {
      state.cancelled++;
    },
  }, { highWaterMark: 0 });
  return { state, stream: new ChatCompletionStream(new Response(body)) };
}

Deno.test("leaving a for await loop early aborts stream.controller, as the SDK does", async () => {
  const { state, stream } = threeChunks();
  for await (const _ of stream) break;
  assert.equal(stream.controller.signal.aborted, true);
  assert.equal(state.cancelled, 1);
});

Deno.test("a loop read to [DONE] leaves stream.controller alone", async () => {
  const { stream } = threeChunks();
  for await (const _ of stream);
  assert.equal(stream.controller.signal.aborted, false);
});

Deno.test("cancelling toReadableStream() aborts stream.controller, as the SDK does", async () => {
  const { state, stream } = threeChunks();
  const reader = stream.toReadableStream().getReader();
  await reader.read();
  await reader.cancel();
  assert.equal(stream.controller.signal.aborted, true);
  assert.equal(state.cancelled, 1);
});

Deno.test("breaking out of one tee() branch neither aborts the shared controller nor cuts the other", async () => {
  const { stream } = threeChunks();
  const [left, right] = stream.tee();
  for await (const _ of left) break;
  assert.equal(stream.controller.signal.aborted, false);
  let n = 0;
  for await (const _ of right) n++;
  assert.equal(n, 3);
  assert.equal(stream.controller.signal.aborted, false);
});

Deno.test("Stream.fromReadableStream() of an event stream cut before its first event says so", async () => {
  // (JSON lines, the SDK's toReadableStream(), are read: stream_json_lines_test.ts.)
  await assert.rejects(
    Stream.fromReadableStream(new Response("").body!).done(),
    /ended before \[DONE\] after 0 chunks/,
  );
});
