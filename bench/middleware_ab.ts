/**
 * Interleaved A/B of one small chat-completions POST against a local server (a Worker thread):
 * raw `fetch`, then the client without middleware (retry and timeout replaced by pass-through
 * layers, auth kept), with only the default `retry()`, with only the default `timeout()`, and
 * with the default stack, each through `client.chat.completions.create()` (the resources: the
 * body is read inside the deadline) and through `client.request()` + `text()` (the raw path: the
 * deadline ends when the caller has read the body). Rounds alternate the order and each prints the median µs per call and
 * the median of the per-round ratios to "no middleware", which holds up on a busy machine where
 * `deno bench`'s back-to-back runs drift.
 *
 * Run: `deno run -A bench/middleware_ab.ts [rounds=60] [callsPerRound=100]`
 *
 * @module
 */
import { AzureOpenAI } from "../src/client.ts";
import { apiKeyAuth } from "../src/auth/auth_middleware.ts";
import { retry } from "../src/middleware/retry.ts";
import { timeout } from "../src/middleware/timeout.ts";
import { tagBuiltin } from "../src/middleware/_kind.ts";
import type { Middleware } from "../src/middleware/types.ts";
import { countArgs } from "./_args.ts";

const [ROUNDS, PER] = countArgs(
  Deno.args,
  [60, 100],
  "usage: deno run -A bench/middleware_ab.ts [rounds=60] [callsPerRound=100]",
);
const KEY = "bench-key-0123456789";
const worker = new Worker(new URL("./middleware_server.ts", import.meta.url), { type: "module" });
const port = await new Promise<number>((resolve) => {
  worker.onmessage = (e: MessageEvent<{ port: number }>) => resolve(e.data.port);
  worker.postMessage(null);
});
const endpoint = `http://127.0.0.1:${port}`;
const pass = (kind: "retry" | "timeout") =>
  tagBuiltin(((_ctx, next) => next()) as Middleware, kind);
const client = (middleware: Middleware[]) => new AzureOpenAI({ endpoint, apiKey: KEY, middleware });
const json = { messages: [{ role: "user" as const, content: "hi" }], max_tokens: 5 };
const init = { path: "chat/completions", deployment: "gpt-4o", json };
const url = `${endpoint}/openai/deployments/gpt-4o/chat/completions?api-version=2024-10-21`;
const headers = { "api-key": KEY, accept: "application/json", "content-type": "application/json" };

const variants: Record<string, () => Promise<string>> = {};
{
  const none = client([pass("retry"), pass("timeout"), apiKeyAuth(KEY)]);
  const retryOnly = client([retry(), pass("timeout")]);
  const timeoutOnly = client([pass("retry"), timeout()]);
  const defaults = client([]);
  variants["raw fetch"] = async () =>
    await (await fetch(url, { method: "POST", headers, body: JSON.stringify(json) })).text();
  const paths = {
    create: (c: AzureOpenAI) => async () =>
      (await c.chat.completions.create({ model: "gpt-4o", ...json })).id,
    request: (c: AzureOpenAI) => async () => await (await c.request(init)).text(),
  };
  for (const [path, call] of Object.entries(paths)) {
    variants[`${path}: no middleware`] = call(none);
    variants[`${path}: retry() only`] = call(retryOnly);
    variants[`${path}: timeout() only`] = call(timeoutOnly);
    variants[`${path}: default stack`] = call(defaults);
  }
}

const times: Record<string, number[]> = {};
for (let round = 0; round < ROUNDS; round++) {
  const names = Object.keys(variants);
  if (round % 2 === 1) names.reverse();
  for (const name of names) {
    const run = variants[name];
    const started = performance.now();
    for (let i = 0; i < PER; i++) await run();
    (times[name] ??= []).push(((performance.now() - started) / PER) * 1000);
  }
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
console.log(
  `${ROUNDS} rounds × ${PER} calls, median per call, ratio to "no middleware" on the same path`,
);
for (const [name, xs] of Object.entries(times)) {
  const base = times[`${name.startsWith("request") ? "request" : "create"}: no middleware`];
  const ratio = median(xs.map((x, i) => x / base[i]));
  console.log(`${name.padEnd(28)} ${median(xs).toFixed(1).padStart(8)} µs   ${ratio.toFixed(3)}×`);
}
worker.terminate();
