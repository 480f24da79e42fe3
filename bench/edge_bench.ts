/**
 * Edge app benchmarks.
 *
 * - Proxy overhead: a streamed chat (about 60 SSE events) from the emulator, fetched straight
 *   from the emulator's server vs through the edge app's server in front of it (each server on
 *   its own thread, local HTTP both ways): time to first body byte and total time; also through
 *   the app with a token budget (`tokenLimit`: the stream asks upstream for usage, which the app
 *   takes out, and is charged after).
 * - Embeddings cache hits: 100 inputs, all cached, through `app.fetch` on MemoryCache and on
 *   Deno KV (a file), vs the same request with no cache (upstream emulator over local HTTP).
 *
 * Run: `deno bench -A bench/edge_bench.ts` (means and percentiles per case), or
 * `deno run -A bench/edge_bench.ts [iterations]` for a p50 / p90 report with the overhead the
 * app adds and requests per second.
 *
 * @module
 */
import { AzureOpenAI } from "../mod.ts";
import { createEdgeApp, DenoKvCache, type EdgeApp, MemoryCache } from "../edge/mod.ts";
import { countArgs } from "./_args.ts";

// Report mode's count, checked before the servers start (`deno bench` passes no arguments).
const [ITERATIONS] = import.meta.main
  ? countArgs(Deno.args, [300], "usage: deno run -A bench/edge_bench.ts [iterations=300]")
  : [0];

const API_KEY = "bench-upstream-key-1";
const CLIENT_KEY = "bench-client-key-01";
const VERSION = "2024-10-21";
const WORDS = Array.from({ length: 56 }, (_, i) => `word${i}`).join(" ");
const CHAT_BODY = JSON.stringify({
  messages: [{ role: "user", content: WORDS }],
  stream: true,
});
const INPUTS = Array.from({ length: 100 }, (_, i) => `cached input number ${i} for the bench`);
const EMBED_BODIES = {
  float: JSON.stringify({ input: INPUTS }),
  base64: JSON.stringify({ input: INPUTS, encoding_format: "base64" }),
};
type Format = keyof typeof EMBED_BODIES;
const EMBED_PATH = `/openai/deployments/text-embedding-3-small/embeddings?api-version=${VERSION}`;

interface Started {
  worker: Worker;
  url: string;
}

async function startWorker(message: unknown): Promise<Started> {
  const worker = new Worker(new URL("./edge_bench_server.ts", import.meta.url), {
    type: "module",
  });
  const port = await new Promise<number>((resolve) => {
    worker.onmessage = (e: MessageEvent<{ port: number }>) => resolve(e.data.port);
    worker.postMessage(message);
  });
  return { worker, url: `http://127.0.0.1:${port}` };
}

async function stopWorker(started: Started): Promise<void> {
  await new Promise<void>((resolve) => {
    started.worker.onmessage = () => resolve();
    started.worker.postMessage("stop");
  });
  started.worker.terminate();
}

const emulator = await startWorker({ role: "emulator", apiKey: API_KEY });
const rawProxy = await startWorker({ role: "raw-proxy", upstream: emulator.url });
const proxy = await startWorker({
  role: "app",
  upstream: emulator.url,
  apiKey: API_KEY,
  clientKey: CLIENT_KEY,
});
const limited = await startWorker({
  role: "app",
  upstream: emulator.url,
  apiKey: API_KEY,
  clientKey: CLIENT_KEY,
  tokenLimit: true,
});

/**
 * Streams one chat; returns [ms to first body chunk, ms total]. `onFirst` runs when the first
 * body chunk arrives (the bench ends its measurement there).
 */
async function streamChat(
  base: string,
  key: string,
  onFirst?: () => void,
): Promise<[number, number]> {
  const t0 = performance.now();
  const res = await fetch(
    `${base}/openai/deployments/gpt-4o/chat/completions?api-version=${VERSION}`,
    {
      method: "POST",
      headers: { "api-key": key, "content-type": "application/json" },
      body: CHAT_BODY,
    },
  );
  if (res.status !== 200 || !res.body) throw new Error(`chat: HTTP ${res.status}`);
  const reader = res.body.getReader();
  let first = 0;
  let bytes = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (first === 0) {
      first = performance.now() - t0;
      onFirst?.();
    }
    bytes += value.byteLength;
  }
  if (bytes < 1000) throw new Error("chat: short stream");
  return [first, performance.now() - t0];
}

const direct = (onFirst?: () => void) => streamChat(emulator.url, API_KEY, onFirst);
const viaApp = (onFirst?: () => void) => streamChat(proxy.url, CLIENT_KEY, onFirst);
const viaRaw = (onFirst?: () => void) => streamChat(rawProxy.url, API_KEY, onFirst);
const viaLimited = (onFirst?: () => void) => streamChat(limited.url, CLIENT_KEY, onFirst);
const CHAT_CONTENDERS = [
  ["straight to the emulator", direct],
  ["through a bare fetch proxy (floor)", viaRaw],
  ["through the edge app", viaApp],
  ["through the edge app with tokenLimit", viaLimited],
] as const;

const kvDir = await Deno.makeTempDir();
const kv = await Deno.openKv(`${kvDir}/bench.kv`);
const upstreamClient = new AzureOpenAI({ endpoint: emulator.url, apiKey: API_KEY });
const apps: Record<string, EdgeApp> = {
  "MemoryCache hit": createEdgeApp({
    upstream: upstreamClient,
    clientKeys: [CLIENT_KEY],
    cache: new MemoryCache(),
  }),
  "Deno KV (file) hit": createEdgeApp({
    upstream: upstreamClient,
    clientKeys: [CLIENT_KEY],
    cache: new DenoKvCache(kv),
  }),
  "no cache (upstream over local HTTP)": createEdgeApp({
    upstream: upstreamClient,
    clientKeys: [CLIENT_KEY],
  }),
};

async function embed(app: EdgeApp, expect: string | null, format: Format): Promise<void> {
  const res = await app.fetch(
    new Request(`http://edge.bench${EMBED_PATH}`, {
      method: "POST",
      headers: { "api-key": CLIENT_KEY, "content-type": "application/json" },
      body: EMBED_BODIES[format],
    }),
  );
  const body = await res.json() as { data: unknown[] };
  if (res.status !== 200 || body.data.length !== 100) throw new Error(`embed: ${res.status}`);
  const status = res.headers.get("x-aoai-cache");
  if (status !== expect) throw new Error(`embed: x-aoai-cache ${status}, expected ${expect}`);
}

// Warm the caches (and check the hit path really hits).
await embed(apps["MemoryCache hit"], "miss", "float");
await embed(apps["MemoryCache hit"], "hit", "base64");
await embed(apps["Deno KV (file) hit"], "miss", "float");
await embed(apps["Deno KV (file) hit"], "hit", "base64");
await embed(apps["no cache (upstream over local HTTP)"], null, "float");

async function teardown(): Promise<void> {
  kv.close();
  await Deno.remove(kvDir, { recursive: true });
  await stopWorker(proxy);
  await stopWorker(limited);
  await stopWorker(rawProxy);
  await stopWorker(emulator);
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
}

async function report(iterations: number): Promise<void> {
  for (let i = 0; i < 20; i++) for (const [, run] of CHAT_CONTENDERS) await run();
  const ttfb = CHAT_CONTENDERS.map(() => [] as number[]);
  const total = CHAT_CONTENDERS.map(() => [] as number[]);
  for (let i = 0; i < iterations; i++) {
    // Rotate the order so drift hits every contender alike.
    for (let k = 0; k < CHAT_CONTENDERS.length; k++) {
      const c = (i + k) % CHAT_CONTENDERS.length;
      const [first, all] = await CHAT_CONTENDERS[c][1]();
      ttfb[c].push(first);
      total[c].push(all);
    }
  }
  const fmt = (n: number) => n.toFixed(3);
  const p = (data: number[], q: number) => percentile(data.slice().sort((a, b) => a - b), q);
  console.log(`streamed chat (~60 events), ${iterations} iterations each, local HTTP, ms:`);
  console.log("| path | TTFB p50 | TTFB p90 | total p50 | total p90 |");
  console.log("| --- | ---: | ---: | ---: | ---: |");
  CHAT_CONTENDERS.forEach(([name], c) => {
    console.log(
      `| ${name} | ${fmt(p(ttfb[c], 0.5))} | ${fmt(p(ttfb[c], 0.9))} | ${fmt(p(total[c], 0.5))} | ${
        fmt(p(total[c], 0.9))
      } |`,
    );
  });
  const added = (c: number, base: number, data: number[][]) =>
    fmt(p(data[c], 0.5) - p(data[base], 0.5));
  console.log(
    `\nadded by the edge app at p50: TTFB ${added(2, 0, ttfb)} ms vs direct, ${
      added(2, 1, ttfb)
    } ms vs the bare proxy; total ${added(2, 0, total)} ms vs direct, ${
      added(2, 1, total)
    } ms vs the bare proxy; tokenLimit adds TTFB ${added(3, 2, ttfb)} ms, total ${
      added(3, 2, total)
    } ms over the app without it`,
  );
  console.log(`\nembeddings, 100 inputs per request, ${iterations} sequential requests:`);
  console.log("| case | encoding | p50 ms | p90 ms | requests/s |");
  console.log("| --- | --- | ---: | ---: | ---: |");
  for (const format of ["float", "base64"] as const) {
    for (const [name, app] of Object.entries(apps)) {
      const expect = name.startsWith("no cache") ? null : "hit";
      const times: number[] = [];
      const t0 = performance.now();
      for (let i = 0; i < iterations; i++) {
        const t = performance.now();
        await embed(app, expect, format);
        times.push(performance.now() - t);
      }
      const rate = iterations / ((performance.now() - t0) / 1000);
      console.log(
        `| ${name} | ${format} | ${fmt(p(times, 0.5))} | ${fmt(p(times, 0.9))} | ${
          rate.toFixed(0)
        } |`,
      );
    }
  }
}

if (import.meta.main) {
  try {
    await report(ITERATIONS);
  } finally {
    await teardown();
  }
} else {
  for (const [name, run] of CHAT_CONTENDERS) {
    const baseline = run === direct;
    Deno.bench({
      name,
      group: "streamed chat: time to first byte",
      baseline,
      async fn(b) {
        b.start();
        await run(() => b.end());
      },
    });
    Deno.bench({
      name,
      group: "streamed chat: total",
      baseline,
      async fn() {
        await run();
      },
    });
  }
  for (const format of ["float", "base64"] as const) {
    for (const [name, app] of Object.entries(apps)) {
      Deno.bench({
        name: `${name} (${format})`,
        group: `embeddings, 100 inputs, ${format}`,
        baseline: name.startsWith("no cache"),
        async fn() {
          await embed(app, name.startsWith("no cache") ? null : "hit", format);
        },
      });
    }
  }
  let stopped = false;
  Deno.bench({
    name: "stop the server workers",
    group: "teardown",
    n: 1,
    warmup: 0,
    async fn() {
      // Registered last, so it runs last (once; deno bench also runs a warmup).
      if (stopped) return;
      stopped = true;
      await teardown();
    },
  });
}
