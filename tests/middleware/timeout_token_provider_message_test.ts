/**
 * timeout() whose deadline passes while auth still waits for the tokenProvider: the
 * APITimeoutError says it timed out waiting for the tokenProvider (nothing was sent yet), not only
 * "timed out; check the network".
 */
import assert from "node:assert/strict";
import { AzureOpenAI } from "../../mod.ts";
import { APITimeoutError } from "../../src/errors/api_error.ts";
import { compose } from "../../src/middleware/compose.ts";
import { timeout } from "../../src/middleware/timeout.ts";
import { createTerminal } from "../../src/transport/send.ts";
import { makeContext } from "./_context.ts";
import { createEmulator } from "../../src/emulator/mod.ts";

const TOKEN = "entra-token-0123456789";
const params = { model: "text-embedding-3-small", input: "hi" };

/** A fetch that never answers until its signal aborts (then rejects with the reason). */
const hangingFetch = (_req: Request, init?: RequestInit): Promise<Response> =>
  new Promise((_resolve, reject) => {
    const signal = init?.signal;
    if (signal?.aborted) reject(signal.reason);
    signal?.addEventListener("abort", () => reject(signal.reason), { once: true });
  });

Deno.test("timeout() names the tokenProvider when its deadline passed while the provider was pending", async () => {
  let sent = 0;
  const client = new AzureOpenAI({
    endpoint: "http://emulator.local",
    fetch: () => (sent++, Promise.resolve(Response.json({}))),
    maxRetries: 0,
    timeoutMs: 5,
    tokenProvider: () => new Promise<string>(() => {}),
  });
  await assert.rejects(client.embeddings.create(params), (err: Error) => {
    assert.ok(err instanceof APITimeoutError, String(err));
    assert.match(
      err.message,
      /timed out after 5 ms while waiting for the tokenProvider; raise timeoutMs/,
    );
    return true;
  });
  assert.equal(sent, 0);
});

Deno.test("timeout() names the tokenProvider when it hangs on the fresh token after a 401", async () => {
  const emulator = createEmulator({ apiKeys: [TOKEN] });
  let calls = 0;
  const client = new AzureOpenAI({
    endpoint: "http://emulator.local",
    fetch: emulator.fetch,
    maxRetries: 0,
    timeoutMs: 5,
    // The first token is refused (401); the provider never answers for the fresh one.
    tokenProvider: () => ++calls === 1 ? "expired-token-0123456789" : new Promise<string>(() => {}),
  });
  await assert.rejects(client.embeddings.create(params), (err: Error) => {
    assert.ok(err instanceof APITimeoutError, String(err));
    assert.match(err.message, /timed out after 5 ms while waiting for the tokenProvider;/);
    return true;
  });
  assert.equal(calls, 2);
});

Deno.test("timeout() still blames the network when the service does not answer", async () => {
  const client = new AzureOpenAI({
    endpoint: "http://emulator.local",
    fetch: hangingFetch,
    maxRetries: 0,
    timeoutMs: 5,
    tokenProvider: () => TOKEN,
  });
  await assert.rejects(client.embeddings.create(params), (err: Error) => {
    assert.ok(err instanceof APITimeoutError, String(err));
    assert.match(err.message, /timed out after 5 ms; raise timeoutMs or check the network/);
    assert.doesNotMatch(err.message, /tokenProvider/);
    return true;
  });
});

Deno.test("timeout() still times out when a layer inside throws something without a message", async () => {
  for (const thrown of [Object.create(null), Symbol("x"), undefined]) {
    const run = compose(
      [timeout({ timeoutMs: 5 }), (ctx) =>
        new Promise<Response>((_resolve, reject) => {
          ctx.signal?.addEventListener("abort", () => reject(thrown), { once: true });
        })],
      createTerminal(hangingFetch),
    );
    await assert.rejects(run(makeContext()), (err: Error) => {
      assert.ok(err instanceof APITimeoutError, String(err));
      assert.match(err.message, /timed out after 5 ms; raise timeoutMs or check the network$/);
      return true;
    });
  }
});
