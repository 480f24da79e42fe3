/**
 * The contenders of the request-overhead benches, each a function making one embeddings call
 * and resolving to the vector: raw `fetch` (the same URL, headers and body as ours, then JSON
 * and, for base64, a decode), ours (`client.embeddings.create`) and the `openai` SDK.
 *
 * @module
 */
import { AzureOpenAI as OpenAIAzure } from "openai";
import { AzureOpenAI, type AzureOpenAIOptions } from "../mod.ts";
import {
  BENCH_API_VERSION,
  BENCH_KEY,
  deploymentFor,
  INPUT,
  unitVector,
} from "./overhead_fixture.ts";

/** What goes on the wire: float JSON numbers or base64 of float32 (decoded by the caller). */
export type Format = "float" | "base64";
/** One embeddings call for `dims` dimensions. */
export type Call = (dims: number) => Promise<number[]>;

/** Raw fetch: the request ours sends, then `response.json()` (and a base64 decode). */
export function rawCall(endpoint: string, format: Format): Call {
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

/** Ours; `format` "base64" is our default (nothing passed), "float" asks for float. */
export function oursCall(
  endpoint: string,
  format: Format,
  options: Partial<AzureOpenAIOptions> = {},
): Call {
  const client = new AzureOpenAI({
    endpoint,
    apiKey: BENCH_KEY,
    apiVersion: BENCH_API_VERSION,
    ...options,
  });
  return async (dims) => {
    const res = format === "float"
      ? await client.embeddings.create({
        model: deploymentFor(dims),
        input: INPUT,
        encoding_format: "float",
      })
      : await client.embeddings.create({ model: deploymentFor(dims), input: INPUT });
    return res.data[0].embedding;
  };
}

/** The openai SDK's AzureOpenAI; "base64" is its default too. */
export function sdkCall(endpoint: string, format: Format): Call {
  const client = new OpenAIAzure({ endpoint, apiKey: BENCH_KEY, apiVersion: BENCH_API_VERSION });
  return async (dims) => {
    const res = format === "float"
      ? await client.embeddings.create({
        model: deploymentFor(dims),
        input: INPUT,
        encoding_format: "float",
      })
      : await client.embeddings.create({ model: deploymentFor(dims), input: INPUT });
    return res.data[0].embedding;
  };
}

/** Throws when a contender gets a wrong vector. */
export async function verify(name: string, call: Call, dims: number): Promise<void> {
  const got = await call(dims);
  const want = unitVector(dims);
  if (got.length !== dims) throw new Error(`${name}: ${got.length} values, expected ${dims}`);
  for (let i = 0; i < dims; i++) {
    if (Math.abs(got[i] - want[i]) > 1e-8) {
      throw new Error(`${name}: value ${i} is ${got[i]}, expected ${want[i]}`);
    }
  }
}

/** Throws unless raw fetch sends what ours sends: same URL, body and header names. */
export async function verifySameRequest(endpoint: string): Promise<void> {
  const seen: Request[] = [];
  const spy = new AzureOpenAI({
    endpoint,
    apiKey: BENCH_KEY,
    apiVersion: BENCH_API_VERSION,
    fetch: (req, init) => {
      seen.push(req.clone());
      return fetch(req, init);
    },
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
