// Custom middleware next to the built-ins: `deno run -A examples/middleware.ts`
import { type Middleware, retry } from "../mod.ts";
import { AzureOpenAI } from "../mod.ts";
import { createEmulator } from "../src/emulator/mod.ts";

const timing: Middleware = async (ctx, next) => {
  const started = performance.now();
  const res = await next();
  console.log(
    `${ctx.operation} attempt ${ctx.attempt}: ${res.status} in ${
      (performance.now() - started).toFixed(1)
    } ms`,
  );
  return res;
};
const emulator = createEmulator();
const client = new AzureOpenAI({
  endpoint: "http://emulator.local",
  apiKey: emulator.apiKey,
  fetch: (request) => emulator.fetch(request),
  middleware: [timing, retry({ maxRetries: 3 })],
});
await client.embeddings.create({ model: "text-embedding-3-small", input: "hello" });
