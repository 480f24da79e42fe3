/**
 * What `logger()` adds to a call, against an in-memory fetch (no network, so the middleware's own
 * work shows): `chat.completions.create()` through the client (default stack), a raw
 * `client.request()` read with `text()`, and a stream read to its end, each with and without
 * `logger()` first in `middleware`. Interleaved rounds (the order flips every round, so a busy
 * machine's drift hits every variant alike); it prints the median µs per call and the median of
 * the per-round ratios to "no logger" on the same path, and (logger − no logger) in µs.
 *
 * A/B against other logger modules (older copies, say), measured in the same run:
 * `LOGGER_B=/abs/path/a.ts,/abs/path/b.ts deno run -A bench/logger_cost.ts`. The first path,
 * "middleware + text()", is the layer alone through compose() over the same in-memory fetch.
 *
 * Run: `deno run -A bench/logger_cost.ts [rounds=40] [callsPerRound=500]`
 *
 * @module
 */
import { AzureOpenAI } from "../src/client.ts";
import { logger } from "../src/middleware/logger.ts";
import { compose } from "../src/middleware/compose.ts";
import type { Middleware } from "../src/middleware/types.ts";
import { makeContext } from "../tests/middleware/_context.ts";
import { countArgs } from "./_args.ts";

const [ROUNDS, PER] = countArgs(
  Deno.args,
  [40, 500],
  "usage: deno run -A bench/logger_cost.ts [rounds=40] [callsPerRound=500]",
);

const REPLY = JSON.stringify({
  id: "chatcmpl-1",
  object: "chat.completion",
  created: 0,
  model: "gpt-4o",
  choices: [{ index: 0, message: { role: "assistant", content: "hi" }, finish_reason: "stop" }],
  usage: { prompt_tokens: 7, completion_tokens: 1, total_tokens: 8 },
});
const chunk = (content: string) =>
  `data: ${
    JSON.stringify({
      id: "c",
      object: "chat.completion.chunk",
      created: 0,
      model: "gpt-4o",
      choices: [{ index: 0, delta: { content }, finish_reason: null }],
    })
  }\n\n`;
const STREAM = new TextEncoder().encode(
  Array.from({ length: 8 }, (_, i) => chunk(`w${i} `)).join("") + "data: [DONE]\n\n",
);

// The client hands an injected fetch a Request; a stream call asks for an event stream.
const fetch = (request: Request) =>
  Promise.resolve(
    request.headers.get("accept")?.includes("event-stream")
      ? new Response(STREAM, { headers: { "content-type": "text/event-stream" } })
      : new Response(REPLY, { headers: { "content-type": "application/json" } }),
  );

const client = (middleware: Middleware[]) =>
  new AzureOpenAI({
    endpoint: "http://mem.local",
    // A key of real length: one under 4 characters would be skipped by the scrubbing.
    apiKey: "0123456789abcdef0123456789abcdef",
    deployment: "gpt-4o",
    fetch,
    middleware,
  });

const quiet = { onEvent: () => {} };
// The baseline: a layer that only builds the request, as any middleware makes the client do
// (without one it sends without building a Request): what is left is the logger's own work.
const touch: Middleware = (ctx, next) => (ctx.request.headers, next());
const layers: [string, Middleware][] = [["no logger", touch], ["logger()", logger(quiet)]];
for (const path of Deno.env.get("LOGGER_B")?.split(",") ?? []) {
  const other = (await import(path)).logger as typeof logger;
  layers.push([`B ${path.slice(path.lastIndexOf("/") + 1)}`, other(quiet)]);
}

const messages = [{ role: "user" as const, content: "hi" }];
type Call = (layer: Middleware) => () => Promise<unknown>;
const calls: Record<string, Call> = {
  "middleware + text()": (layer) => {
    const run = compose([layer], (ctx) => fetch(ctx.request));
    const ctx = { ...makeContext(), replayable: true };
    return async () => await (await run({ ...ctx, state: {} })).text();
  },
  "create": (layer) => {
    const c = client([layer]);
    return () => c.chat.completions.create({ messages });
  },
  "request + text()": (layer) => {
    const c = client([layer]);
    return async () =>
      await (await c.request({ path: "chat/completions", json: { messages } })).text();
  },
  "stream": (layer) => {
    const c = client([layer]);
    return async () => {
      for await (const _ of await c.chat.completions.create({ messages, stream: true }));
    };
  },
};

const times: Record<string, number[]> = {};
const runs: [string, () => Promise<unknown>][] = [];
for (const [path, call] of Object.entries(calls)) {
  for (const [name, layer] of layers) runs.push([`${path}: ${name}`, call(layer)]);
}
for (let round = -2; round < ROUNDS; round++) { // two rounds of warm-up
  const order = round % 2 ? runs : runs.toReversed();
  for (const [name, run] of order) {
    const started = performance.now();
    for (let i = 0; i < PER; i++) await run();
    if (round >= 0) (times[name] ??= []).push(((performance.now() - started) / PER) * 1000);
  }
}
const median = (xs: number[]) => xs.toSorted((a, b) => a - b)[xs.length >> 1];
console.log(`${ROUNDS} rounds × ${PER} calls; median µs per call, ratio and µs over "no logger"`);
for (const [name, xs] of Object.entries(times)) {
  const base = times[`${name.slice(0, name.indexOf(":"))}: no logger`];
  const ratio = median(xs.map((x, i) => x / base[i]));
  const extra = median(xs.map((x, i) => x - base[i]));
  console.log(
    `${name.padEnd(36)} ${median(xs).toFixed(2).padStart(7)} µs  ${ratio.toFixed(3)}×  ${
      extra.toFixed(2).padStart(6)
    } µs`,
  );
}
