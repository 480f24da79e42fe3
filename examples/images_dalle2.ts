// DALL-E 2 async operations (preview API): `deno run -A examples/images_dalle2.ts`
import { exampleClient } from "./_client.ts";

const client = exampleClient();
const submitted = await client.images.submit({ prompt: "A paper boat", n: 1, size: "512x512" });
console.log("submitted:", submitted.id, submitted.status);
const result = await client.images.generateAndWait(
  { prompt: "A paper boat", size: "256x256" },
  { signal: AbortSignal.timeout(60_000) },
);
console.log("image:", result.data[0].url);
await client.images.deleteOperation(submitted.id);
