// DALL-E 2 async operations (preview API): `deno run -A examples/images_dalle2.ts`
import { exampleClient } from "./_client.ts";

const client = exampleClient();
// By hand: submit, poll until the operation has finished, then delete its images early (the
// service deletes them after 24 hours; it refuses to delete an operation that has not finished).
const submitted = await client.images.submit({ prompt: "A paper boat", n: 1, size: "512x512" });
console.log("submitted:", submitted.id, submitted.status);
let operation = await client.images.getOperation(submitted.id);
for (let polls = 1; operation.status !== "succeeded" && operation.status !== "failed"; polls++) {
  if (polls > 60) throw new Error(`operation ${submitted.id} still ${operation.status}`);
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  operation = await client.images.getOperation(submitted.id);
}
console.log("operation:", operation.status);
await client.images.deleteOperation(submitted.id);

// Or in one call, which polls for you (honouring retry-after).
const result = await client.images.generateAndWait(
  { prompt: "A paper boat", size: "256x256" },
  { signal: AbortSignal.timeout(60_000) },
);
console.log("image:", result.data[0].url);
