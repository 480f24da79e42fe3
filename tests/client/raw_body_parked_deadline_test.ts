/**
 * The body of a raw response (client.request(), not streamed) is read under the deadline timeout()
 * parked for it: the caller's abort, before the read or during it, fails the read with
 * APIUserAbortError, and the deadline passing fails it with APITimeoutError, from a fetch that
 * honours its signal. A body that stalls never hangs its reader.
 */
import assert from "node:assert/strict";
import { AzureOpenAI } from "../../mod.ts";
import { APITimeoutError, APIUserAbortError } from "../../src/errors/api_error.ts";

/** A client whose fetch answers headers at once and a body that stalls until its signal aborts. */
function stalling(timeoutMs: number) {
  return new AzureOpenAI({
    endpoint: "https://r.openai.azure.com",
    apiKey: "sk-raw-parked-deadline-key-1234",
    maxRetries: 0,
    timeoutMs,
    fetch: (_input, init) => {
      const signal = init?.signal ?? undefined;
      const body = new ReadableStream({
        start(controller) {
          if (signal?.aborted) controller.error(signal.reason);
          signal?.addEventListener("abort", () => controller.error(signal.reason));
        },
      });
      return Promise.resolve(
        new Response(body, { headers: { "content-type": "application/json" } }),
      );
    },
  });
}

const init = {
  path: "deployments/gpt/chat/completions",
  json: { messages: [{ role: "user", content: "hi" }] },
};

/** What the read settled with within a macrotask ("pending": it hangs). */
function settled(read: Promise<unknown>): Promise<unknown> {
  return Promise.race([
    read.then(() => "read", (err) => err),
    new Promise((ok) => setTimeout(() => ok("pending"), 0)),
  ]);
}

Deno.test("a raw body read under timeout()'s deadline fails with APIUserAbortError once the caller aborts, before or during the read", async () => {
  for (const when of ["before", "during"]) {
    const caller = new AbortController();
    const res = await stalling(60_000).request(init, { signal: caller.signal });
    if (when == "before") caller.abort();
    const read = res.text();
    if (when == "during") caller.abort();
    const err = await settled(read);
    assert.ok(err instanceof APIUserAbortError, `${when}: ${err}`);
  }
});

Deno.test("a raw body that stalls fails with APITimeoutError once its timeoutMs passed", async () => {
  const res = await stalling(1).request(init);
  const err = await res.text().then(() => "read", (e) => e);
  assert.ok(err instanceof APITimeoutError, String(err));
  assert.match(err.message, /timed out after 1 ms; raise timeoutMs/);
});
