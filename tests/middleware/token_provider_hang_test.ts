/** Token auth through the real client and the emulator: a token provider call that never ends. */
import assert from "node:assert/strict";
import { AzureOpenAI } from "../../mod.ts";
import { APIUserAbortError } from "../../src/errors/api_error.ts";
import { createEmulator } from "../../src/emulator/mod.ts";

/** Lets pending work run (macrotask turns) until `done()` or a number of turns passed. */
async function settle(done: () => boolean) {
  for (let i = 0; i < 50 && !done(); i++) await new Promise((r) => setTimeout(r, 0));
}

Deno.test("tokenProvider: a call whose provider call never ended does not hang every later call", async () => {
  const emulator = createEmulator({ apiKeys: ["entra-token-0123456789"] });
  let calls = 0;
  const client = new AzureOpenAI({
    endpoint: "http://emulator.local",
    fetch: emulator.fetch,
    maxRetries: 0,
    // The first provider call hangs (e.g. an identity endpoint that never answers); later ones work.
    tokenProvider: () =>
      ++calls === 1 ? new Promise<string>(() => {}) : {
        token: "entra-token-0123456789",
        expiresOnTimestamp: Date.now() + 3_600_000,
      },
  });
  const params = { model: "text-embedding-3-small", input: "hi" };
  // The first call gives up (its caller's signal, or timeout()'s deadline, ends it).
  const first = new AbortController();
  const call = client.embeddings.create(params, { signal: first.signal });
  await settle(() => calls > 0);
  first.abort(new Error("deadline"));
  await assert.rejects(call, APIUserAbortError);
  // The next call asks the provider again instead of waiting on the call that never ends.
  const second = new AbortController();
  const next = client.embeddings.create(params, { signal: second.signal });
  await settle(() => calls > 1);
  const askedAgain = calls > 1;
  if (!askedAgain) second.abort();
  await next.catch(() => {});
  assert.ok(askedAgain, "the next call waited on the provider call that never ends");
  assert.equal((await next).data.length, 1);
  assert.equal((await client.embeddings.create(params)).data.length, 1, "the token is cached");
  assert.equal(calls, 2);
});
