// A relayed stream (asResponse(), not read before) names its operation in the errors of its
// body, "stream" for one built without one; and an abort that came before the relay stays the
// error a read of the stream gives.
import assert from "node:assert/strict";
import { relay, Stream } from "./stream.ts";
import { APIConnectionError, APIUserAbortError } from "../errors/mod.ts";

/** One event, then a connection cut (a TypeError, as Deno's fetch gives). */
function cut(): Response {
  let pulls = 0;
  return new Response(
    new ReadableStream<Uint8Array>({
      pull(c) {
        if (pulls++) c.error(new TypeError("connection reset"));
        else c.enqueue(new TextEncoder().encode('data: {"n":1}\n\n'));
      },
    }, { highWaterMark: 0 }),
  );
}

const NAMES = [["chat.completions.create", "chat.completions.create"], [undefined, "stream"]];
for (const [operation, name] of NAMES) {
  Deno.test(`relay() of a stream ${operation ?? "of no operation"} names ${name} in a cut's error`, async () => {
    const body = relay(new Stream(cut(), { operation }));
    await assert.rejects(
      body.text(),
      (e) => e instanceof APIConnectionError && e.message.startsWith(`${name} lost the connection`),
    );
  });
}

Deno.test("relay() after an abort keeps the abort as the stream's error", async () => {
  const stream = new Stream(cut());
  const it = stream[Symbol.asyncIterator]();
  stream.abort();
  relay(stream as Stream<unknown>);
  await assert.rejects(it.next(), APIUserAbortError);
});
