import { createEmulator } from "../src/emulator/emulator.ts";
import { embeddingVector } from "../src/emulator/embeddings.ts";

const emulator = createEmulator({ apiKeys: ["bench"] });
const BASE = "http://emulator.bench/openai/deployments";

function post(path: string, body: unknown): Promise<Response> {
  return emulator.fetch(
    new Request(`${BASE}/${path}?api-version=2024-10-21`, {
      method: "POST",
      headers: { "api-key": "bench", "content-type": "application/json" },
      body: JSON.stringify(body),
    }),
  );
}

Deno.bench("embeddingVector() 1536 dims", { group: "vector" }, () => {
  embeddingVector("text-embedding-3-small", "The quick brown fox", 1536);
});

let unique = 0;
Deno.bench(
  "embeddings request, 1 new input each time, float",
  { group: "embeddings" },
  async () => {
    await (await post("text-embedding-3-small/embeddings", { input: `text ${unique++}` })).text();
  },
);

Deno.bench(
  "embeddings request, 1 repeated input (cached JSON), float",
  { group: "embeddings" },
  async () => {
    await (await post("text-embedding-3-small/embeddings", { input: "The quick brown fox" }))
      .text();
  },
);

Deno.bench("embeddings request, 1 repeated input, base64", { group: "embeddings" }, async () => {
  await (await post("text-embedding-3-small/embeddings", {
    input: "The quick brown fox",
    encoding_format: "base64",
  })).text();
});

Deno.bench("embeddings request, 100 new inputs, float", { group: "embeddings" }, async () => {
  const batch = unique++;
  await (await post("text-embedding-3-small/embeddings", {
    input: Array.from({ length: 100 }, (_, i) => `input ${batch}-${i}`),
  })).text();
});

Deno.bench("chat request, non-streaming", { group: "chat" }, async () => {
  await (await post("gpt-4o/chat/completions", {
    messages: [{ role: "user", content: "hello there, how are you today?" }],
  })).text();
});

Deno.bench("chat request, streaming", { group: "chat" }, async () => {
  await (await post("gpt-4o/chat/completions", {
    messages: [{ role: "user", content: "hello there, how are you today?" }],
    stream: true,
  })).text();
});
