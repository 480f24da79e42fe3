/**
 * Helpers of the raw body cut tests: a client whose answers send a first piece and then fail
 * their body, and a read of a body to its failure.
 *
 * @module
 */
import assert from "node:assert/strict";
import { AzureOpenAI } from "../../src/client.ts";

/** A client (no retries) whose every answer sends `sent`, then fails its body with `fail()`. */
export function cuttingClient(options: {
  apiKey: string;
  fail: () => unknown;
  contentType?: string;
  sent?: string;
  timeoutMs?: number;
}): AzureOpenAI {
  const { apiKey, fail, contentType = "text/event-stream", sent = "data: {}\n\n" } = options;
  return new AzureOpenAI({
    endpoint: "https://my-res.openai.azure.com",
    apiKey,
    maxRetries: 0,
    timeoutMs: options.timeoutMs,
    fetch: () =>
      Promise.resolve(
        new Response(
          new ReadableStream({
            start(c) {
              c.enqueue(new TextEncoder().encode(sent));
            },
            pull(c) {
              c.error(fail());
            },
          }),
          { headers: { "content-type": contentType } },
        ),
      ),
  });
}

/** Reads `body` to its end and gives what its read failed with (fails the test if it ended). */
export async function readAll(body: ReadableStream<Uint8Array> | null): Promise<unknown> {
  const reader = body!.getReader();
  try {
    while (!(await reader.read()).done);
  } catch (err) {
    return err;
  }
  return assert.fail("the body ended");
}
