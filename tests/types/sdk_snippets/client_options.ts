// Client construction and params built ahead, as the openai SDK's users write them.
import { AzureOpenAI } from "openai";
import type { ChatCompletionCreateParams } from "openai/resources/chat/completions";

// snippet: Entra ID token provider, timeout and browser flag under the SDK's option names
{
  const client = new AzureOpenAI({
    endpoint: "https://my-res.openai.azure.com",
    azureADTokenProvider: () => Promise.resolve("<token>"),
    apiVersion: "2024-10-21",
    deployment: "gpt-4o",
    timeout: 20 * 1000,
    maxRetries: 0,
    dangerouslyAllowBrowser: true,
  });
  const res = await client.chat.completions.create({
    model: "gpt-4o",
    messages: [{ role: "user", content: "Say hello!" }],
  });
  console.log(res.choices[0]!.message?.content);
}

// snippet: params typed as the union, the result narrowed
{
  const client = new AzureOpenAI({ endpoint: "https://my-res.openai.azure.com", apiKey: "<key>" });
  const params: ChatCompletionCreateParams = {
    model: "gpt-4o",
    messages: [{ role: "user", content: "Hi" }],
    stream: Math.random() > 0.5,
  };
  const result = await client.chat.completions.create(params);
  if ("choices" in result) console.log(result.choices[0].message.content);
  else for await (const chunk of result) console.log(chunk.choices[0]?.delta?.content);
}

// snippet: tee a stream into two consumers
{
  const client = new AzureOpenAI({ endpoint: "https://my-res.openai.azure.com", apiKey: "<key>" });
  const stream = await client.chat.completions.create({
    model: "gpt-4o",
    messages: [{ role: "user", content: "Hi" }],
    stream: true,
  });
  const [left, right] = stream.tee();
  for await (const chunk of left) console.log(chunk.choices[0]?.delta?.content);
  for await (const chunk of right) console.log(chunk.id);
}
