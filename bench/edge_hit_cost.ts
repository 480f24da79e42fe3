/**
 * CPU cost of an embeddings cache hit inside the edge app, without HTTP: `createEdgeApp` over a
 * MemoryCache with the emulator in process as its upstream; a batch of inputs is stored by one
 * miss, then hit repeatedly (`app.fetch` and the body read with `arrayBuffer()`), in base64 and in
 * float JSON. Prints the mean time per hit. Profile it with `--cpu-prof`.
 *
 * Run: `deno run -A bench/edge_hit_cost.ts [hits=200] [inputs=100]`
 *
 * @module
 */
import { AzureOpenAI } from "../mod.ts";
import { createEdgeApp, MemoryCache } from "../edge/mod.ts";
import { createEmulator } from "../src/emulator/mod.ts";
import { countArgs } from "./_args.ts";

const [HITS, INPUTS] = countArgs(
  Deno.args,
  [200, 100],
  "usage: deno run -A bench/edge_hit_cost.ts [hits=200] [inputs=100]",
);
const CLIENT_KEY = "bench-client-key-01";
const emulator = createEmulator();
const app = createEdgeApp({
  upstream: new AzureOpenAI({
    endpoint: "http://emulator.local",
    apiKey: emulator.apiKey,
    fetch: emulator.fetch,
  }),
  clientKeys: [CLIENT_KEY],
  cache: new MemoryCache(),
});
const input = Array.from({ length: INPUTS }, (_, i) => `cached input number ${i} for the bench`);
const hit = async (format: string) => {
  const res = await app.fetch(
    new Request(
      "http://edge.bench/openai/deployments/text-embedding-3-small/embeddings?api-version=2024-10-21",
      {
        method: "POST",
        headers: { "api-key": CLIENT_KEY, "content-type": "application/json" },
        body: JSON.stringify({ input, encoding_format: format }),
      },
    ),
  );
  await res.arrayBuffer();
  return res.headers.get("x-aoai-cache");
};
console.log(`Deno ${Deno.version.deno}; ${INPUTS} inputs of 1536 dimensions per request`);
for (const format of ["base64", "float"]) {
  await hit(format); // the miss that stores them (or a hit of the other format's entries)
  for (let i = 0; i < 50; i++) await hit(format); // warm-up
  const start = performance.now();
  for (let i = 0; i < HITS; i++) {
    if (await hit(format) !== "hit") throw new Error(`${format}: not a hit`);
  }
  console.log(`${format}: ${((performance.now() - start) / HITS).toFixed(2)} ms per hit`);
}
