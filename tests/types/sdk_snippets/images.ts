// Image generation as the openai SDK's users write it.
import { AzureOpenAI } from "openai";

const client = new AzureOpenAI({
  endpoint: "https://my-res.openai.azure.com",
  apiKey: "<key>",
  apiVersion: "2024-10-21",
});

// snippet: DALL-E 3 with every option
{
  const res = await client.images.generate({
    model: "dall-e-3",
    prompt: "A cute baby sea otter",
    n: 1,
    size: "1792x1024",
    quality: "hd",
    style: "natural",
    response_format: "url",
    user: "user-1",
  });
  console.log(res.created, res.data?.[0]?.url, res.data?.[0]?.revised_prompt);
}

// snippet: gpt-image-1 with every option
{
  const res = await client.images.generate({
    model: "gpt-image-1",
    prompt: "A lighthouse at dusk",
    n: 2,
    size: "1536x1024",
    quality: "high",
    output_format: "webp",
    output_compression: 80,
    background: "transparent",
    moderation: "low",
  });
  for (const image of res.data ?? []) {
    if (image.b64_json) console.log(atob(image.b64_json).length);
  }
  console.log(res.usage?.input_tokens, res.usage?.output_tokens, res.usage?.total_tokens);
  console.log(res.usage?.input_tokens_details?.text_tokens, res.output_format, res.quality);
  console.log(res.size, res.background);
}

// snippet: base64 output, auto size
{
  const res = await client.images.generate({
    model: "dall-e-3",
    prompt: "A watercolor fox",
    size: "1024x1024",
    quality: "standard",
    style: "vivid",
    response_format: "b64_json",
  });
  console.log(res.data?.[0]?.b64_json?.length);
}
