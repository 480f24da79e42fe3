// Per-call options, withResponse() and asResponse() as the openai SDK's users write them.
import { AzureOpenAI } from "openai";

const client = new AzureOpenAI({
  endpoint: "https://my-res.openai.azure.com",
  apiKey: "<key>",
  apiVersion: "2024-10-21",
  maxRetries: 3,
  defaultHeaders: { "x-app": "demo" },
});

// snippet: signal, timeout, maxRetries and headers on one call
{
  const controller = new AbortController();
  const res = await client.chat.completions.create(
    { model: "gpt-4o", messages: [{ role: "user", content: "Hi" }] },
    {
      signal: controller.signal,
      timeout: 5 * 1000,
      maxRetries: 0,
      headers: { "x-ms-client-request-id": crypto.randomUUID(), "x-app": null },
    },
  );
  console.log(res.choices[0].message.content);
  await client.embeddings.create(
    { model: "text-embedding-3-small", input: "hi" },
    { signal: AbortSignal.timeout(10_000) },
  );
}

// snippet: withResponse() for rate-limit headers
{
  const { data: completion, response, request_id } = await client.chat.completions
    .create({ model: "gpt-4o", messages: [{ role: "user", content: "Hi" }] })
    .withResponse();
  console.log(response.status, response.headers.get("x-ratelimit-remaining-requests"));
  console.log(request_id, completion.choices[0].message.content);
}

// snippet: asResponse() for the raw body
{
  const response = await client.chat.completions
    .create({ model: "gpt-4o", messages: [{ role: "user", content: "Hi" }] })
    .asResponse();
  console.log(response.status, response.statusText, await response.json());
  const raw = await client.images
    .generate({ model: "dall-e-3", prompt: "A red apple" })
    .asResponse();
  console.log(raw.headers.get("content-type"));
}

// snippet: withResponse() on every resource
{
  const e = await client.embeddings
    .create({ model: "text-embedding-3-small", input: "x" })
    .withResponse();
  const i = await client.images.generate({ model: "dall-e-3", prompt: "x" }).withResponse();
  const s = await client.audio.speech
    .create({ model: "tts", voice: "alloy", input: "x" })
    .withResponse();
  console.log(e.data.data.length, i.data.created, s.data.status, s.response.status);
}
