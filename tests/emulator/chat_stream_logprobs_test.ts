import assert from "node:assert/strict";
import { createEmulator } from "../../src/emulator/mod.ts";
import { chunksOf, post, readSse } from "../../src/emulator/_testing.ts";
import { ChatCompletionAccumulator } from "../../src/streaming/chat_completion_accumulator.ts";
import type { ChatCompletionChunk } from "../../src/types/mod.ts";

const CHAT = "/openai/deployments/gpt-4o/chat/completions";
const MESSAGES = [{ role: "user", content: "The quick brown fox" }];
const TOOLS = [{
  type: "function",
  function: {
    name: "lookup",
    parameters: { type: "object", properties: { q: { type: "string" } }, required: ["q"] },
  },
}];
const FORCED = { type: "function", function: { name: "lookup" } };

// Tool call ids are seeded by the request id, so they differ between two requests.
function withoutCallIds(choices: Record<string, unknown>[]): unknown {
  return structuredClone(choices).map((c) => {
    const message = c.message as { tool_calls?: { id?: string }[] };
    for (const call of message.tool_calls ?? []) delete call.id;
    return c;
  });
}

Deno.test("a streamed chat reply with logprobs accumulates to the non-streamed choices (forced tool call, required, function_call, text, empty text, n > 1)", async () => {
  const e = createEmulator();
  const bodies: Record<string, unknown>[] = [
    { messages: MESSAGES, logprobs: true, tools: TOOLS, tool_choice: FORCED },
    { messages: MESSAGES, logprobs: true, tools: TOOLS, tool_choice: FORCED, n: 2 },
    { messages: MESSAGES, logprobs: true, tools: TOOLS, tool_choice: "required" },
    {
      messages: MESSAGES,
      logprobs: true,
      functions: [TOOLS[0].function],
      function_call: { name: "lookup" },
    },
    { messages: MESSAGES, logprobs: true, top_logprobs: 2 },
    { messages: MESSAGES, logprobs: true, n: 3 },
    { messages: MESSAGES, logprobs: true, stop: "You" },
    { messages: MESSAGES, logprobs: true, n: 2, stop: "You" },
    { messages: MESSAGES, logprobs: false, tools: TOOLS, tool_choice: FORCED },
    { messages: MESSAGES },
  ];
  for (const body of bodies) {
    const what = JSON.stringify(body);
    const plain = await (await post(e, CHAT, body)).json();
    const res = await post(e, CHAT, { ...body, stream: true });
    assert.equal(res.status, 200, what);
    const acc = new ChatCompletionAccumulator();
    for (const chunk of chunksOf(await readSse(res))) {
      acc.add(chunk as unknown as ChatCompletionChunk);
    }
    const streamed = acc.result();
    assert.equal(streamed.choices.length, plain.choices.length, what);
    for (let i = 0; i < plain.choices.length; i++) {
      assert.deepEqual(streamed.choices[i].logprobs, plain.choices[i].logprobs, `${what} #${i}`);
    }
    const strip = (choices: Record<string, unknown>[]) =>
      withoutCallIds(
        choices.map(({ index, finish_reason, message, logprobs }) => ({
          index,
          finish_reason,
          message,
          logprobs,
        })),
      );
    assert.deepEqual(
      strip(streamed.choices as unknown as Record<string, unknown>[]),
      strip(plain.choices),
      what,
    );
  }
});
