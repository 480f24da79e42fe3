/**
 * Where our per-call time goes when caches are cold, as between real network round trips: one
 * small embeddings call with the global `fetch` stubbed, timed per call, hot (back to back) and
 * with 8 MB of memory touched before each call. Stages: raw `fetch` + JSON, our terminal alone,
 * `compose()` with auth, with retry + timeout + auth, `ClientCore.send()`, and the whole
 * `embeddings.create()` (client with `maxRetries: 0, timeoutMs: 0`). Medians of 16 rounds of 300.
 *
 * Run: `deno run -A bench/cold_cache_stages.ts`
 *
 * @module
 */
import { AzureOpenAI } from "../mod.ts";
import { ClientCore } from "../src/_internal/core.ts";
import { createTerminal } from "../src/transport/send.ts";
import { CallContext } from "../src/middleware/_replay.ts";
import { compose } from "../src/middleware/compose.ts";
import { apiKeyAuth } from "../src/auth/auth_middleware.ts";
import { retry } from "../src/middleware/retry.ts";
import { timeout } from "../src/middleware/timeout.ts";
import { PARKED_STATE_KEY } from "../src/middleware/_deadline.ts";
import type { MiddlewareContext } from "../src/middleware/types.ts";

const URL_ = "http://bench.local/openai/deployments/e/embeddings?api-version=2024-10-21";
const BODY = JSON.stringify({
  object: "list",
  data: [{ object: "embedding", index: 0, embedding: [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8] }],
  model: "m",
  usage: { prompt_tokens: 1, total_tokens: 1 },
});
type Embedding = { data: Array<{ embedding: number[] }> };
globalThis.fetch = () =>
  Promise.resolve(new Response(BODY, { headers: { "content-type": "application/json" } }));

const raw = async () => {
  const res = await fetch(URL_, {
    method: "POST",
    headers: { "api-key": "k", accept: "application/json", "content-type": "application/json" },
    body: JSON.stringify({ input: "hi", encoding_format: "float" }),
  });
  return ((await res.json()) as Embedding).data[0].embedding;
};
const context = () =>
  new CallContext({
    url: URL_,
    method: "POST",
    headers: { accept: "application/json", "content-type": "application/json" },
    body: JSON.stringify({ input: "hi", encoding_format: "float" }),
  }, {
    operation: "embeddings.create",
    deployment: "e",
    apiVersion: "2024-10-21",
    params: {},
    attempt: 1,
    signal: undefined,
    stream: false,
    replayable: true,
    options: { timeoutMs: 0, maxRetries: 0 },
    state: { [PARKED_STATE_KEY]: [] },
  });
const via = (run: (ctx: MiddlewareContext) => Promise<Response>) => async () =>
  ((await (await run(context())).json()) as Embedding).data[0].embedding;
const terminal = createTerminal();
const options = { endpoint: "http://bench.local", apiKey: "k", maxRetries: 0, timeoutMs: 0 };
const core = new ClientCore(options);
const client = new AzureOpenAI(options);
const params = { model: "e", input: "hi", encoding_format: "float" as const };

const stages: Array<[string, () => Promise<unknown>]> = [
  ["raw fetch + JSON", raw],
  ["terminal", via(terminal)],
  ["compose([auth])", via(compose([apiKeyAuth("k")], terminal))],
  [
    "compose([retry, timeout, auth])",
    via(compose([retry(), timeout(), apiKeyAuth("k")], terminal)),
  ],
  ["ClientCore.send()", async () =>
    ((await core.send({
      operation: "embeddings.create",
      method: "POST",
      scope: "deployment",
      path: "embeddings",
      deployment: "e",
      json: { input: "hi", encoding_format: "float" },
      params: {},
      read: "json",
    })).data as Embedding).data[0].embedding],
  ["embeddings.create()", () => client.embeddings.create(params)],
];

const big = new Float64Array(1 << 20); // 8 MB
let sink = 0;
const thrash = () => {
  for (let i = 0; i < big.length; i += 8) sink += big[i]++;
};
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

for (const [, call] of stages) for (let i = 0; i < 30_000; i++) await call();
console.log(`Deno ${Deno.version.deno}; µs per call, median of 16 rounds × 300 calls\n`);
console.log("| stage | hot | caches cold |\n| --- | ---: | ---: |");
const results = new Map<string, Record<string, number>>();
for (const mode of ["hot", "cold"] as const) {
  const times: Record<string, number[]> = {};
  for (let round = 0; round < 16; round++) {
    for (const [name, call] of stages) {
      let total = 0;
      for (let i = 0; i < 300; i++) {
        if (mode === "cold") thrash();
        const start = performance.now();
        await call();
        total += performance.now() - start;
      }
      (times[name] ??= []).push(total * 1000 / 300);
    }
  }
  for (const [name, xs] of Object.entries(times)) {
    results.set(name, { ...results.get(name), [mode]: median(xs) });
  }
}
for (const [name, r] of results) {
  console.log(`| ${name} | ${r.hot.toFixed(2)} | ${r.cold.toFixed(2)} |`);
}
if (sink < 0) console.log(sink);
