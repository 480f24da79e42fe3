// chat.completions.stream() has the openai SDK's `ended` / `errored` / `aborted` getters and
// finalFunctionToolCallResult() (it lacked them): false until the end; `errored` after an error or
// an abort, `aborted` after an abort only. And, as the SDK's, a request message without content
// gets `content: null` in `messages`.
import assert from "node:assert/strict";
import { AzureOpenAI } from "../../mod.ts";
import { createEmulator } from "../../src/emulator/mod.ts";

const emulator = createEmulator();
const client = (fetch = emulator.fetch) =>
  new AzureOpenAI({
    endpoint: "http://emulator.local",
    apiKey: emulator.apiKey,
    fetch,
    maxRetries: 0,
  });
const messages = [{ role: "user" as const, content: "Hello" }];

Deno.test("stream(): ended / errored / aborted after a whole reply", async () => {
  const stream = client().chat.completions.stream({ model: "gpt-4o", messages });
  assert.deepEqual([stream.ended, stream.errored, stream.aborted], [false, false, false]);
  await stream.done();
  assert.deepEqual([stream.ended, stream.errored, stream.aborted], [true, false, false]);
  assert.equal(await stream.finalFunctionToolCallResult(), undefined);
});

Deno.test("stream(): ended / errored / aborted after an error and after an abort", async () => {
  const failing = client(() => Promise.resolve(Response.json({ error: {} }, { status: 400 })))
    .chat.completions.stream({ model: "gpt-4o", messages });
  await failing.done().catch(() => {});
  assert.deepEqual([failing.ended, failing.errored, failing.aborted], [true, true, false]);
  const aborted = client().chat.completions.stream({ model: "gpt-4o", messages });
  aborted.abort();
  await aborted.done().catch(() => {});
  assert.deepEqual([aborted.ended, aborted.errored, aborted.aborted], [true, true, true]);
});

Deno.test("stream(): finalFunctionToolCallResult() is the last tool result answering a call", async () => {
  const stream = client().chat.completions.stream({
    model: "gpt-4o",
    messages: [
      { role: "user", content: "Time?" },
      {
        role: "assistant",
        tool_calls: [{ id: "c1", type: "function", function: { name: "t", arguments: "{}" } }],
      },
      { role: "tool", tool_call_id: "c1", content: "noon" },
      { role: "tool", tool_call_id: "other", content: "not an answer" },
    ],
  });
  const events: string[] = [];
  stream.on("finalFunctionToolCallResult", (r) => events.push(r));
  assert.equal(await stream.finalFunctionToolCallResult(), "noon");
  assert.deepEqual(events, ["noon"]);
  // The assistant message without content got content: null, as in the SDK.
  assert.equal((stream.messages[1] as { content: unknown }).content, null);
});
