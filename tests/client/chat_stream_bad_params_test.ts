// chat.completions.stream() given no params object throws a TypeError at the call that says what
// to pass (it threw "undefined is not iterable" from inside the stream); params without
// `messages` reject done() with create()'s own typed check, before any request.
import assert from "node:assert/strict";
import { AzureOpenAI } from "../../mod.ts";

let requests = 0;
const client = new AzureOpenAI({
  endpoint: "http://stream.local",
  apiKey: "k".repeat(32),
  fetch: () => (requests++, Promise.reject(new Error("no request expected"))),
});

Deno.test("stream(): a params value that is no object is a TypeError naming the call", () => {
  for (const params of [undefined, null, "hi", 5]) {
    assert.throws(
      () => client.chat.completions.stream(params as never),
      (e: Error) =>
        e instanceof TypeError && /chat\.completions\.stream/.test(e.message) &&
        /params object/.test(e.message),
      String(params),
    );
  }
});

Deno.test("stream(): params without messages reject done() with the call's check, sending nothing", async () => {
  const stream = client.chat.completions.stream({ model: "gpt-4o" } as never);
  const err = await stream.done().then(() => undefined, (e) => e);
  assert.ok(err instanceof Error, String(err));
  assert.match(err.message, /messages/);
  assert.equal(requests, 0);
});
