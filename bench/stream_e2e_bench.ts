/**
 * Streaming end to end: consume a 2,000-event Azure chat stream from a local server (its own
 * thread, one write per event) by:
 * - raw `fetch` + a minimal hand-written SSE split + `JSON.parse` per event — the baseline,
 * - ours: `client.chat.completions.create({ stream: true })` and `for await` over the chunks,
 * - the official `openai` SDK's `AzureOpenAI`, same loop.
 *
 * Run: `deno bench -A bench/stream_e2e_bench.ts`
 *
 * @module
 */
import { AzureOpenAI as OpenAIAzure } from "openai";
import { AzureOpenAI } from "../mod.ts";

const EVENTS = 2000;
const KEY = "bench-key-0123456789";
const API_VERSION = "2024-10-21";
/** Deployment names select how the server writes: one event per write, or the whole body. */
const MODES: Array<[string, string]> = [
  ["stream-b1", "one write per event"],
  ["stream-b0", "whole body in one write"],
];
const MESSAGES = [{ role: "user" as const, content: "Tell me a long story." }];

const worker = new Worker(new URL("./sse_e2e_server.ts", import.meta.url), { type: "module" });
const port = await new Promise<number>((resolve) => {
  worker.onmessage = (e: MessageEvent<{ port: number }>) => resolve(e.data.port);
  worker.postMessage({ events: EVENTS });
});
const endpoint = `http://127.0.0.1:${port}`;

/** Raw fetch: same request as ours; split events on blank lines and JSON.parse each. */
async function raw(deployment: string): Promise<number> {
  const url = `${endpoint}/openai/deployments/${deployment}/chat/completions` +
    `?api-version=${API_VERSION}`;
  const res = await fetch(url, {
    method: "POST",
    headers: {
      "api-key": KEY,
      "accept": "text/event-stream",
      "content-type": "application/json",
    },
    body: JSON.stringify({ messages: MESSAGES, stream: true }),
  });
  if (!res.ok || res.body === null) throw new Error(`raw fetch: HTTP ${res.status}`);
  const decoder = new TextDecoder();
  let buffer = "";
  let count = 0;
  for await (const bytes of res.body) {
    buffer += decoder.decode(bytes, { stream: true });
    let end = buffer.indexOf("\n\n");
    let start = 0;
    while (end !== -1) {
      const data = buffer.slice(start + 6, end); // one "data: " line per event
      if (data === "[DONE]") return count;
      const chunk = JSON.parse(data) as { choices: unknown[] };
      if (chunk.choices.length > 0) count++;
      start = end + 2;
      end = buffer.indexOf("\n\n", start);
    }
    buffer = buffer.slice(start);
  }
  throw new Error("raw fetch: stream ended before [DONE]");
}

const client = new AzureOpenAI({ endpoint, apiKey: KEY, apiVersion: API_VERSION });
async function ours(deployment: string): Promise<number> {
  const stream = await client.chat.completions.create({
    model: deployment,
    messages: MESSAGES,
    stream: true,
  });
  let count = 0;
  for await (const chunk of stream) if (chunk.choices.length > 0) count++;
  return count;
}

const sdk = new OpenAIAzure({ endpoint, apiKey: KEY, apiVersion: API_VERSION });
async function openaiSdk(deployment: string): Promise<number> {
  const stream = await sdk.chat.completions.create({
    model: deployment,
    messages: MESSAGES,
    stream: true,
  });
  let count = 0;
  for await (const chunk of stream) if (chunk.choices.length > 0) count++;
  return count;
}

const CONTENDERS: Array<[string, (deployment: string) => Promise<number>]> = [
  ["raw fetch + JSON.parse", raw],
  ["ours: chat.completions.create({ stream: true })", ours],
  ["openai SDK AzureOpenAI", openaiSdk],
];
for (const [deployment] of MODES) {
  for (const [name, run] of CONTENDERS) {
    const got = await run(deployment);
    if (got !== EVENTS) throw new Error(`${name}: ${got} chunks, expected ${EVENTS}`);
  }
}

for (const [deployment, mode] of MODES) {
  for (const [name, run] of CONTENDERS) {
    Deno.bench({
      name: `${name} (${mode})`,
      group: `consume a ${EVENTS}-event chat stream over local HTTP, ${mode}`,
      baseline: run === raw,
      n: 30,
      warmup: 5,
      async fn() {
        await run(deployment);
      },
    });
  }
}

let stopped = false;
Deno.bench({
  name: "stop the server worker",
  group: "teardown",
  n: 1,
  warmup: 0,
  async fn() {
    // Registered last, so it runs last: shut the worker's server down once.
    if (stopped) return;
    stopped = true;
    await new Promise<void>((resolve) => {
      worker.onmessage = () => resolve();
      worker.postMessage("stop");
    });
    worker.terminate();
  },
});
