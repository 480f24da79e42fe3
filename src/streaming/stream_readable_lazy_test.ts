// toReadableStream() reads the upstream body only as its reader asks: made but not read, it
// pulls nothing (a relay that the page never reads leaves the upstream untouched).
import assert from "node:assert/strict";
import { Stream } from "./stream.ts";

Deno.test("Stream.toReadableStream() pulls nothing from the upstream body until it is read", async () => {
  let pulls = 0;
  const upstream = new ReadableStream<Uint8Array>({
    pull(controller) {
      pulls++;
      controller.enqueue(new TextEncoder().encode('data: {"n":1}\n\ndata: [DONE]\n\n'));
      controller.close();
    },
  }, { highWaterMark: 0 });
  const body = new Stream(new Response(upstream)).toReadableStream();
  await new Promise((resolve) => setTimeout(resolve, 5));
  assert.equal(pulls, 0);
  assert.equal(await new Response(body).text(), '{"n":1}\n');
  assert.equal(pulls, 1);
});
