// How often a client sees the edge app's early 413 for a chunked upload over maxMultipartBytes
// when the app is served over HTTP (not a pass/fail test): the app answers before the client
// has sent the whole body, and the server may close the connection on the unread rest, which
// the client's fetch can see as ECONNRESET instead of the 413. From compat/, after sh build.sh
// && sh build_runtime.sh:
//   node bench/early_413_wire.mjs node        (the app behind node:http, tests/_serve.mjs)
//   node bench/early_413_wire.mjs workerd     (the app in workerd through miniflare)
//   node_modules/.bin/bun bench/early_413_wire.mjs bun   (the app behind Bun.serve)
import * as edge from "../.build/edge.mjs";
import { createEmulator } from "../.build/emulator.mjs";
import { serve } from "../tests/_serve.mjs";
import { createUploadApp } from "../runtime/stream_upload_scenarios.mjs";

const which = process.argv[2] ?? "node";
const runs = Number(process.argv[3] ?? 20);
const UPSTREAM_KEY = "runtime-upstream-key";
const emulator = createEmulator({ apiKeys: [UPSTREAM_KEY] });
const upstream = await serve((request) => emulator.fetch(request));
let url;
let send = fetch;
let stop;
if (which === "workerd") {
  const { Miniflare } = await import("miniflare");
  const root = new URL("..", import.meta.url).pathname;
  const mf = new Miniflare({
    modules: true,
    modulesRoot: root,
    scriptPath: `${root}runtime/worker_stream_upload.mjs`,
    compatibilityDate: "2026-04-01",
    bindings: { UPSTREAM_ENDPOINT: upstream.url, UPSTREAM_KEY },
  });
  url = "http://runtime.test";
  send = (u, init) => mf.dispatchFetch(u, init);
  stop = () => mf.dispose();
} else {
  const { app } = createUploadApp({ edge, endpoint: upstream.url, apiKey: UPSTREAM_KEY });
  if (which === "bun") {
    const server = Bun.serve({ port: 0, hostname: "127.0.0.1", fetch: (r) => app.fetch(r) });
    url = `http://127.0.0.1:${server.port}`;
    stop = () => server.stop(true);
  } else {
    const server = await serve((request) => app.fetch(request));
    url = server.url;
    stop = () => server.close();
  }
}
// 1 MiB of audio: four times the scenarios' 256 KiB maxMultipartBytes.
const form = new FormData();
form.set("model", "whisper");
form.set("file", new File([new Uint8Array(1024 * 1024)], "big.wav", { type: "audio/wav" }));
const encoded = new Response(form);
const contentType = encoded.headers.get("content-type");
const wire = new Uint8Array(await encoded.arrayBuffer());
const tally = {};
for (let i = 0; i < runs; i++) {
  let offset = 0;
  const body = new ReadableStream({
    pull(controller) {
      if (offset >= wire.length) return controller.close();
      controller.enqueue(wire.slice(offset, offset += 16_384));
    },
  });
  let outcome;
  try {
    const res = await send(
      `${url}/openai/deployments/whisper/audio/transcriptions?api-version=2025-03-01-preview`,
      {
        method: "POST",
        headers: { "api-key": "runtime-client-key", "content-type": contentType },
        body,
        duplex: "half",
      },
    );
    outcome = `${res.status}`;
    await res.arrayBuffer();
  } catch (err) {
    outcome = `${err.message} ${err.cause?.code ?? err.cause?.message ?? ""}`.trim();
  }
  tally[outcome] = (tally[outcome] ?? 0) + 1;
}
console.log(`${which}: ${runs} uploads of ${wire.length} B over the limit:`, tally);
await stop();
await upstream.close();
