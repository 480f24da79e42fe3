/**
 * Memory check: consume a generated 1,000,000-event Azure chat stream and print the heap
 * before, the largest heapUsed seen (sampled every 10,000 events; includes garbage not yet
 * collected), the largest live heap (after a forced GC every 100,000 events) and the heap
 * after. The body is generated on demand (32 events per pull), so growth is the stream's own.
 * Two passes: `Stream<ChatCompletionChunk>` (parse only), and `ChatCompletionStream`, which
 * also accumulates the reply for `finalChatCompletion()` (its text is ~5 chars per event).
 *
 * Run: `deno run --v8-flags=--expose-gc bench/sse_memory.ts [events]`
 *
 * @module
 */
import { ChatCompletionStream, Stream } from "../src/streaming/mod.ts";
import type { ChatCompletionChunk } from "../src/types/mod.ts";
import { chatEventText } from "./sse_fixture.ts";
import { countArgs } from "./_args.ts";

const [EVENTS] = countArgs(
  Deno.args,
  [1_000_000],
  "usage: deno run --v8-flags=--expose-gc bench/sse_memory.ts [events=1000000]",
);
const PER_PULL = 32;
const SAMPLE_EVERY = 10_000;
const GC_EVERY = 100_000;
const encoder = new TextEncoder();
const gc = (globalThis as { gc?: () => void }).gc;

function generatedResponse(events: number): Response {
  let i = 0;
  const body = new ReadableStream<Uint8Array>({
    pull(controller): void {
      let text = "";
      const end = Math.min(i + PER_PULL, events);
      for (; i < end; i++) text += chatEventText(i);
      if (i === events) text += "data: [DONE]\n\n";
      controller.enqueue(encoder.encode(text));
      if (i === events) controller.close();
    },
  }, { highWaterMark: 0 });
  return new Response(body, { headers: { "content-type": "text/event-stream" } });
}

function heapMiB(): number {
  return Deno.memoryUsage().heapUsed / 2 ** 20;
}

async function pass(accumulate: boolean): Promise<void> {
  gc?.();
  const before = heapMiB();
  let peak = before;
  let live = before;
  let count = 0;
  const response = generatedResponse(EVENTS);
  const stream = accumulate
    ? new ChatCompletionStream(response)
    : new Stream<ChatCompletionChunk>(response);
  for await (const _ of stream) {
    if (++count % SAMPLE_EVERY === 0) peak = Math.max(peak, heapMiB());
    if (gc && count % GC_EVERY === 0) {
      gc();
      live = Math.max(live, heapMiB());
    }
  }
  let textLength = 0;
  if (stream instanceof ChatCompletionStream) {
    textLength = (await stream.finalChatCompletion()).choices[0].message.content?.length ?? 0;
  }
  peak = Math.max(peak, heapMiB());
  gc?.();
  const after = heapMiB();
  const label = accumulate ? "ChatCompletionStream + final" : "Stream (parse only)";
  console.log(
    `${label.padEnd(29)} chunks ${count}  heap before ${before.toFixed(1)} MiB  ` +
      `max used ${peak.toFixed(1)} MiB  max live ${live.toFixed(1)} MiB  ` +
      `after ${after.toFixed(1)} MiB` +
      (accumulate ? `  (reply text: ${(textLength / 1e6).toFixed(1)} M chars, still held)` : ""),
  );
  if (count !== EVENTS) throw new Error(`saw ${count} chunks, expected ${EVENTS}`);
  // Keep the stream (and the accumulated reply) reachable until after the last sample.
  if (stream.response.bodyUsed === undefined) console.log("unreachable");
}

if (!gc) console.log("note: run with --v8-flags=--expose-gc for stable before/after numbers");
await pass(false);
await pass(true);
