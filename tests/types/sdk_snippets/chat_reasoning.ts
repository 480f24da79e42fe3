// Reasoning models, stored completions and predicted outputs as the SDK's users write them.
import { AzureOpenAI } from "openai";

const client = new AzureOpenAI({
  endpoint: "https://my-res.openai.azure.com",
  apiKey: "<key>",
  apiVersion: "2025-04-01-preview",
});

// snippet: max_completion_tokens and reasoning_effort
{
  const res = await client.chat.completions.create({
    model: "o3-mini",
    messages: [
      { role: "developer", content: "Formatting re-enabled" },
      { role: "user", content: "Is 97 prime?" },
    ],
    max_completion_tokens: 4000,
    reasoning_effort: "high",
  });
  console.log(
    res.choices[0].message.content,
    res.usage?.completion_tokens_details?.reasoning_tokens,
  );
}

// snippet: gpt-5 verbosity and minimal effort
{
  await client.chat.completions.create({
    model: "gpt-5",
    messages: [{ role: "user", content: "Explain DNS." }],
    reasoning_effort: "minimal",
    verbosity: "low",
  });
}

// snippet: store the completion with metadata
{
  const res = await client.chat.completions.create({
    model: "gpt-4o",
    messages: [{ role: "user", content: "Write a haiku about the sea." }],
    store: true,
    metadata: { user: "alice", category: "poetry" },
  });
  console.log(res.id);
}

// snippet: predicted outputs
{
  const code = "class User {\n  firstName: string = '';\n  username: string = '';\n}";
  const res = await client.chat.completions.create({
    model: "gpt-4o",
    messages: [
      { role: "user", content: "Replace the username property with an email property." },
      { role: "user", content: code },
    ],
    prediction: { type: "content", content: code },
  });
  console.log(res.usage?.completion_tokens_details?.accepted_prediction_tokens);
  await client.chat.completions.create({
    model: "gpt-4o",
    messages: [{ role: "user", content: code }],
    prediction: { type: "content", content: [{ type: "text", text: code }] },
  });
}
