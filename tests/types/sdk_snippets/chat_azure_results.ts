// aoai-only: Azure's additions to the replies, as an Azure user of the SDK reads them (the SDK's types lack
// them: such code casts there; here the fields are typed).
import { AzureOpenAI } from "@aoai/edge";

const client = new AzureOpenAI({
  endpoint: "https://my-res.openai.azure.com",
  apiKey: "<key>",
  apiVersion: "2024-10-21",
});

// aoai-only snippet: content_filter_results and prompt_filter_results
{
  const res = await client.chat.completions.create({
    model: "gpt-4o",
    messages: [{ role: "user", content: "Hi" }],
  });
  const filters = res.choices[0].content_filter_results;
  console.log(filters?.hate?.filtered, filters?.hate?.severity, filters?.jailbreak?.detected);
  console.log(filters?.protected_material_code?.citation?.URL);
  for (const p of res.prompt_filter_results ?? []) {
    console.log(p.prompt_index, p.content_filter_results?.self_harm?.severity);
  }
  const stream = await client.chat.completions.create({
    model: "gpt-4o",
    messages: [{ role: "user", content: "Hi" }],
    stream: true,
  });
  for await (const chunk of stream) {
    console.log(chunk.prompt_filter_results?.[0]?.content_filter_results?.violence?.filtered);
    console.log(chunk.choices[0]?.content_filter_results?.sexual?.severity);
  }
}
