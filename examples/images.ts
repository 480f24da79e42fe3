// DALL-E 3 image generation: `deno run -A examples/images.ts`
import { exampleClient } from "./_client.ts";

const client = exampleClient();
const res = await client.images.generate({
  model: "dall-e-3",
  prompt: "A watercolor lighthouse at dawn",
  size: "1024x1024",
  response_format: "b64_json",
});
const image = res.data[0];
console.log("revised prompt:", image.revised_prompt);
console.log("PNG bytes:", atob(image.b64_json ?? "").length);
