// An event stream's `error` and `abort` listeners ran before the stream marked itself failed:
// inside them `errored` / `aborted` were false (the openai SDK's are true there), and a listener
// that threw left done() and every final*() pending for ever, with no `end` (nor the call's signal
// unhooked). Now the stream is failed and settled first, then the listeners run, then `end`.
import assert from "node:assert/strict";
import { ChatCompletionEventStream } from "../../mod.ts";

const chunk = JSON.stringify({
  id: "c1",
  object: "chat.completion.chunk",
  created: 1,
  model: "m",
  choices: [{ index: 0, delta: { role: "assistant", content: "Hi" }, finish_reason: null }],
}) + "\n";

/** A body that sends one chunk, then breaks (`fail`) or waits. */
const body = (fail: boolean) =>
  new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(new TextEncoder().encode(chunk));
      if (fail) controller.error(new Error("connection reset"));
    },
  });

for (const event of ["error", "abort"] as const) {
  Deno.test(`${event} listeners see the stream failed`, async () => {
    const stream = ChatCompletionEventStream.fromReadableStream(body(event == "error"));
    const seen: boolean[] = [];
    stream.on(event, () => seen.push(stream.errored, stream.aborted));
    if (event == "abort") stream.on("chunk", () => stream.abort());
    await stream.done().catch(() => {});
    assert.deepEqual(seen, [true, event == "abort"]);
  });

  Deno.test(`a throwing ${event} listener leaves no awaiter pending`, async () => {
    const thrown: unknown[] = [];
    const keep = (e: PromiseRejectionEvent) => (thrown.push(e.reason), e.preventDefault());
    globalThis.addEventListener("unhandledrejection", keep);
    try {
      const stream = ChatCompletionEventStream.fromReadableStream(body(event == "error"));
      stream.on(event, () => {
        throw new Error("listener failed");
      });
      if (event == "abort") stream.on("chunk", () => stream.abort());
      const done = stream.done().then(() => "resolved", (e) => e.constructor.name);
      // The listener's throw is an unhandled rejection (as the SDK's); wait for it.
      for (let i = 0; i < 500 && !thrown.length; i++) {
        await new Promise((resolve) => setTimeout(resolve, 1));
      }
      await new Promise((resolve) => setTimeout(resolve, 1));
      const settled = await Promise.race([done, Promise.resolve("pending")]);
      assert.equal(settled, event == "abort" ? "APIUserAbortError" : "APIConnectionError");
      assert.equal(stream.ended, true);
      assert.equal((thrown[0] as Error).message, "listener failed");
    } finally {
      globalThis.removeEventListener("unhandledrejection", keep);
    }
  });
}
