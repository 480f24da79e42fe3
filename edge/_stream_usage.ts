/**
 * Usage of streamed chat under a token limit: the app asks the upstream for the usage event
 * (`stream_options.include_usage`) the client did not ask for, and takes that event out of what
 * the client gets, so the budget is charged what the service counted (reasoning tokens
 * included) instead of an estimate, and the client sees the stream it asked for.
 *
 * @module
 */
import type { EdgeRequestUsage } from "./options.ts";
import { pickUsage, USAGE_KEY } from "./_events.ts";

/**
 * Whether requests on `apiVersion` may carry `stream_options`: `v1`, and dated versions from
 * 2024-08 on (2024-08-01-preview, 2024-09-01-preview, 2024-10-21, ...; earlier ones, 2024-06-01
 * included, refuse it as an unknown parameter).
 */
export function takesStreamOptions(apiVersion: string): boolean {
  return !/^\d{4}-\d\d/.test(apiVersion) || apiVersion >= "2024-08";
}

/** Whether a chat body already asks for the usage event. */
export function asksUsage(json: Record<string, unknown>): boolean {
  const options = json.stream_options;
  return typeof options === "object" && options !== null &&
    (options as { include_usage?: unknown }).include_usage === true;
}

/** A copy of `json` that asks for the usage event (other stream options kept). */
export function askingUsage(json: Record<string, unknown>): Record<string, unknown> {
  const options = json.stream_options;
  return {
    ...json,
    stream_options: {
      ...(typeof options === "object" && options !== null ? options : {}),
      include_usage: true,
    },
  };
}

/** `"usage":null`, the member the chunks carry once usage is asked for. */
const NULL_USAGE = new TextEncoder().encode('"usage":null');
const QUOTE = 34;
const COMMA = 44;
const BRACE = 125;
const LF = 10;
const CR = 13;
/** Most bytes of an unfinished event held back; past it, the event passes on untouched. */
const MAX_HELD = 1024 * 1024;

/**
 * The usage of an SSE event that carries only usage (`choices: []` and a `usage` object, the
 * event `include_usage` adds before `[DONE]`), or undefined for any other event.
 */
function usageOnly(event: string): EdgeRequestUsage | undefined {
  if (!USAGE_KEY.test(event)) return undefined;
  const data = event.split(/\r\n|\n|\r/)
    .filter((line) => line.startsWith("data:"))
    .map((line) => line.slice(line.startsWith("data: ") ? 6 : 5))
    .join("\n");
  try {
    const chunk = JSON.parse(data) as { choices?: unknown; usage?: unknown };
    return Array.isArray(chunk.choices) && chunk.choices.length === 0
      ? pickUsage(chunk.usage)
      : undefined;
  } catch {
    return undefined;
  }
}

/** `parts` as one array. */
function joined(parts: Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0];
  const all = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    all.set(p, at);
    at += p.length;
  }
  return all;
}

/**
 * `event` without its `"usage":null` member (`,"usage":null` before `,` or `}`, or
 * `"usage":null,`), byte for byte otherwise. A quote inside a string is escaped, so a match is
 * the member.
 */
function withoutNullUsage(event: Uint8Array): Uint8Array {
  const n = NULL_USAGE.length;
  search: for (let at = event.indexOf(QUOTE); at !== -1; at = event.indexOf(QUOTE, at + 1)) {
    for (let k = 1; k < n; k++) if (event[at + k] !== NULL_USAGE[k]) continue search;
    const next = event[at + n];
    const [from, to] = event[at - 1] === COMMA && (next === COMMA || next === BRACE)
      ? [at - 1, at + n]
      : next === COMMA
      ? [at, at + n + 1]
      : [-1, -1];
    if (from === -1) continue;
    return joined([event.subarray(0, from), event.subarray(to)]);
  }
  return event;
}

/**
 * `body` without its usage-only event, handed to `onUsage` instead. Every other byte passes
 * through as it came (but the other events' `"usage":null`), each event as soon as its blank
 * line has arrived; an event longer than {@link MAX_HELD} passes on untouched as it comes.
 */
export function withoutUsageEvent(
  body: ReadableStream<Uint8Array>,
  onUsage: (usage: EdgeRequestUsage) => void,
): ReadableStream<Uint8Array> {
  const decoder = new TextDecoder();
  /** The bytes of the unfinished event, held back. */
  let held: Uint8Array[] = [];
  let heldBytes = 0;
  /** The unfinished event is too long to hold: its bytes pass on as they come. */
  let passing = false;
  /** The line under way has no byte yet: a line end now is a blank line, ending the event. */
  let blank = true;
  /** The last byte was a CR: an LF now ends no line. */
  let afterCR = false;
  /**
   * The last event ended on a chunk's last byte, a CR: an LF first in the next chunk is its own,
   * handed on or taken out with it.
   */
  let lastLF: "keep" | "drop" | undefined;
  let found = false;
  return body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        const out: Uint8Array[] = [];
        let start = 0;
        if (lastLF && chunk[0] === LF) {
          if (lastLF === "keep") out.push(chunk.subarray(0, 1));
          start = 1;
          afterCR = false;
        }
        lastLF = undefined;
        for (let i = start; i < chunk.length && !found; i++) {
          const byte = chunk[i];
          if (byte === LF && afterCR) {
            afterCR = false;
            continue;
          }
          afterCR = byte === CR;
          if (byte !== LF && byte !== CR) blank = false;
          else if (!blank) blank = true;
          else {
            // A blank line: the event ends with it (and with the LF of a CRLF).
            let end = i + 1;
            if (afterCR && chunk[end] === LF) {
              end = ++i + 1;
              afterCR = false;
            }
            const piece = chunk.subarray(start, end);
            start = end;
            if (afterCR && end === chunk.length) lastLF = "keep";
            if (passing) {
              out.push(piece);
              passing = false;
              continue;
            }
            const event = joined([...held, piece]);
            held = [];
            heldBytes = 0;
            const usage = usageOnly(decoder.decode(event));
            if (usage) {
              found = true;
              if (lastLF) lastLF = "drop";
              onUsage(usage);
            } else out.push(withoutNullUsage(event));
          }
        }
        // Only one usage event: the rest passes on as it comes.
        const rest = chunk.subarray(start);
        if (found || passing) out.push(rest);
        else if (rest.length) {
          held.push(rest);
          heldBytes += rest.length;
          if (heldBytes > MAX_HELD) {
            out.push(...held);
            held = [];
            heldBytes = 0;
            passing = true;
          }
        }
        const bytes = joined(out.filter((p) => p.length));
        if (bytes.length) controller.enqueue(bytes);
      },
      flush(controller) {
        if (held.length) controller.enqueue(joined(held));
      },
    }),
  );
}
