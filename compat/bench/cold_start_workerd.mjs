// Cold start in workerd (miniflare): for each worker — raw fetch (floor), @aoai/edge, the
// official openai SDK — bundled minified with `deno bundle`, N times each (default 10, runs
// interleaved): time from `new Miniflare(...)` to the parsed response of the first
// `dispatchFetch` (the worker makes one embeddings call to a local node:http server). Reports
// medians, also split into "ready" (workerd started, script loaded) and "first request".
// Run from the repo root: `node compat/bench/cold_start_workerd.mjs [runs]`
import { execFileSync } from "node:child_process";
import { mkdirSync, statSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Miniflare } from "miniflare";
import { embeddingsBodies } from "../.build/bench_fixture.mjs";
import { serve } from "../tests/_serve.mjs";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const OUT = `${ROOT}compat/.build/cold`;
const RUNS = Number(process.argv[2] ?? 10);
const KEY = "cold-start-key";
const WORKERS = [
  ["raw fetch (no library)", "bench/cold_start/workerd_raw.ts"],
  ["@aoai/edge (mod.ts)", "bench/cold_start/workerd_ours.ts"],
  ["openai 6.49.0 AzureOpenAI", "bench/cold_start/workerd_openai.ts"],
];

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

function bundle(entry) {
  mkdirSync(OUT, { recursive: true });
  const out = `${OUT}/${entry.split("/").at(-1).replace(/\.ts$/, ".mjs")}`;
  execFileSync("npx", [
    "--yes",
    "deno@2.9.6",
    "bundle",
    "--minify",
    "--platform=browser",
    "-o",
    out,
    entry,
  ], { cwd: ROOT, stdio: ["ignore", "ignore", "inherit"] });
  return out;
}

async function once(scriptPath, upstreamUrl) {
  const t0 = performance.now();
  const mf = new Miniflare({
    modules: true,
    scriptPath,
    compatibilityDate: "2026-04-01",
    bindings: { UPSTREAM_ENDPOINT: upstreamUrl, UPSTREAM_KEY: KEY },
  });
  try {
    await mf.ready;
    const t1 = performance.now();
    const res = await mf.dispatchFetch("http://cold.test/");
    const body = await res.json();
    const t2 = performance.now();
    if (body.length !== 8) {
      throw new Error(
        `${scriptPath}: unexpected answer ${JSON.stringify(body)}`,
      );
    }
    return { total: t2 - t0, ready: t1 - t0, request: t2 - t1 };
  } finally {
    await mf.dispose();
  }
}

const { float, base64 } = embeddingsBodies(8);
const upstream = await serve(async (request) => {
  const text = await request.text();
  if (request.headers.get("api-key") !== KEY) {
    return new Response("bad key", { status: 401 });
  }
  return new Response(
    text.includes('"encoding_format":"base64"') ? base64 : float,
    {
      headers: { "content-type": "application/json" },
    },
  );
});
try {
  const scripts = WORKERS.map(([, entry]) => bundle(entry));
  for (const script of scripts) await once(script, upstream.url); // unmeasured warm-up
  const samples = scripts.map(() => []);
  // Interleaved, so drift in machine load hits every worker alike.
  for (let i = 0; i < RUNS; i++) {
    for (let w = 0; w < scripts.length; w++) {
      samples[w].push(await once(scripts[w], upstream.url));
    }
  }
  const rows = WORKERS.map(([name], w) => ({
    name,
    bytes: statSync(scripts[w]).size,
    total: median(samples[w].map((s) => s.total)),
    ready: median(samples[w].map((s) => s.ready)),
    request: median(samples[w].map((s) => s.request)),
  }));
  console.log(
    `workerd via miniflare, Node ${process.version}, median of ${RUNS} runs each\n`,
  );
  console.log(
    "| worker | script (min.) | new Miniflare → response | ready | first request | vs raw |",
  );
  console.log("| --- | ---: | ---: | ---: | ---: | ---: |");
  for (const r of rows) {
    console.log(
      `| ${r.name} | ${(r.bytes / 1024).toFixed(1)} KB | ${r.total.toFixed(0)} ms | ` +
        `${r.ready.toFixed(0)} ms | ${r.request.toFixed(1)} ms | ` +
        `${(r.total / rows[0].total).toFixed(2)}× |`,
    );
  }
} finally {
  await upstream.close();
}
