// A call's signal that can be listened to but not unlistened (a hand-made or polyfilled signal
// with addEventListener and no removeEventListener) is refused with a TypeError naming the
// option before anything is sent, stream or not, as one without addEventListener is. Before,
// every call failed with a raw "signal?.removeEventListener is not a function".
import assert from "node:assert/strict";
import { AzureOpenAI, type RequestOptions } from "../../mod.ts";

Deno.test("a signal without removeEventListener is a TypeError naming it (stream or not, raw)", async () => {
  let sent = 0;
  const client = new AzureOpenAI({
    endpoint: "https://r.openai.azure.com",
    apiKey: "sk-signal-without-remove-1234",
    deployment: "gpt",
    fetch: () => (sent++, Promise.resolve(Response.json({}))),
  });
  const chat = { messages: [{ role: "user" as const, content: "hi" }] };
  // The last: removeEventListener without addEventListener (it failed raw with
  // "signal?.addEventListener is not a function").
  const signals = [
    { aborted: false, addEventListener() {} },
    { aborted: false },
    { aborted: false, removeEventListener() {} },
  ];
  for (const signal of signals) {
    const options = { signal } as unknown as RequestOptions;
    const calls = [
      () => client.chat.completions.create({ ...chat, stream: false }, options),
      () => client.chat.completions.create({ ...chat, stream: true }, options),
      () => client.request({ path: "x", json: {}, stream: true }, options),
    ];
    for (const call of calls) {
      const err = await call().then(() => assert.fail("expected a rejection"), (e: Error) => e);
      assert.ok(err instanceof TypeError, String(err));
      assert.match(err.message, /^[\w. ]+: signal must be an AbortSignal$/, err.message);
    }
  }
  assert.equal(sent, 0);
});
