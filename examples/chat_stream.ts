// Streaming chat: `deno run -A examples/chat_stream.ts`
import { exampleClient } from "./_client.ts";

const client = exampleClient();
const stream = await client.chat.completions.create({
  model: "gpt-4o",
  messages: [{ role: "user", content: "Tell me a short story about a lighthouse." }],
  stream: true,
  stream_options: { include_usage: true },
});
const encoder = new TextEncoder();
for await (const chunk of stream) {
  const text = chunk.choices[0]?.delta?.content;
  if (text) await Deno.stdout.write(encoder.encode(text));
}
const final = await stream.finalChatCompletion();
console.log("\nfinish:", final.choices[0].finish_reason, "usage:", final.usage);
