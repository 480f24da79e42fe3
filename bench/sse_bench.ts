/**
 * SSE parser throughput: a synthetic 50,000-event Azure chat stream (~24 MB) cut into 64 B,
 * 1 KiB and 16 KiB chunks, parsed by ours (`ServerSentEventParserStream`), by npm
 * `eventsource-parser` (`EventSourceParserStream` after a `TextDecoderStream`, as its users
 * do) and by the floor (`TextDecoderStream` + counting newlines). Every contender is read
 * event by event through a `ReadableStream` reader.
 *
 * A last group per text compares the parser cores without any stream (what
 * `ChatCompletionStream` uses): ours `ServerSentEventParser.feed(bytes)` vs
 * eventsource-parser's `createParser().feed(text)` after a streaming `TextDecoder`, on 16 KiB
 * chunks, with the floor being that `TextDecoder` + counting newlines.
 *
 * Two texts: "mixed" (1 token in 10 is CJK, so most decoded chunks are two-byte strings) and
 * "ascii" (plain English). Set `SSE_BENCH_TEXT=mixed` or `=ascii` to run one of them.
 *
 * Run: `deno bench -A bench/sse_bench.ts`
 *
 * @module
 */
import { createParser } from "eventsource-parser";
import { EventSourceParserStream } from "eventsource-parser/stream";
import { ServerSentEventParser, ServerSentEventParserStream } from "../src/sse/mod.ts";
import { chatStreamBytes, cut, streamOf } from "./sse_fixture.ts";
import { oneOrAll } from "./_args.ts";

const EVENTS = 50_000;
const SIZES: Array<[string, number]> = [["64 B", 64], ["1 KiB", 1024], ["16 KiB", 16 * 1024]];
const TEXTS = oneOrAll("SSE_BENCH_TEXT", Deno.env.get("SSE_BENCH_TEXT"), ["mixed", "ascii"]);

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

for (const text of TEXTS) {
  const bytes = chatStreamBytes(EVENTS, text);
  const mb = `${(bytes.length / 1e6).toFixed(1)} MB`;
  for (const [size, label] of SIZES.map(([l, s]) => [s, `${l}, ${text}`] as const)) {
    register(cut(bytes, size), label, `sse parse ${label} (${mb})`);
  }
  registerCores(cut(bytes, 16 * 1024), `16 KiB, ${text}`, `parser cores, no streams: ${text}`);
}

function registerCores(chunks: Uint8Array[], label: string, group: string): void {
  Deno.bench({
    name: `floor: TextDecoder({ stream }) + count LF (${label})`,
    group,
    fn() {
      const decoder = new TextDecoder();
      let lines = 0;
      for (const chunk of chunks) {
        const text = decoder.decode(chunk, { stream: true });
        let i = text.indexOf("\n");
        while (i !== -1) {
          lines++;
          i = text.indexOf("\n", i + 1);
        }
      }
      check(lines, (EVENTS + 1) * 2, "floor");
    },
  });
  Deno.bench({
    name: `ours: ServerSentEventParser.feed (${label})`,
    group,
    baseline: true,
    fn() {
      let count = 0;
      const parser = new ServerSentEventParser(() => count++);
      for (const chunk of chunks) parser.feed(chunk);
      check(count, EVENTS + 1, "ours");
    },
  });
  Deno.bench({
    name: `eventsource-parser: createParser().feed (${label})`,
    group,
    fn() {
      let count = 0;
      const decoder = new TextDecoder();
      const parser = createParser({ onEvent: () => count++ });
      for (const chunk of chunks) parser.feed(decoder.decode(chunk, { stream: true }));
      check(count, EVENTS + 1, "eventsource-parser");
    },
  });
}

function register(chunks: Uint8Array[], label: string, group: string): void {
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
