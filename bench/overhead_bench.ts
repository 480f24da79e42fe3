/**
 * Request overhead: 1,000 sequential embeddings calls (8 and 1536 dimensions) against a local
 * server that answers precomputed responses from its own thread (a Worker), by:
 * - raw `fetch` + `response.json()` (same URL, headers and body as ours) — the baseline,
 * - ours (`client.embeddings.create`, default client: retry + timeout middleware),
 * - the official `openai` SDK's `AzureOpenAI`.
 *
 * Two groups per size: float JSON on the wire, and base64 on the wire decoded to `number[]`
 * (our default and the SDK's default). Comparing the groups answers whether asking for base64
 * and decoding pays against asking for float.
 *
 * Run: `deno bench -A bench/overhead_bench.ts`
 *
 * @module
 */
import { AzureOpenAI as OpenAIAzure } from "openai";
import { AzureOpenAI } from "../mod.ts";
import {
  BENCH_API_VERSION,
  BENCH_KEY,
  deploymentFor,
  INPUT,
  unitVector,
} from "./overhead_fixture.ts";

const CALLS = 1000;
const DIMS = [8, 1536];

const worker = new Worker(new URL("./overhead_server.ts", import.meta.url), { type: "module" });
const port = await new Promise<number>((resolve) => {
  worker.onmessage = (e: MessageEvent<{ port: number }>) => resolve(e.data.port);
  worker.postMessage({ dims: DIMS });
});
const endpoint = `http://127.0.0.1:${port}`;

type Format = "float" | "base64";
type Call = (dims: number) => Promise<number[]>;

/** Raw fetch: the same request ours sends, then JSON (and base64 decode when asked). */
function rawCall(format: Format): Call {
  return async (dims) => {
    const url = `${endpoint}/openai/deployments/${deploymentFor(dims)}/embeddings` +
      `?api-version=${BENCH_API_VERSION}`;
    const res = await fetch(url, {
      method: "POST",
      headers: {
        "api-key": BENCH_KEY,
        "accept": "application/json",
        "content-type": "application/json",
      },
      body: JSON.stringify({ input: INPUT, encoding_format: format }),
    });
    if (!res.ok) throw new Error(`raw fetch: HTTP ${res.status}`);
    const json = await res.json() as { data: Array<{ embedding: number[] | string }> };
    const e = json.data[0].embedding;
    if (typeof e !== "string") return e;
    const bin = atob(e);
    const bytes = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
    return Array.from(new Float32Array(bytes.buffer, 0, bytes.length >>> 2));
  };
}

const ours = new AzureOpenAI({ endpoint, apiKey: BENCH_KEY, apiVersion: BENCH_API_VERSION });
function oursCall(format: Format): Call {
  return async (dims) => {
    const res = format === "float"
      ? await ours.embeddings.create({
        model: deploymentFor(dims),
        input: INPUT,
        encoding_format: "float",
      })
      : await ours.embeddings.create({ model: deploymentFor(dims), input: INPUT });
    return res.data[0].embedding;
  };
}

const sdk = new OpenAIAzure({ endpoint, apiKey: BENCH_KEY, apiVersion: BENCH_API_VERSION });
function sdkCall(format: Format): Call {
  return async (dims) => {
    const res = format === "float"
      ? await sdk.embeddings.create({
        model: deploymentFor(dims),
        input: INPUT,
        encoding_format: "float",
      })
      : await sdk.embeddings.create({ model: deploymentFor(dims), input: INPUT });
    return res.data[0].embedding;
  };
}

/** Fails the bench early when a contender gets a wrong vector. */
async function verify(name: string, call: Call, dims: number): Promise<void> {
  const got = await call(dims);
  const want = unitVector(dims);
  if (got.length !== dims) throw new Error(`${name}: ${got.length} values, expected ${dims}`);
  for (let i = 0; i < dims; i++) {
    if (Math.abs(got[i] - want[i]) > 1e-8) {
      throw new Error(`${name}: value ${i} is ${got[i]}, expected ${want[i]}`);
    }
  }
}

/** Checks that raw fetch sends what ours sends: same URL, body and headers. */
async function verifySameRequest(): Promise<void> {
  const seen: Request[] = [];
  const capture = (req: Request, init?: RequestInit): Promise<Response> => {
    seen.push(req.clone());
    return fetch(req, init);
  };
  const spy = new AzureOpenAI({
    endpoint,
    apiKey: BENCH_KEY,
    apiVersion: BENCH_API_VERSION,
    fetch: capture,
  });
  await spy.embeddings.create({ model: deploymentFor(8), input: INPUT });
  const req = seen[0];
  const url = `${endpoint}/openai/deployments/${deploymentFor(8)}/embeddings` +
    `?api-version=${BENCH_API_VERSION}`;
  const body = JSON.stringify({ input: INPUT, encoding_format: "base64" });
  const headers = [...req.headers].map(([k]) => k).sort().join(",");
  if (req.url !== url) throw new Error(`ours sent ${req.url}, raw sends ${url}`);
  if (await req.text() !== body) throw new Error("ours sent another body than raw fetch");
  if (headers !== "accept,api-key,content-type") {
    throw new Error(`ours sent headers ${headers}; update the raw baseline to match`);
  }
}

await verifySameRequest();
const CONTENDERS: Array<[string, (f: Format) => Call]> = [
  ["raw fetch", rawCall],
  ["ours", oursCall],
  ["openai SDK", sdkCall],
];
for (const dims of DIMS) {
  for (const format of ["float", "base64"] as const) {
    for (const [who, make] of CONTENDERS) await verify(`${who} ${format}`, make(format), dims);
  }
}

for (const dims of DIMS) {
  for (const format of ["float", "base64"] as const) {
    const wire = format === "float" ? "float JSON on the wire" : "base64 on the wire, decoded";
    const group = `embeddings ${dims} dims, ${wire}, ${CALLS} calls`;
    for (const [who, make] of CONTENDERS) {
      const call = make(format);
      Deno.bench({
        name: `${who} (${dims}d, ${format})`,
        group,
        baseline: who === "raw fetch",
        n: 10,
        warmup: 2,
        async fn() {
          for (let i = 0; i < CALLS; i++) await call(dims);
        },
      });
    }
  }
}

let stopped = false;
Deno.bench({
  name: "stop the server worker",
  group: "teardown",
  n: 1,
  warmup: 0,
  async fn() {
    // Registered last, so it runs last: shut the worker's server down (once; deno bench always
    // runs one warmup too).
    if (stopped) return;
    stopped = true;
    await new Promise<void>((resolve) => {
      worker.onmessage = () => resolve();
      worker.postMessage("stop");
    });
    worker.terminate();
  },
});
