/**
 * The "one write per event" case of `stream_e2e_bench.ts` as interleaved iterations: the
 * contenders take turns on the same local server (its own Worker thread, one event per write),
 * and the table gives p10/p50/p90 per contender and the p50 ratio to raw fetch. `deno bench`
 * times each contender's iterations back to back, which on this machine flips between two modes
 * from run to run for this case; taking turns spreads the drift over all contenders.
 *
 * Run: `deno run -A bench/stream_e2e_ab.ts [iterations=40]`
 *
 * @module
 */
import { AzureOpenAI as OpenAIAzure } from "openai";
import { AzureOpenAI } from "../mod.ts";
import { ServerSentEventParserStream } from "../src/sse/mod.ts";
import { countArgs } from "./_args.ts";

const [ITERATIONS] = countArgs(
  Deno.args,
  [40],
  "usage: deno run -A bench/stream_e2e_ab.ts [iterations=40]",
);
const EVENTS = 2000;
const KEY = "bench-key-0123456789";
const API_VERSION = "2024-10-21";
const DEPLOYMENT = "stream-b1"; // one event per write
const MESSAGES = [{ role: "user" as const, content: "Tell me a long story." }];

const worker = new Worker(new URL("./sse_e2e_server.ts", import.meta.url), { type: "module" });
const port = await new Promise<number>((resolve) => {
  worker.onmessage = (e: MessageEvent<{ port: number }>) => resolve(e.data.port);
  worker.postMessage({ events: EVENTS });
});
const endpoint = `http://127.0.0.1:${port}`;

function post(): Promise<Response> {
  return fetch(
    `${endpoint}/openai/deployments/${DEPLOYMENT}/chat/completions?api-version=${API_VERSION}`,
    {
      method: "POST",
      headers: { "api-key": KEY, accept: "text/event-stream", "content-type": "application/json" },
      body: JSON.stringify({ messages: MESSAGES, stream: true }),
    },
  );
}

/** Raw fetch, events split on blank lines, JSON.parse each (as in stream_e2e_bench.ts). */
async function raw(): Promise<number> {
  const res = await post();
  const decoder = new TextDecoder();
  let buffer = "";
  let count = 0;
  for await (const bytes of res.body!) {
    buffer += decoder.decode(bytes, { stream: true });
    let start = 0;
    for (let end = buffer.indexOf("\n\n"); end !== -1; end = buffer.indexOf("\n\n", start)) {
      const data = buffer.slice(start + 6, end);
      if (data === "[DONE]") return count;
      JSON.parse(data);
      count++;
      start = end + 2;
    }
    buffer = buffer.slice(start);
  }
  return count;
}

/** Our SSE parser stream over raw fetch, JSON.parse each event (no client). */
async function parserOnly(): Promise<number> {
  const res = await post();
  let count = 0;
  for await (const event of res.body!.pipeThrough(new ServerSentEventParserStream())) {
    if (event.data === "[DONE]") return count;
    JSON.parse(event.data);
    count++;
  }
  return count;
}

/** A client's streamed chat call, counting chunks (ours and the SDK take the same params). */
function streamed(
  client: Pick<AzureOpenAI, "chat"> | Pick<OpenAIAzure, "chat">,
): () => Promise<number> {
  return async () => {
    const stream = await (client as AzureOpenAI).chat.completions.create({
      model: DEPLOYMENT,
      messages: MESSAGES,
      stream: true,
    });
    let count = 0;
    for await (const _chunk of stream) count++;
    return count;
  };
}

const CONTENDERS: Array<[string, () => Promise<number>]> = [
  ["raw fetch + split + JSON.parse", raw],
  ["ServerSentEventParserStream + JSON.parse", parserOnly],
  [
    "ours: chat.completions.create({ stream: true })",
    streamed(new AzureOpenAI({ endpoint, apiKey: KEY, apiVersion: API_VERSION })),
  ],
  [
    "openai SDK AzureOpenAI",
    streamed(new OpenAIAzure({ endpoint, apiKey: KEY, apiVersion: API_VERSION })),
  ],
];
try {
  for (const [name, run] of CONTENDERS) {
    const got = await run();
    if (got !== EVENTS) throw new Error(`${name}: ${got} events, expected ${EVENTS}`);
  }
  const times = CONTENDERS.map((): number[] => []);
  for (let i = 0; i < ITERATIONS; i++) {
    for (let c = 0; c < CONTENDERS.length; c++) {
      const started = performance.now();
      await CONTENDERS[c][1]();
      times[c].push(performance.now() - started);
    }
  }
  const at = (xs: number[], q: number) =>
    [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * q))];
  const rawP50 = at(times[0], 0.5);
  console.log(`${EVENTS}-event chat stream, one write per event, ${ITERATIONS} turns each, ms\n`);
  console.log("| contender | p10 | p50 | p90 | p50 vs raw |");
  console.log("| --- | ---: | ---: | ---: | ---: |");
  CONTENDERS.forEach(([name], c) => {
    const [p10, p50, p90] = [0.1, 0.5, 0.9].map((q) => at(times[c], q));
    console.log(
      `| ${name} | ${p10.toFixed(1)} | ${p50.toFixed(1)} | ${p90.toFixed(1)} | ` +
        `${(p50 / rawP50).toFixed(2)}× |`,
    );
  });
} finally {
  worker.terminate();
}
