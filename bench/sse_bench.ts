/**
 * SSE parser throughput: a synthetic 50,000-event Azure chat stream cut into 64 B,
 * 1 KiB and 16 KiB chunks, parsed by ours, by npm `eventsource-parser` and by the
 * floor (UTF-8 decode + counting newlines).
 *
 * Run: `deno bench -A bench/sse_bench.ts`
 *
 * @module
 */
import { EventSourceParserStream } from "eventsource-parser/stream";
import { ServerSentEventParserStream } from "../src/sse/mod.ts";
import { chatStreamBytes, cut, streamOf } from "./sse_fixture.ts";

const EVENTS = 50_000;
const bytes = chatStreamBytes(EVENTS);
const SIZES: Array<[string, number]> = [["64 B", 64], ["1 KiB", 1024], ["16 KiB", 16 * 1024]];

function check(count: number, expected: number, who: string): void {
  if (count !== expected) throw new Error(`${who}: counted ${count}, expected ${expected}`);
}

async function drain<T>(stream: ReadableStream<T>): Promise<number> {
  const reader = stream.getReader();
  let count = 0;
  for (;;) {
    const { done } = await reader.read();
    if (done) return count;
    count++;
  }
}

for (const [label, size] of SIZES) {
  const chunks = cut(bytes, size);
  const group = `sse parse ${label} chunks (${(bytes.length / 1e6).toFixed(1)} MB)`;

  Deno.bench({
    name: `floor: TextDecoderStream + count LF (${label})`,
    group,
    async fn() {
      const reader = streamOf(chunks).pipeThrough(new TextDecoderStream()).getReader();
      let lines = 0;
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        let i = value.indexOf("\n");
        while (i !== -1) {
          lines++;
          i = value.indexOf("\n", i + 1);
        }
      }
      check(lines, (EVENTS + 1) * 2, "floor");
    },
  });

  Deno.bench({
    name: `ours: ServerSentEventParserStream (${label})`,
    group,
    baseline: true,
    async fn() {
      const count = await drain(streamOf(chunks).pipeThrough(new ServerSentEventParserStream()));
      check(count, EVENTS + 1, "ours");
    },
  });

  Deno.bench({
    name: `eventsource-parser: EventSourceParserStream (${label})`,
    group,
    async fn() {
      const events = streamOf(chunks)
        .pipeThrough(new TextDecoderStream())
        .pipeThrough(new EventSourceParserStream());
      check(await drain(events), EVENTS + 1, "eventsource-parser");
    },
  });
}
