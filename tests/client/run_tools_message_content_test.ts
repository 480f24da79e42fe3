// The runner's `content: null` default for messages without content (as the SDK's) must not break
// create()'s typed check of bad messages: stream() and runTools() given a message that is no
// object reject done() with that check (it threw "Cannot use 'in' operator" at the call), sending
// nothing.
import assert from "node:assert/strict";
import { AzureOpenAI } from "../../mod.ts";

let requests = 0;
const client = new AzureOpenAI({
  endpoint: "http://messages.local",
  apiKey: "k".repeat(32),
  fetch: () => (requests++, Promise.reject(new Error("no request expected"))),
});
const tools = [{
  type: "function" as const,
  function: { name: "f", parameters: {}, function: () => 1 },
}];

Deno.test("stream() / runTools(): a message that is no object rejects done() with the messages check", async () => {
  for (const bad of [null, "hi", 5]) {
    const messages = [{ role: "user", content: "Hi" }, bad] as never;
    for (
      const run of [
        () => client.chat.completions.stream({ model: "gpt-4o", messages }),
        () => client.chat.completions.runTools({ model: "gpt-4o", messages, tools }),
      ]
    ) {
      const err = await run().done().then(() => undefined, (e) => e);
      assert.match(String(err?.message), /messages\[1\]\.role/, String(bad));
    }
  }
  assert.equal(requests, 0);
});
