// A runner's toReadableStream() writes a message record after each tool message, made from the
// last chunk it saw. Taken on a runTools() that is not streamed (no chunks ever), or on a streamed
// one after a round's chunks went by, the first tool message found no chunk and threw
// "Cannot read properties of undefined (reading 'id')" out of the `message` event: the whole run
// failed (done() rejected) for having a relay. Now the record goes out without the chunk's id and
// the run goes on; a page reads the tool message, then the rounds that follow.
import assert from "node:assert/strict";
import { AzureOpenAI, ChatCompletionStreamingRunner } from "../../mod.ts";
import { createEmulator } from "../../src/emulator/mod.ts";

type Body = { messages: { role: string; content?: string }[] };

const emulator = createEmulator({
  script: ({ body }) =>
    (body as Body).messages.at(-1)?.role == "tool"
      ? { content: "It is noon" }
      : { toolCalls: [{ name: "get_time", arguments: {} }] },
});
const client = new AzureOpenAI({
  endpoint: "http://emulator.local",
  apiKey: emulator.apiKey,
  fetch: emulator.fetch,
});
const params = {
  model: "gpt-4o",
  messages: [{ role: "user" as const, content: "Time?" }],
  tools: [{
    type: "function" as const,
    function: { name: "get_time", parameters: {}, function: () => "12:00" },
  }],
};

Deno.test("runTools() not streamed: toReadableStream() does not fail the run", async () => {
  const runner = client.chat.completions.runTools(params);
  const body = new Response(runner.toReadableStream()).text();
  assert.equal(await runner.finalContent(), "It is noon");
  const lines = (await body).split("\n").filter(Boolean).map((line) => JSON.parse(line));
  assert.equal(lines.length, 1);
  assert.match(lines[0].object, /^chat\.completion\.chunk\.message:/);
});

Deno.test("runTools() streamed: toReadableStream() taken after round 1 relays the rest", async () => {
  const runner = client.chat.completions.runTools({ ...params, stream: true });
  let body: Promise<string> | undefined;
  runner.on("functionToolCall", () => body = new Response(runner.toReadableStream()).text());
  assert.equal(await runner.finalContent(), "It is noon");
  const page = ChatCompletionStreamingRunner.fromReadableStream(new Response(await body).body!);
  assert.equal(await page.finalContent(), "It is noon");
  assert.deepEqual(page.messages.map((m) => m.role), ["tool", "assistant"]);
  assert.equal(await page.finalFunctionToolCallResult(), undefined); // its call is not in the relay
  assert.equal(page.messages[0].content, "12:00");
});
