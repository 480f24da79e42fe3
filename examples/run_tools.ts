// Let the model call your functions until it answers: `deno run -A examples/run_tools.ts`
import { exampleClient } from "./_client.ts";

// On the emulator a script stands in for the model: it calls get_weather until a tool answered
// (then, returning undefined, leaves the answer to the emulator's own reply).
const client = exampleClient(undefined, undefined, ({ body }) => {
  const messages = body.messages as { role: string }[];
  return body.tools && messages.at(-1)?.role !== "tool"
    ? { toolCalls: [{ name: "get_weather", arguments: { city: "Paris" } }] }
    : undefined;
});

const runner = client.chat.completions.runTools({
  model: "gpt-4o",
  messages: [{ role: "user", content: "What's the weather in Paris?" }],
  tools: [{
    type: "function",
    function: {
      name: "get_weather",
      description: "Current weather for a city",
      parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
      parse: JSON.parse,
      function: ({ city }: { city: string }) => ({ city, sky: "sunny", celsius: 21 }),
    },
  }],
})
  .on("functionToolCall", (call) => console.log("model calls", call.name, call.arguments))
  .on("functionToolCallResult", (result) => console.log("tool result", result));

console.log("answer:", await runner.finalContent());
const usage = await runner.totalUsage();
console.log(runner.allChatCompletions().length, "completions,", usage.total_tokens, "tokens");
