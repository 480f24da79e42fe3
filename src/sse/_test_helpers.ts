// Test helpers for the SSE parser: a deliberately naive, line-by-line transcription of
// the WHATWG "event stream interpretation" algorithm, used as the oracle that the fast
// parser is compared with, plus chunking utilities. Not exported from mod.ts.
import { ServerSentEventParser } from "./parser.ts";
import type { ServerSentEventParserOptions } from "./parser_options.ts";
import type { ServerSentEvent } from "./server_sent_event.ts";

const encoder = new TextEncoder();

/** UTF-8 bytes of `text` (no BOM added). */
export function utf8(text: string): Uint8Array {
  return encoder.encode(text);
}

/** Concatenates byte arrays. */
export function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/** The oracle: decode the whole stream (one BOM stripped, U+FFFD), then run the spec. */
export function referenceParse(bytes: Uint8Array): ServerSentEvent[] {
  const text = new TextDecoder().decode(bytes);
  const events: ServerSentEvent[] = [];
  let data = "";
  let eventType = "";
  let lastEventId = "";
  let retry: number | undefined;
  const lineEnd = /\r\n|\r|\n/g;
  let start = 0;
  for (let match = lineEnd.exec(text); match !== null; match = lineEnd.exec(text)) {
    const line = text.slice(start, match.index);
    start = lineEnd.lastIndex;
    if (line === "") {
      if (data === "") {
        eventType = "";
        retry = undefined;
        continue;
      }
      if (data.endsWith("\n")) data = data.slice(0, -1);
      const event: ServerSentEvent = {
        event: eventType === "" ? "message" : eventType,
        data,
        id: lastEventId,
      };
      if (retry !== undefined) event.retry = retry;
      events.push(event);
      data = "";
      eventType = "";
      retry = undefined;
      continue;
    }
    if (line.startsWith(":")) continue;
    const colon = line.indexOf(":");
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? "" : line.slice(colon + 1);
    if (value.startsWith(" ")) value = value.slice(1);
    if (field === "event") eventType = value;
    else if (field === "data") data += value + "\n";
    else if (field === "id") {
      if (!value.includes("\0")) lastEventId = value;
    } else if (field === "retry") {
      if (/^[0-9]+$/.test(value)) retry = Number(value);
    }
  }
  return events;
}

/** Runs the fast parser over `chunks` and returns what it dispatched. */
export function parseChunks(
  chunks: readonly Uint8Array[],
  options?: ServerSentEventParserOptions,
): ServerSentEvent[] {
  const events: ServerSentEvent[] = [];
  const parser = new ServerSentEventParser((event) => events.push(event), options);
  for (const chunk of chunks) parser.feed(chunk);
  return events;
}

/** `bytes` cut into pieces of `size` bytes. */
export function pieces(bytes: Uint8Array, size: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let i = 0; i < bytes.length; i += size) out.push(bytes.slice(i, i + size));
  return out;
}

/** A small deterministic PRNG (mulberry32) so fuzz failures reproduce. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
