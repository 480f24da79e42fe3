// Chat with a tool call: `deno run -A examples/chat_tools.ts`
import { exampleClient } from "./_client.ts";

const client = exampleClient();
const res = await client.chat.completions.create({
  model: "gpt-4o",
  messages: [{ role: "user", content: "What's the weather in Paris?" }],
  tools: [{
    type: "function",
    function: {
      name: "get_weather",
      description: "Current weather for a city",
      parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
    },
  }],
  tool_choice: "required",
});
const call = res.choices[0].message.tool_calls?.[0];
console.log(call?.function.name, call?.function.arguments);
