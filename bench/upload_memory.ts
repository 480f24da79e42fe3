/**
 * Peak memory of one large audio upload through the edge app's pass-through: the multipart body
 * arrives as a stream of 64 KiB chunks (as over the wire), the app checks it and sends it upstream,
 * and the upstream drains it. Reports the process's peak RSS over its level before the request, as
 * a multiple of the upload's size (Workers give an isolate 128 MB, so a 25 MB upload held five
 * times over does not fit). One request per process: run it a few times. With `formdata` after
 * the size it measures Deno's own `request.formData()` over the same body instead (the floor for
 * parsing as it streams), as `compat/bench/upload_memory.mjs` does on Node and Bun.
 *
 * `npx --yes deno@2.9.6 run -A --v8-flags=--expose-gc bench/upload_memory.ts [bytes] [formdata]`
 */
import { AzureOpenAI } from "../src/client.ts";
import { createEdgeApp } from "../edge/mod.ts";
import { countArgs, UsageError } from "./_args.ts";

const USAGE =
  "usage: deno run -A --v8-flags=--expose-gc bench/upload_memory.ts [bytes=24000000] [formdata]";
const [sizeArg, mode, ...rest] = Deno.args;
if ((mode !== undefined && mode !== "formdata") || rest.length > 0) {
  throw new UsageError(`'${[mode, ...rest].join(" ")}' after the size: only formdata; ${USAGE}`);
}
const [size] = countArgs(sizeArg === undefined ? [] : [sizeArg], [24_000_000], USAGE);
const platformOnly = mode === "formdata";
const KEY = "edge-key-for-the-memory-bench";
let peak = 0;
const sample = () => {
  const rss = Deno.memoryUsage().rss;
  if (rss > peak) peak = rss;
};
const upstream = new AzureOpenAI({
  endpoint: "http://upstream.local",
  apiKey: "azure-key",
  fetch: async (request: Request) => {
    let received = 0;
    for await (const chunk of request.body!) {
      received += chunk.byteLength;
      sample();
    }
    return Response.json({ text: `${received} bytes` });
  },
});
const app = createEdgeApp({ clientKeys: [KEY], upstream });

const audio = new Uint8Array(size);
for (let i = 0; i < size; i += 4096) audio[i] = i & 255;
const form = new FormData();
form.set("file", new File([audio], "talk.wav", { type: "audio/wav" }));
const encoded = new Response(form);
const contentType = encoded.headers.get("content-type")!;
const wire = new Uint8Array(await encoded.arrayBuffer());

(globalThis as { gc?: () => void }).gc?.();
await new Promise((resolve) => setTimeout(resolve, 50));
const base = Deno.memoryUsage().rss;
peak = base;
const timer = setInterval(sample, 1);
let offset = 0;
const body = new ReadableStream<Uint8Array>({
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
  },
);
const res = platformOnly
  ? Response.json({ size: ((await request.formData()).get("file") as File).size })
  : await app.fetch(request);
const answer = await res.text();
sample();
clearInterval(timer);
if (res.status !== 200) throw new Error(`the app answered ${res.status}: ${answer.slice(0, 200)}`);
const mb = (n: number) => (n / 1e6).toFixed(1);
console.log(
  `${platformOnly ? "request.formData() alone: " : ""}upload ${mb(wire.length)} MB: peak RSS ${
    mb(peak - base)
  } MB over the start, ` +
    `${((peak - base) / wire.length).toFixed(2)}x the upload`,
);
