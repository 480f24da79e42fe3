/**
 * Reading a relayed chat stream on a page: `ChatCompletionStream.fromReadableStream(body)` over
 * the JSON lines `toReadableStream()` writes (ours and the openai SDK's write the same), ours
 * against the SDK's `Stream.fromReadableStream()`, and ours over the same chunks as an event
 * stream (what the Azure service sends), side by side. 4,000 chunks of about 350 bytes (1.4 MB),
 * delivered in 16 KiB pieces; each way counts the chunks it read (checked before benching).
 *
 * Run: `deno bench -A bench/json_lines_bench.ts`
 *
 * @module
 */
import { Stream as SdkStream } from "openai/streaming";
import { ChatCompletionStream } from "../mod.ts";

const N = 4000;
const chunk = (i: number) => ({
  id: "chatcmpl-1",
  object: "chat.completion.chunk",
  created: 1,
  model: "gpt-4o",
  choices: [{ index: 0, delta: { content: `token ${i} ${"x".repeat(200)}` }, finish_reason: null }],
});
const CHUNKS = Array.from({ length: N }, (_, i) => JSON.stringify(chunk(i)));
const LINES = new TextEncoder().encode(CHUNKS.map((c) => c + "\n").join(""));
const EVENTS = new TextEncoder().encode(
  CHUNKS.map((c) => `data: ${c}\n\n`).join("") + "data: [DONE]\n\n",
);

/** `bytes` as a body in 16 KiB pieces. */
function body(bytes: Uint8Array): ReadableStream<Uint8Array> {
  let at = 0;
  return new ReadableStream({
    pull(c) {
      if (at >= bytes.length) return c.close();
      c.enqueue(bytes.subarray(at, at += 16384));
    },
  });
}

async function count(stream: AsyncIterable<unknown>): Promise<number> {
  let n = 0;
  for await (const _ of stream) n++;
  return n;
}

const WAYS: [string, () => Promise<number>][] = [
  [
    "ours: fromReadableStream() of JSON lines",
    () => count(ChatCompletionStream.fromReadableStream(body(LINES))),
  ],
  [
    "openai SDK: Stream.fromReadableStream() of JSON lines",
    () => count(SdkStream.fromReadableStream(body(LINES), new AbortController())),
  ],
  [
    "ours: fromReadableStream() of the same chunks as events",
    () => count(ChatCompletionStream.fromReadableStream(body(EVENTS))),
  ],
];

for (const [name, read] of WAYS) {
  const n = await read();
  if (n !== N) throw new Error(`${name} read ${n} chunks, not ${N}`);
}
for (const [name, read] of WAYS) {
  Deno.bench({
    name,
    group: "4,000 relayed chunks (1.4 MB)",
    baseline: name.startsWith("ours: fromReadableStream() of JSON"),
    n: 60,
    warmup: 6,
  }, async () => {
    await read();
  });
}
