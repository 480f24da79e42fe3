// A hook on the response's body end added before the stream (a logger()'s, say) gets the error
// the stream's reader gets when the body is cut under the caller's signal: the stream's
// "broke after N chunks", not the guard's own "lost the connection".
import assert from "node:assert/strict";
import { Stream } from "./stream.ts";
import { onBodyEnd } from "../_internal/on_body_end.ts";

Deno.test("Stream under a caller's signal: an earlier body-end hook gets the stream's own error for a cut", async () => {
  let pulls = 0;
  const response = new Response(
    new ReadableStream<Uint8Array>({
      pull(c) {
        if (pulls++) c.error(new TypeError("connection reset"));
        else c.enqueue(new TextEncoder().encode('data: {"n":1}\n\n'));
      },
    }, { highWaterMark: 0 }),
  );
  let hooked: unknown;
  onBodyEnd(response, (err) => void (hooked = err));
  const stream = new Stream(response, {
    signal: new AbortController().signal,
    operation: "chat.completions.create",
  });
  const thrown = await stream.done().then(() => undefined, (e) => e);
  assert.match(String(thrown?.message), /broke after 1 chunks/);
  assert.equal(hooked, thrown);
});
