// Legacy completions as the openai SDK's users write them.
import { AzureOpenAI } from "openai";

const client = new AzureOpenAI({
  endpoint: "https://my-res.openai.azure.com",
  apiKey: "<key>",
  apiVersion: "2024-10-21",
});

// snippet: a completion and a streamed one
{
  const res = await client.completions.create({
    model: "gpt-35-turbo-instruct",
    prompt: "Say this is a test",
    max_tokens: 7,
    temperature: 0,
    logprobs: 2,
    echo: false,
    suffix: null,
    best_of: 1,
  });
  console.log(res.choices[0].text, res.choices[0].finish_reason, res.usage?.total_tokens);
  console.log(res.choices[0].logprobs?.tokens, res.choices[0].logprobs?.top_logprobs);
  const stream = await client.completions.create({
    model: "gpt-35-turbo-instruct",
    prompt: ["Once upon a time"],
    stream: true,
  });
  for await (const chunk of stream) console.log(chunk.choices[0]?.text ?? "");
}
