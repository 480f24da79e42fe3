// chat.completions.runTools(): the openai SDK's tool runner, as its users write it.
import { AzureOpenAI } from "openai";

const client = new AzureOpenAI({
  endpoint: "https://my-res.openai.azure.com",
  apiKey: "<key>",
  apiVersion: "2024-10-21",
});

function getWeather(args: { city: string }) {
  return { city: args.city, temperature: 21 };
}

// snippet: run a tool with parse, listen, read the results
{
  const runner = client.chat.completions
    .runTools({
      model: "gpt-4o",
      messages: [{ role: "user", content: "What is the weather in Paris?" }],
      tools: [{
        type: "function",
        function: {
          name: "get_weather",
          description: "The weather in a city",
          parameters: { type: "object", properties: { city: { type: "string" } } },
          function: getWeather,
          parse: JSON.parse,
        },
      }],
    }, { maxChatCompletions: 5, signal: AbortSignal.timeout(60_000) })
    .on("connect", () => console.log("connected"))
    .on("message", (message) => console.log(message.role))
    .on("functionToolCall", (call) => console.log(call.name, call.arguments))
    .on("functionToolCallResult", (result: string) => console.log(result))
    .on("content", (content: string) => console.log(content))
    .on("chatCompletion", (completion) => console.log(completion.id))
    .on("totalUsage", (usage) => console.log(usage.total_tokens))
    .on("error", (error) => console.error(error.message))
    .on("end", () => console.log("done"));
  const content: string | null = await runner.finalContent();
  const message = await runner.finalMessage();
  const call = await runner.finalFunctionToolCall();
  const result: string | undefined = await runner.finalFunctionToolCallResult();
  const usage = await runner.totalUsage();
  console.log(content, message.role, call?.name, result, usage.prompt_tokens);
  console.log(runner.messages.length, runner.allChatCompletions().length);
  console.log(runner.ended, runner.errored, runner.aborted);
}

// snippet: a tool without parse gets the arguments' JSON text; streamed rounds
{
  const runner = client.chat.completions.runTools({
    model: "gpt-4o",
    messages: [{ role: "user", content: "Look it up" }],
    stream: true,
    tools: [{
      type: "function",
      function: {
        name: "lookup",
        description: "Looks a term up",
        parameters: { type: "object", properties: { term: { type: "string" } } },
        function: (args: string) => `found ${JSON.parse(args).term}`,
      },
    }],
  });
  runner.on("content", (delta, snapshot) => console.log(delta, snapshot.length));
  for await (const chunk of runner) console.log(chunk.choices[0]?.delta?.content ?? "");
  const completion = await runner.finalChatCompletion();
  console.log(completion.choices[0].message.content);
  runner.abort();
  await runner.done().catch(() => {});
}

// snippet: a tool context, afterCompletion
{
  const runner = client.chat.completions.runTools({
    model: "gpt-4o",
    messages: [{ role: "user", content: "Who am I?" }],
    toolContext: { userId: "u1" },
    tools: [{
      type: "function",
      function: {
        name: "whoami",
        description: "The current user",
        parameters: { type: "object", properties: {} },
        function: (_args: string, _runner, context: { userId: string }) => context.userId,
      },
    }],
  }, {
    afterCompletion: (completion, r) => console.log(completion.id, r.messages.length),
  });
  console.log(await runner.finalContent());
}
