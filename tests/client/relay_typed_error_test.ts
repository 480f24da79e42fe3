// A page reading a relayed body that fails with a typed error (a tee()'d toReadableStream() in the
// same process, or any body erroring with one of this package's errors) gets that error, as a
// stream read without a caller's signal does; it read "stream broke after 1 chunks: undefined".
import assert from "node:assert/strict";
import { ChatCompletionEventStream, ChatCompletionStream, InternalServerError } from "../../mod.ts";

const LINE = JSON.stringify({
  id: "c1",
  object: "chat.completion.chunk",
  created: 1,
  model: "m",
  choices: [{ index: 0, delta: { content: "a" }, finish_reason: null }],
}) + "\n";

/** A body with one chunk that then fails with a typed error. */
const failing = () =>
  new ReadableStream<Uint8Array>({
    start: (c) => c.enqueue(new TextEncoder().encode(LINE)),
    pull: (c) => c.error(new InternalServerError("upstream broke: boom", { status: 500 })),
  });

for (
  const [name, read] of [
    [
      "ChatCompletionEventStream.fromReadableStream()",
      () => ChatCompletionEventStream.fromReadableStream(failing()).done(),
    ],
    [
      "a ChatCompletionStream under a caller's signal",
      () =>
        new ChatCompletionStream(new Response(failing()), { signal: new AbortController().signal })
          .done(),
    ],
  ] as const
) {
  Deno.test(`${name}: a body failing with a typed error rejects with it`, async () => {
    await assert.rejects(read(), (err) => {
      assert.ok(err instanceof InternalServerError, String(err));
      assert.equal((err as Error).message, "upstream broke: boom");
      return true;
    });
  });
}
