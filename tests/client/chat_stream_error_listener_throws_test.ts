// chat.completions.stream(): an `error` listener that throws still lets `end` come (once) and
// done() reject with the stream's error; what the listener threw is an unhandled rejection (as
// the SDK's throwing listeners), caught here.
import assert from "node:assert/strict";
import { AzureOpenAI, InternalServerError } from "../../mod.ts";

Deno.test("stream(): a throwing error listener: end still comes once, done() rejects", async () => {
  const unhandled: unknown[] = [];
  const onUnhandled = (e: PromiseRejectionEvent) => {
    e.preventDefault();
    unhandled.push(e.reason);
  };
  globalThis.addEventListener("unhandledrejection", onUnhandled);
  try {
    const client = new AzureOpenAI({
      endpoint: "http://stub.local",
      apiKey: "k",
      maxRetries: 0,
      fetch: () => Promise.resolve(Response.json({ error: { message: "down" } }, { status: 500 })),
    });
    const stream = client.chat.completions.stream({
      model: "gpt-4o",
      messages: [{ role: "user", content: "Hi" }],
    });
    const thrown = new Error("from the listener");
    stream.on("error", () => {
      throw thrown;
    });
    let ends = 0;
    stream.on("end", () => ends++);
    await assert.rejects(stream.done(), InternalServerError);
    // The rejection of the run is reported on a later turn.
    for (let i = 0; i < 5 && !unhandled.length; i++) await new Promise((r) => setTimeout(r, 1));
    assert.equal(ends, 1);
    assert.ok(stream.ended);
    assert.deepEqual(unhandled, [thrown]);
  } finally {
    globalThis.removeEventListener("unhandledrejection", onUnhandled);
  }
});
