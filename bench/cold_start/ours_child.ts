// Cold-start child: imports @aoai/edge (mod.ts) and makes one embeddings call.
// Prints {"importMs","requestMs","totalMs"} (ms since the process's time origin).
const [endpoint, key, deployment] = Deno.args;
const t0 = performance.now();
const { AzureOpenAI } = await import("../../mod.ts");
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
  throw new Error("ours child: wrong vector length");
}
const t2 = performance.now();
console.log(
  JSON.stringify({ importMs: t1 - t0, requestMs: t2 - t1, totalMs: t2 }),
);
