/**
 * Counts the event-loop work of one call with a stub `fetch` (a ready `Response`, no I/O): the
 * microtask turns from the call's start until the caller's `await` resumes (a ticker that
 * re-queues itself runs once per turn), for raw fetch + `json()` and for `embeddings.create()`
 * with the default stack and with retry and timeout off. Each extra turn is one promise hop
 * (an `await`, a `.then`, an async function's return) on the call's path.
 *
 * Run: `deno run -A bench/hops.ts [otherTree]` (with a checkout, its client is counted too).
 *
 * @module
 */
import { AzureOpenAI } from "../mod.ts";
import { BENCH_API_VERSION, BENCH_KEY, embeddingsBodies, INPUT } from "./overhead_fixture.ts";

const body = embeddingsBodies(8).float;
const realFetch = globalThis.fetch;
globalThis.fetch = ((_input: unknown, _init?: unknown) =>
  Promise.resolve(
    new Response(body, { headers: { "content-type": "application/json" } }),
  )) as typeof fetch;

/** Microtask turns from `fn()` until its promise's awaiter resumes. */
async function turns(fn: () => Promise<unknown>): Promise<number> {
  let n = 0;
  let done = false;
  const tick = () => {
    if (done) return;
    n++;
    queueMicrotask(tick);
  };
  queueMicrotask(tick);
  await fn();
  done = true;
  return n;
}

const endpoint = "http://127.0.0.1:9";
const raw = async () => {
  const res = await fetch(`${endpoint}/x`, {
    method: "POST",
    headers: { "api-key": BENCH_KEY, "content-type": "application/json" },
    body: JSON.stringify({ input: INPUT }),
  });
  return (await res.json()).data[0].embedding;
};
const rawText = async () => {
  const res = await fetch(`${endpoint}/x`, { method: "POST", body: "{}" });
  return JSON.parse(await res.text()).data[0].embedding;
};
const make = (Client: typeof AzureOpenAI, options: Record<string, number>) => {
  const c = new Client({ endpoint, apiKey: BENCH_KEY, apiVersion: BENCH_API_VERSION, ...options });
  return async () =>
    (await c.embeddings.create({ model: "emb-8", input: INPUT, encoding_format: "float" }))
      .data[0].embedding;
};
const contenders: Array<[string, () => Promise<unknown>]> = [
  ["raw fetch + json()", raw],
  ["raw fetch + text() + JSON.parse", rawText],
  ["this tree, default stack", make(AzureOpenAI, {})],
  ["this tree, retry off", make(AzureOpenAI, { maxRetries: 0 })],
  ["this tree, timeout off", make(AzureOpenAI, { timeoutMs: 0 })],
  ["this tree, retry and timeout off", make(AzureOpenAI, { maxRetries: 0, timeoutMs: 0 })],
];
if (Deno.args[0]) {
  const other = await import(new URL("mod.ts", `file://${Deno.realPathSync(Deno.args[0])}/`).href);
  contenders.push(
    ["other tree, default stack", make(other.AzureOpenAI, {})],
    ["other tree, retry and timeout off", make(other.AzureOpenAI, { maxRetries: 0, timeoutMs: 0 })],
  );
}
for (const [name, fn] of contenders) {
  for (let i = 0; i < 50; i++) await fn(); // warm up
  const counts = [];
  for (let i = 0; i < 5; i++) counts.push(await turns(fn));
  console.log(`${name.padEnd(36)} ${counts.join(" ")}`);
}
globalThis.fetch = realFetch;
