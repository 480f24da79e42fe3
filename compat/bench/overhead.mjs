// Request overhead in Node: 1,000 sequential embeddings calls (8 and 1536 dimensions) against a
// local node:http server in its own process, by raw fetch + JSON (same URL, headers, body as
// ours), ours (the bundled core, compat/.build/core.mjs; also with retry and timeout off) and the
// official openai SDK; float JSON and base64 on the wire. Warmup, then rounds interleaved across
// contenders; reports the median of the rounds (wall ms per 1,000 calls and client-process CPU
// µs per call).
// Run from the repo root: `sh compat/build_runtime.sh && node compat/bench/overhead.mjs [rounds]`
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { AzureOpenAI as OpenAIAzure } from "openai";
import { AzureOpenAI } from "../.build/core.mjs";
import { BENCH_API_VERSION, BENCH_KEY, INPUT, unitVector } from "../.build/bench_fixture.mjs";

const CALLS = 1000;
const ROUNDS = Number(process.argv[2] ?? 5);
const DIMS = [8, 1536];

const server = spawn(process.execPath, [
  fileURLToPath(new URL("./_overhead_server.mjs", import.meta.url)),
], { stdio: ["pipe", "pipe", "inherit"] });
const port = await new Promise((resolve, reject) => {
  server.stdout.once("data", (d) => resolve(Number(String(d).trim())));
  server.once(
    "exit",
    (code) => reject(new Error(`bench server exited ${code}`)),
  );
});
const endpoint = `http://127.0.0.1:${port}`;

function rawCall(format) {
  return async (dims) => {
    const url = `${endpoint}/openai/deployments/emb-${dims}/embeddings` +
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
    const e = (await res.json()).data[0].embedding;
    if (typeof e !== "string") return e;
    const bin = atob(e);
    const bytes = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
    return Array.from(new Float32Array(bytes.buffer, 0, bytes.length >>> 2));
  };
}

const ours = new AzureOpenAI({ endpoint, apiKey: BENCH_KEY, apiVersion: BENCH_API_VERSION });
const oursBare = new AzureOpenAI({
  endpoint,
  apiKey: BENCH_KEY,
  apiVersion: BENCH_API_VERSION,
  maxRetries: 0,
  timeoutMs: 0,
});
const sdk = new OpenAIAzure({
  endpoint,
  apiKey: BENCH_KEY,
  apiVersion: BENCH_API_VERSION,
});
function clientCall(client) {
  return (format) => async (dims) => {
    const params = { model: `emb-${dims}`, input: INPUT };
    if (format === "float") params.encoding_format = "float";
    return (await client.embeddings.create(params)).data[0].embedding;
  };
}

const CONTENDERS = [
  ["raw fetch", rawCall],
  ["ours", clientCall(ours)],
  ["openai SDK", clientCall(sdk)],
  ["ours, maxRetries: 0 + timeoutMs: 0", clientCall(oursBare)],
];

async function verify(name, call, dims) {
  const got = await call(dims);
  const want = unitVector(dims);
  if (got.length !== dims) {
    throw new Error(`${name}: ${got.length} values, expected ${dims}`);
  }
  for (let i = 0; i < dims; i++) {
    if (Math.abs(got[i] - want[i]) > 1e-8) {
      throw new Error(`${name}: value ${i} differs`);
    }
  }
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

try {
  console.log(
    `Node ${process.version}, ${ROUNDS} rounds of ${CALLS} calls, median\n`,
  );
  console.log(
    "| dims | wire | contender | ms / 1000 calls | vs raw | client CPU µs/call |",
  );
  console.log("| ---: | --- | --- | ---: | ---: | ---: |");
  for (const dims of DIMS) {
    for (const format of ["float", "base64"]) {
      const calls = CONTENDERS.map(([name, make]) => [name, make(format)]);
      for (const [name, call] of calls) {
        await verify(`${name} ${format}`, call, dims);
        for (let i = 0; i < 200; i++) await call(dims);
      }
      const wall = new Map(calls.map(([n]) => [n, []]));
      const cpu = new Map(calls.map(([n]) => [n, []]));
      for (let r = 0; r < ROUNDS; r++) {
        for (const [name, call] of calls) {
          const c0 = process.cpuUsage();
          const t0 = performance.now();
          for (let i = 0; i < CALLS; i++) await call(dims);
          wall.get(name).push(performance.now() - t0);
          const c = process.cpuUsage(c0);
          cpu.get(name).push((c.user + c.system) / CALLS);
        }
      }
      const raw = median(wall.get("raw fetch"));
      for (const [name] of calls) {
        const w = median(wall.get(name));
        console.log(
          `| ${dims} | ${format} | ${name} | ${w.toFixed(1)} | ${(w / raw).toFixed(2)}× | ` +
            `${median(cpu.get(name)).toFixed(0)} |`,
        );
      }
    }
  }
} finally {
  server.stdin.end();
}
