// Chat completion: `deno run -A examples/chat.ts`
import { exampleClient } from "./_client.ts";

const client = exampleClient();
const res = await client.chat.completions.create({
  model: "gpt-4o",
  messages: [
    { role: "system", content: "You are terse." },
    { role: "user", content: "Name one prime number." },
  ],
  temperature: 0,
});
console.log(res.choices[0].message.content);
console.log("usage:", res.usage);
