// Cold-start child: imports the official `openai` SDK's AzureOpenAI and makes one embeddings
// call. Prints {"importMs","requestMs","totalMs"} (ms since the process's time origin).
const [endpoint, key, deployment] = Deno.args;
const t0 = performance.now();
const { AzureOpenAI } = await import("openai");
const t1 = performance.now();
const client = new AzureOpenAI({
  endpoint,
  apiKey: key,
  apiVersion: "2024-10-21",
});
const res = await client.embeddings.create({
  model: deployment,
  input: "hello",
});
if (res.data[0].embedding.length !== 8) {
  throw new Error("openai child: wrong vector length");
}
const t2 = performance.now();
console.log(
  JSON.stringify({ importMs: t1 - t0, requestMs: t2 - t1, totalMs: t2 }),
);
