// chat.completions.stream(): a listener that throws fails the stream as the SDK's does: an
// AbortError (e.g. a DOMException from the listener's own fetch) is an `abort` with
// APIUserAbortError; anything else (an Error, a string, null) is an `error` with an
// AzureOpenAIError whose cause is what was thrown; `end` comes last either way.
import assert from "node:assert/strict";
import { APIUserAbortError, AzureOpenAIError } from "../../mod.ts";
import { clientStreaming, sseChunk } from "./_helpers.ts";

const body = sseChunk({ role: "assistant", content: "Hi" }) + sseChunk({}, "stop") +
  "data: [DONE]\n\n";

/** The events after a `chunk` listener threw `thrown`: [name, its argument]. */
async function eventsWhenThrowing(thrown: unknown) {
  const client = clientStreaming(body);
  const stream = client.chat.completions.stream({
    model: "gpt-4o",
    messages: [{ role: "user", content: "Hi" }],
  });
  stream.on("chunk", () => {
    throw thrown;
  });
  const seen: [string, unknown][] = [];
  for (const name of ["error", "abort", "end", "finalContent"] as const) {
    stream.on(name, (arg?: unknown) => seen.push([name, arg]));
  }
  await assert.rejects(stream.done());
  return seen;
}

for (const thrown of [null, undefined, "no", new TypeError("boom")]) {
  Deno.test(`stream(): a listener throwing ${String(thrown)} is an error event with it as cause`, async () => {
    const seen = await eventsWhenThrowing(thrown);
    assert.deepEqual(seen.map(([name]) => name), ["error", "end"]);
    const error = seen[0][1] as AzureOpenAIError;
    assert.ok(error instanceof AzureOpenAIError && !(error instanceof APIUserAbortError));
    assert.equal(error.cause, thrown);
  });
}

Deno.test("stream(): a listener throwing an AbortError is an abort event with APIUserAbortError", async () => {
  const thrown = new DOMException("stopped", "AbortError");
  const seen = await eventsWhenThrowing(thrown);
  assert.deepEqual(seen.map(([name]) => name), ["abort", "end"]);
  const error = seen[0][1] as APIUserAbortError;
  assert.ok(error instanceof APIUserAbortError);
  assert.equal(error.cause, thrown);
});
