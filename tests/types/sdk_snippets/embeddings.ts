// Embeddings as the openai SDK's users write them.
import { AzureOpenAI } from "openai";

const client = new AzureOpenAI({
  endpoint: "https://my-res.openai.azure.com",
  apiKey: "<key>",
  apiVersion: "2024-10-21",
});

// snippet: one input, shortened vectors, float encoding
{
  const res = await client.embeddings.create({
    model: "text-embedding-3-large",
    input: "The food was delicious and the waiter...",
    dimensions: 256,
    encoding_format: "float",
  });
  const vector: number[] = res.data[0].embedding;
  console.log(vector.length, res.usage.prompt_tokens, res.usage.total_tokens, res.model);
}

// snippet: a batch, sorted by index
{
  const res = await client.embeddings.create({
    model: "text-embedding-3-small",
    input: ["first", "second"],
    user: "user-1",
  });
  const vectors = [...res.data].sort((a, b) => a.index - b.index).map((d) => d.embedding);
  console.log(vectors.length, res.object, res.data[0].object);
}

// snippet: token arrays as input
{
  const res = await client.embeddings.create({
    model: "text-embedding-3-small",
    input: [[1, 2, 3], [4, 5]],
  });
  console.log(res.data.length);
}
