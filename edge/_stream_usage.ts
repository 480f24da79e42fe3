/**
 * Usage of streamed chat under a token limit: the app asks the upstream for the usage event
 * (`stream_options.include_usage`) the client did not ask for, and takes that event out of what
 * the client gets, so the budget is charged what the service counted (reasoning tokens
 * included) instead of an estimate, and the client sees the stream it asked for.
 *
 * @module
 */
import type { EdgeRequestUsage } from "./options.ts";

/**
 * Whether requests on `apiVersion` may carry `stream_options`: `v1`, and dated versions from
 * 2024-06 on (earlier ones refuse it as an unknown parameter).
 */
export function takesStreamOptions(apiVersion: string): boolean {
  return !/^\d{4}-\d\d/.test(apiVersion) || apiVersion >= "2024-06";
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

const USAGE = /"usage"\s*:\s*\{/;
const NULL_USAGE = /,"usage":null(?=[,}])|"usage":null,/;
const BOUNDARY = /\r\n\r\n|\n\n|\r\r/;

/**
 * The usage of an SSE event that carries only usage (`choices: []` and a `usage` object, the
 * event `include_usage` adds before `[DONE]`), or undefined for any other event.
 */
function usageOnly(event: string): EdgeRequestUsage | undefined {
  if (!USAGE.test(event)) return undefined;
  const data = event.split(/\r\n|\n|\r/)
    .filter((line) => line.startsWith("data:"))
    .map((line) => line.slice(line.startsWith("data: ") ? 6 : 5))
    .join("\n");
  try {
    const chunk = JSON.parse(data) as { choices?: unknown; usage?: unknown };
    const usage = chunk.usage as EdgeRequestUsage | null | undefined;
    return Array.isArray(chunk.choices) && chunk.choices.length === 0 &&
        typeof usage === "object" && usage !== null && typeof usage.total_tokens === "number"
      ? usage
      : undefined;
  } catch {
    return undefined;
  }
}

/**
 * `body` without its usage-only event, handed to `onUsage` instead. Every other event passes
 * through as it came, as soon as its end has arrived.
 */
export function withoutUsageEvent(
  body: ReadableStream<Uint8Array>,
  onUsage: (usage: EdgeRequestUsage) => void,
): ReadableStream<Uint8Array> {
  const decoder = new TextDecoder();
  const encoder = new TextEncoder();
  let pending = "";
  let found = false;
  return body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        pending += decoder.decode(chunk, { stream: true });
        let out = "";
        for (let match = BOUNDARY.exec(pending); match; match = BOUNDARY.exec(pending)) {
          const end = match.index + match[0].length;
          const event = pending.slice(0, end);
          pending = pending.slice(end);
          const usage = found ? undefined : usageOnly(event);
          if (usage) {
            found = true;
            onUsage(usage);
          } else {
            // The other events carry `"usage":null` once usage is asked for; the client gets
            // them as they would be without (a quote inside a string is escaped, so this is the
            // member).
            out += found ? event : event.replace(NULL_USAGE, "");
          }
        }
        if (found) {
          // Only one usage event: the rest passes on as it comes.
          out += pending;
          pending = "";
        }
        if (out) controller.enqueue(encoder.encode(out));
      },
      flush(controller) {
        const rest = pending + decoder.decode();
        if (rest) controller.enqueue(encoder.encode(rest));
      },
    }),
  );
}
