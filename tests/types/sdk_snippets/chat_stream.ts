// Streaming as the openai SDK's users write it.
import { AzureOpenAI } from "openai";

const client = new AzureOpenAI({
  endpoint: "https://my-res.openai.azure.com",
  apiKey: "<key>",
  apiVersion: "2024-10-21",
});

// snippet: print the deltas
{
  const stream = await client.chat.completions.create({
    model: "gpt-4o",
    messages: [{ role: "user", content: "Say this is a test" }],
    stream: true,
  });
  let text = "";
  for await (const chunk of stream) {
    text += chunk.choices[0]?.delta?.content || "";
    if (chunk.choices[0]?.finish_reason) console.log("finished:", chunk.choices[0].finish_reason);
  }
  console.log(text);
}

// snippet: usage on the last chunk, break out early
{
  const stream = await client.chat.completions.create({
    model: "gpt-4o",
    messages: [{ role: "user", content: "Count to 100" }],
    stream: true,
    stream_options: { include_usage: true },
  });
  for await (const chunk of stream) {
    if (chunk.usage) console.log("tokens:", chunk.usage.total_tokens);
    for (const choice of chunk.choices) {
      const delta = choice.delta;
      if (delta?.refusal) console.log("refusal:", delta.refusal);
      for (const call of delta?.tool_calls ?? []) {
        console.log(call.index, call.id, call.function?.name, call.function?.arguments);
      }
    }
    if (chunk.choices[0]?.delta?.content?.includes("50")) break;
  }
}

// snippet: abort a stream, relay it as a web stream
{
  const stream = await client.chat.completions.create({
    model: "gpt-4o",
    messages: [{ role: "user", content: "Tell me a story" }],
    stream: true,
  });
  const body: ReadableStream = stream.toReadableStream();
  console.log(new Response(body).headers);
  stream.controller.abort();
}

// snippet: the stream's HTTP response with withResponse()
{
  const { data: stream, response, request_id } = await client.chat.completions
    .create({ model: "gpt-4o", messages: [{ role: "user", content: "Hi" }], stream: true })
    .withResponse();
  console.log(response.headers.get("x-ratelimit-remaining-tokens"), request_id);
  for await (const chunk of stream) console.log(chunk.id, chunk.model, chunk.created);
}
