// Cancelling toReadableStream() settles once the upstream body's own cancel did: a relay that
// awaits the cancel knows the upstream was let go.
import assert from "node:assert/strict";
import { Stream } from "./stream.ts";

Deno.test("Stream.toReadableStream().cancel() waits for the upstream body's cancel", async () => {
  let upstreamCancelled = false;
  const upstream = new ReadableStream<Uint8Array>({
    start: (c) => c.enqueue(new TextEncoder().encode('data: {"n":1}\n\n')),
    cancel: async () => {
      await new Promise((resolve) => setTimeout(resolve, 1));
      upstreamCancelled = true;
    },
  });
  const reader = new Stream(new Response(upstream)).toReadableStream().getReader();
  assert.equal(new TextDecoder().decode((await reader.read()).value), '{"n":1}\n');
  await reader.cancel();
  assert.equal(upstreamCancelled, true);
});
