// chat.completions.stream(): the openai SDK's event stream, as its users write it.
import { AzureOpenAI } from "openai";

const client = new AzureOpenAI({
  endpoint: "https://my-res.openai.azure.com",
  apiKey: "<key>",
  apiVersion: "2024-10-21",
});

// snippet: listen for text and tool calls, then read the results
{
  const stream = client.chat.completions
    .stream({
      model: "gpt-4o",
      messages: [{ role: "user", content: "What is the weather in Paris?" }],
      tools: [{
        type: "function",
        function: {
          name: "get_weather",
          strict: true,
          parameters: {
            type: "object",
            properties: { city: { type: "string" } },
            required: ["city"],
            additionalProperties: false,
          },
        },
      }],
      stream_options: { include_usage: true },
    })
    .on("connect", () => console.log("connected"))
    .on("content", (delta: string, snapshot: string) => console.log(delta, snapshot.length))
    .on("content.delta", ({ delta, snapshot }) => console.log(delta, snapshot))
    .on("content.done", ({ content }) => console.log(content))
    .on("refusal.done", ({ refusal }) => console.log(refusal))
    .on("tool_calls.function.arguments.delta", (e) => console.log(e.index, e.arguments_delta))
    .on("tool_calls.function.arguments.done", (e) => console.log(e.name, e.parsed_arguments))
    .on("logprobs.content.delta", ({ content }) => console.log(content.length))
    .on("chunk", (chunk, snapshot) => console.log(chunk.id, snapshot.choices.length))
    .on("finalContent", (text: string) => console.log(text))
    .on("totalUsage", (usage) => console.log(usage.total_tokens))
    .on("error", (err) => console.error(err.message))
    .on("abort", (err) => console.error(err.message))
    .on("end", () => console.log("end"));
  const listener = () => console.log("message");
  stream.on("message", listener).off("message", listener).once("end", () => {});
  const message = await stream.emitted("message");
  console.log(message.role);
  await stream.done();
  const completion = await stream.finalChatCompletion();
  console.log(completion.choices[0].message.content, completion.usage?.total_tokens);
  const content: string | null = await stream.finalContent();
  const final = await stream.finalMessage();
  const call = await stream.finalFunctionToolCall();
  const usage = await stream.totalUsage();
  console.log(content, final.role, call?.name, call?.arguments, usage.prompt_tokens);
  console.log(stream.allChatCompletions().length, stream.currentChatCompletionSnapshot?.id);
}

// snippet: iterate the chunks, abort, relay
{
  const stream = client.chat.completions.stream(
    { model: "gpt-4o", messages: [{ role: "user", content: "Tell me a story" }] },
    { signal: AbortSignal.timeout(30_000) },
  );
  for await (const chunk of stream) {
    console.log(chunk.choices[0]?.delta?.content ?? "");
    if (chunk.choices[0]?.finish_reason) break;
  }
  stream.abort();
  console.log(stream.controller.signal.aborted);
  const relay = client.chat.completions.stream({
    model: "gpt-4o",
    messages: [{ role: "user", content: "Hi" }],
  });
  const response = new Response(relay.toReadableStream());
  console.log(response.ok);
}
