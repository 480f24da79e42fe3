/**
 * asResponse() called again on one call gives the same Response, as the official SDK's does
 * (`responsePromise.then((p) => p.response)` each time), with or without streamIdleTimeoutMs.
 */
import assert from "node:assert/strict";
import { AzureOpenAI } from "../../mod.ts";
import { createEmulator } from "../../src/emulator/mod.ts";

const CHAT = { model: "gpt-4o", messages: [{ role: "user" as const, content: "hi there" }] };

function client(streamIdleTimeoutMs?: number) {
  const emulator = createEmulator();
  return new AzureOpenAI({
    endpoint: "http://emulator.local",
    apiKey: emulator.apiKey,
    fetch: emulator.fetch,
    streamIdleTimeoutMs,
  });
}

for (const idle of [undefined, 60_000]) {
  Deno.test(`asResponse() twice on a stream call gives the same Response (streamIdleTimeoutMs ${idle})`, async () => {
    const call = client(idle).chat.completions.create({ ...CHAT, stream: true });
    const first = await call.asResponse();
    const second = await call.asResponse();
    assert.equal(second, first);
    const text = await second.text();
    assert.match(text, /data: \[DONE\]/);
    // A third call after the body was read: still that response (its body used, as the SDK's).
    const third = await call.asResponse();
    assert.equal(third, first);
    assert.equal(third.bodyUsed, true);
  });
}

Deno.test("asResponse() twice on a stream call, read from the first: the second is the same response", async () => {
  const call = client(60_000).chat.completions.create({ ...CHAT, stream: true });
  const [a, b] = await Promise.all([call.asResponse(), call.asResponse()]);
  assert.equal(a, b);
  assert.match(await a.text(), /data: \[DONE\]/);
});
