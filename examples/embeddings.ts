// Embeddings: `deno run -A examples/embeddings.ts`
import { exampleClient } from "./_client.ts";

const client = exampleClient();
const res = await client.embeddings.create({
  model: "text-embedding-3-small",
  input: ["The food was delicious", "The service was slow"],
  dimensions: 256,
});
for (const item of res.data) {
  const norm = Math.hypot(...item.embedding);
  console.log(`#${item.index}: ${item.embedding.length} dims, |v| = ${norm.toFixed(4)}`);
}
console.log("usage:", res.usage);
