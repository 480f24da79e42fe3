// Peak memory of one large audio upload through the bundled edge app (compat/.build/edge.mjs) on
// Node or Bun, as bench/upload_memory.ts measures it on Deno: the multipart body arrives as a
// stream of 64 KiB chunks with its content-length, the app parses it as it streams
// (readFormLimited) and sends it upstream, and the upstream drains it. Prints the process's peak
// RSS over its level before the request, as a multiple of the upload's size. One request per
// process: run it a few times. With `formdata` after the size it measures the platform's own
// request.formData() over the same body instead (the floor for parsing as it streams). From
// compat/, after sh build_runtime.sh:
//   node --expose-gc bench/upload_memory.mjs [bytes] [formdata]
//   node_modules/.bin/bun bench/upload_memory.mjs [bytes] [formdata]
import { createEdgeApp } from "../.build/edge.mjs";

const KEY = "edge-key-for-the-memory-bench";
const size = Number(process.argv[2] ?? 24_000_000);
const platformOnly = process.argv[3] === "formdata";
const runtime = globalThis.Bun ? `bun ${Bun.version}` : `node ${process.version}`;
let peak = 0;
const sample = () => {
  const rss = process.memoryUsage.rss();
  if (rss > peak) peak = rss;
};
const app = createEdgeApp({
  clientKeys: [KEY],
  upstream: {
    endpoint: "http://upstream.local",
    apiKey: "azure-key",
    fetch: async (request) => {
      let received = 0;
      for await (const chunk of request.body) {
        received += chunk.byteLength;
        sample();
      }
      return Response.json({ text: `${received} bytes` });
    },
  },
  playground: false,
});

const audio = new Uint8Array(size);
for (let i = 0; i < size; i += 4096) audio[i] = i & 255;
const form = new FormData();
form.set("file", new File([audio], "talk.wav", { type: "audio/wav" }));
const encoded = new Response(form);
const contentType = encoded.headers.get("content-type");
const wire = new Uint8Array(await encoded.arrayBuffer());

const gc = () => (globalThis.Bun ? Bun.gc(true) : globalThis.gc?.());
gc();
await new Promise((resolve) => setTimeout(resolve, 50));
const base = process.memoryUsage.rss();
peak = base;
const timer = setInterval(sample, 1);
let offset = 0;
const body = new ReadableStream({
  pull(controller) {
    if (offset >= wire.length) return controller.close();
    controller.enqueue(wire.slice(offset, offset += 65_536));
    sample();
  },
});
const request = new Request(
  "http://edge.local/openai/deployments/whisper/audio/transcriptions?api-version=2024-10-21",
  {
    method: "POST",
    headers: { "api-key": KEY, "content-type": contentType, "content-length": `${wire.length}` },
    body,
    duplex: "half",
  },
);
const res = platformOnly
  ? Response.json({ size: (await request.formData()).get("file").size })
  : await app.fetch(request);
const answer = await res.text();
sample();
clearInterval(timer);
if (res.status !== 200) throw new Error(`the app answered ${res.status}: ${answer.slice(0, 200)}`);
const mb = (n) => (n / 1e6).toFixed(1);
console.log(
  `${runtime}${platformOnly ? " request.formData() alone" : ""}: upload ${
    mb(wire.length)
  } MB: peak RSS ${mb(peak - base)} MB over the start, ` +
    `${((peak - base) / wire.length).toFixed(2)}x the upload`,
);
