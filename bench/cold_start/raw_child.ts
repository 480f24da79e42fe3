// Cold-start child (floor): no client library, one raw fetch of the embeddings endpoint.
// Prints {"importMs","requestMs","totalMs"} (ms since the process's time origin).
const [endpoint, key, deployment] = Deno.args;
const t0 = performance.now();
const t1 = performance.now();
const res = await fetch(
  `${endpoint}/openai/deployments/${deployment}/embeddings?api-version=2024-10-21`,
  {
    method: "POST",
    headers: {
      "api-key": key,
      "content-type": "application/json",
      "accept": "application/json",
    },
    body: JSON.stringify({ input: "hello", encoding_format: "float" }),
  },
);
const json = await res.json() as { data: Array<{ embedding: number[] }> };
if (json.data[0].embedding.length !== 8) {
  throw new Error("raw child: wrong vector length");
}
const t2 = performance.now();
console.log(
  JSON.stringify({ importMs: t1 - t0, requestMs: t2 - t1, totalMs: t2 }),
);
