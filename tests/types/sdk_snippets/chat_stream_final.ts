// aoai-only: `create({ stream: true })` gives a stream with finalChatCompletion() here; the openai
// SDK has it on `chat.completions.stream()` instead (here too: see chat_stream_events.ts).
import { AzureOpenAI } from "@aoai/edge";

const client = new AzureOpenAI({
  endpoint: "https://my-res.openai.azure.com",
  apiKey: "<key>",
  apiVersion: "2024-10-21",
});

// snippet: stream, then the whole completion
{
  const stream = await client.chat.completions.create({
    model: "gpt-4o",
    messages: [{ role: "user", content: "Say this is a test" }],
    stream: true,
  });
  for await (const chunk of stream) console.log(chunk.choices[0]?.delta?.content ?? "");
  const completion = await stream.finalChatCompletion();
  console.log(completion.choices[0].message.content, completion.usage?.total_tokens);
}
