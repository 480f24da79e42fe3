// A consumer that leaves while a read is under way cancels the body, which ends that read as if
// the body ended: the stream must still count as cancelled (APIUserAbortError), never as whole,
// even for a JSON-lines body whose last line was complete.
import assert from "node:assert/strict";
import { APIUserAbortError } from "../errors/mod.ts";
import { Stream } from "./stream.ts";

Deno.test("Stream stays cancelled when return() ends a pending read of a JSON-lines body", async () => {
  const body = new ReadableStream<Uint8Array>({
    start(controller): void {
      controller.enqueue(new TextEncoder().encode('{"n":1}\n'));
      // Then nothing more until cancelled.
    },
  });
  const stream = new Stream<{ n: number }>(new Response(body));
  const iterator = stream[Symbol.asyncIterator]();
  assert.deepEqual(await iterator.next(), { value: { n: 1 }, done: false });
  const pending = iterator.next();
  await iterator.return!();
  const outcome = await pending.then((r) => r, (e: unknown) => e);
  assert.ok(outcome instanceof APIUserAbortError, String(outcome));
  await assert.rejects(stream.done(), APIUserAbortError);
});
