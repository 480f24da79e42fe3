// Legacy completions: `deno run -A examples/completions.ts`
import { exampleClient } from "./_client.ts";

const client = exampleClient();
const res = await client.completions.create({
  model: "gpt-35-turbo-instruct",
  prompt: "Once upon a time",
  max_tokens: 20,
});
console.log(res.choices[0].text);
