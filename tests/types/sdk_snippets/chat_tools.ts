// Function calling as the openai SDK's users write it: tools, tool_choice forms, tool results.
import { AzureOpenAI } from "openai";
import type {
  ChatCompletionMessageParam,
  ChatCompletionTool,
  ChatCompletionToolChoiceOption,
} from "openai/resources/chat/completions";

const client = new AzureOpenAI({
  endpoint: "https://my-res.openai.azure.com",
  apiKey: "<key>",
  apiVersion: "2024-10-21",
});

const tools: ChatCompletionTool[] = [
  {
    type: "function",
    function: {
      name: "get_weather",
      description: "Get the current weather in a given location",
      parameters: {
        type: "object",
        properties: {
          location: { type: "string", description: "The city and state, e.g. San Francisco, CA" },
          unit: { type: "string", enum: ["celsius", "fahrenheit"] },
        },
        required: ["location", "unit"],
        additionalProperties: false,
      },
      strict: true,
    },
  },
];

function getWeather(location: string, unit: string): string {
  return JSON.stringify({ location, unit, temperature: 21 });
}

// snippet: call a tool, answer it, ask again
{
  const messages: ChatCompletionMessageParam[] = [
    { role: "user", content: "What's the weather like in Paris today?" },
  ];
  const first = await client.chat.completions.create({
    model: "gpt-4o",
    messages,
    tools,
    tool_choice: "auto",
    parallel_tool_calls: false,
  });
  const message = first.choices[0].message;
  messages.push(message);
  if (first.choices[0].finish_reason === "tool_calls") {
    for (const toolCall of message.tool_calls ?? []) {
      if (toolCall.type !== "function") continue;
      const args = JSON.parse(toolCall.function.arguments);
      messages.push({
        role: "tool",
        tool_call_id: toolCall.id,
        content: getWeather(args.location, args.unit),
      });
    }
  }
  const second = await client.chat.completions.create({ model: "gpt-4o", messages, tools });
  console.log(second.choices[0].message.content);
}

// snippet: every tool_choice form
{
  const choices: ChatCompletionToolChoiceOption[] = [
    "none",
    "auto",
    "required",
    { type: "function", function: { name: "get_weather" } },
  ];
  for (const tool_choice of choices) {
    const res = await client.chat.completions.create({
      model: "gpt-4o",
      messages: [{ role: "user", content: "Weather in Oslo?" }],
      tools,
      tool_choice,
    });
    console.log(res.choices[0].message.tool_calls?.length ?? 0);
  }
  await client.chat.completions.create({
    model: "gpt-4o",
    messages: [{ role: "user", content: "Weather in Oslo?" }],
    tools,
    tool_choice: { type: "function", function: { name: "get_weather" } },
  });
}

// snippet: a tool call replayed by hand, with a tool result as text parts
{
  const messages: ChatCompletionMessageParam[] = [
    { role: "user", content: "Weather in Rome?" },
    {
      role: "assistant",
      content: null,
      tool_calls: [{
        id: "call_1",
        type: "function",
        function: { name: "get_weather", arguments: '{"location":"Rome","unit":"celsius"}' },
      }],
    },
    { role: "tool", tool_call_id: "call_1", content: [{ type: "text", text: "21 C" }] },
  ];
  const res = await client.chat.completions.create({ model: "gpt-4o", messages, tools });
  console.log(res.choices[0].message.content);
}
