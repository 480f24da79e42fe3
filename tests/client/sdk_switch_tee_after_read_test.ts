// The README's SDK-switch note on tee(): called after a loop, toReadableStream() or
// finalChatCompletion() took chunks, it still returns two branches, but reading them throws
// AzureOpenAIError ("already read"), or APIUserAbortError after a loop that broke out (the break
// aborted stream.controller, as in the SDK). Pinned here per way of having read the stream.
import assert from "node:assert/strict";
import { APIUserAbortError, AzureOpenAIError, ChatCompletionStream } from "../../mod.ts";
import { AZURE_CHAT_CHUNKS, sseResponse, sseText } from "../../src/streaming/_test_helpers.ts";

const body = () => sseResponse(sseText([...AZURE_CHAT_CHUNKS, "[DONE]"]), 40);

/** The error each of `stream.tee()`'s two branches throws at its first read. */
async function branchErrors(stream: ChatCompletionStream): Promise<unknown[]> {
  const errors = [];
  for (const branch of stream.tee()) {
    try {
      for await (const _ of branch) assert.fail("a branch of a stream read gave a chunk");
      assert.fail("a branch of a stream read ended quietly");
    } catch (err) {
      errors.push(err);
    }
  }
  return errors;
}

const alreadyRead = (err: unknown) =>
  err instanceof AzureOpenAIError && !(err instanceof APIUserAbortError);

Deno.test("tee() after a loop read to the end: both branches throw AzureOpenAIError", async () => {
  const stream = new ChatCompletionStream(body());
  for await (const _ of stream);
  const errors = await branchErrors(stream);
  assert.equal(errors.length, 2);
  assert.ok(errors.every(alreadyRead), String(errors));
});

Deno.test("tee() after finalChatCompletion(): both branches throw AzureOpenAIError", async () => {
  const stream = new ChatCompletionStream(body());
  await stream.finalChatCompletion();
  const errors = await branchErrors(stream);
  assert.ok(errors.length == 2 && errors.every(alreadyRead), String(errors));
});

Deno.test("tee() after toReadableStream() was read: both branches throw AzureOpenAIError", async () => {
  const stream = new ChatCompletionStream(body());
  await new Response(stream.toReadableStream()).text();
  const errors = await branchErrors(stream);
  assert.ok(errors.length == 2 && errors.every(alreadyRead), String(errors));
});

Deno.test("tee() after a loop broke out: both branches throw APIUserAbortError", async () => {
  const stream = new ChatCompletionStream(body());
  for await (const _ of stream) break;
  assert.equal(stream.controller.signal.aborted, true);
  const errors = await branchErrors(stream);
  assert.equal(errors.length, 2);
  assert.ok(errors.every((e) => e instanceof APIUserAbortError), String(errors));
});
