// The v1 API (deployment in body `model`, no api-version): `deno run -A examples/v1_api.ts`
import { exampleClient } from "./_client.ts";

const client = exampleClient("v1");
const res = await client.chat.completions.create({
  model: "gpt-4o",
  messages: [{ role: "user", content: "ping" }],
});
console.log(res.choices[0].message.content);
