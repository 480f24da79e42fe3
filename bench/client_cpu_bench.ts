/**
 * The client's own JavaScript per call, without the network: `globalThis.fetch` is replaced by
 * a stub that resolves a prepared embeddings response at once, so what is left is our code
 * (validation, URL and headers, middleware, JSON body, reading the response) against the same
 * work done by hand ("raw"). Against a real server the same calls cost far more than this
 * difference (see bench/README.md): the rest is fetch's own work for a signal and a timer, and
 * a cold CPU between network round trips.
 *
 * Run: `deno bench -A bench/client_cpu_bench.ts`
 *
 * @module
 */
import { AzureOpenAI } from "../mod.ts";

const BODY = JSON.stringify({
  object: "list",
  data: [{ object: "embedding", index: 0, embedding: [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8] }],
  model: "text-embedding-3-small",
  usage: { prompt_tokens: 1, total_tokens: 1 },
});
const ENDPOINT = "http://127.0.0.1:9";
const URL_ = `${ENDPOINT}/openai/deployments/emb/embeddings?api-version=2024-10-21`;
const PARAMS = { model: "emb", input: "hello", encoding_format: "float" as const };
const stub = () =>
  Promise.resolve(new Response(BODY, { headers: { "content-type": "application/json" } }));

const realFetch = globalThis.fetch;
globalThis.fetch = stub;
addEventListener("unload", () => globalThis.fetch = realFetch);

const defaults = new AzureOpenAI({ endpoint: ENDPOINT, apiKey: "k" });
const bare = new AzureOpenAI({ endpoint: ENDPOINT, apiKey: "k", timeoutMs: 0, maxRetries: 0 });

Deno.bench("raw: fetch + json (stubbed fetch)", { group: "call", baseline: true }, async () => {
  const res = await fetch(URL_, {
    method: "POST",
    headers: { "api-key": "k", accept: "application/json", "content-type": "application/json" },
    body: JSON.stringify({ input: "hello", encoding_format: "float" }),
  });
  if (!res.ok) throw new Error(`HTTP ${res.status}`);
  await res.json();
});

Deno.bench("ours, maxRetries 0 + timeoutMs 0", { group: "call" }, async () => {
  await bare.embeddings.create(PARAMS);
});

Deno.bench("ours, default (retry + timeout)", { group: "call" }, async () => {
  await defaults.embeddings.create(PARAMS);
});
