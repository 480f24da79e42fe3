// response_format and logprobs as the openai SDK's users write them.
import { AzureOpenAI } from "openai";

const client = new AzureOpenAI({
  endpoint: "https://my-res.openai.azure.com",
  apiKey: "<key>",
  apiVersion: "2024-10-21",
});

// snippet: JSON mode
{
  const res = await client.chat.completions.create({
    model: "gpt-4o",
    messages: [
      { role: "system", content: "Reply with a JSON object." },
      { role: "user", content: "List three colors." },
    ],
    response_format: { type: "json_object" },
  });
  const parsed: unknown = JSON.parse(res.choices[0].message.content ?? "{}");
  console.log(parsed);
}

// snippet: structured outputs with a strict JSON schema
{
  const res = await client.chat.completions.create({
    model: "gpt-4o",
    messages: [{ role: "user", content: "Extract: Alice is 30." }],
    response_format: {
      type: "json_schema",
      json_schema: {
        name: "person",
        description: "A person",
        strict: true,
        schema: {
          type: "object",
          properties: { name: { type: "string" }, age: { type: "integer" } },
          required: ["name", "age"],
          additionalProperties: false,
        },
      },
    },
  });
  const message = res.choices[0].message;
  if (message.refusal) throw new Error(message.refusal);
  console.log(JSON.parse(message.content!));
}

// snippet: plain text format
{
  await client.chat.completions.create({
    model: "gpt-4o",
    messages: [{ role: "user", content: "Hi" }],
    response_format: { type: "text" },
  });
}

// snippet: logprobs with top_logprobs
{
  const res = await client.chat.completions.create({
    model: "gpt-4o",
    messages: [{ role: "user", content: "Yes or no?" }],
    logprobs: true,
    top_logprobs: 5,
    max_tokens: 1,
  });
  for (const token of res.choices[0].logprobs?.content ?? []) {
    console.log(token.token, Math.exp(token.logprob), token.bytes);
    for (const alt of token.top_logprobs) console.log("  ", alt.token, alt.logprob);
  }
  console.log(res.choices[0].logprobs?.refusal);
}
