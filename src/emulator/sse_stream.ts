/**
 * The emulator's SSE body: one `data: {json}\n\n` event per pull, then `data: [DONE]`.
 * Pull-based so a slow or gone client stops generation; cancellation is counted.
 * Applies the stream faults (chunk delay, malformed chunk, connection drop).
 *
 * @module
 */

import type { HandlerContext } from "./_context.ts";

const encoder = new TextEncoder();

/**
 * The message a dropped stream errors with.
 *
 * @example Tell an injected drop from a real failure
 * ```ts
 * import { createEmulator, DROPPED_STREAM_MESSAGE } from "@aoai/edge/emulator";
 * const emulator = createEmulator({ faults: { dropStreamAfterChunks: 1 } });
 * const res = await emulator.fetch(
 *   "http://emulator.local/openai/deployments/gpt-4o/chat/completions?api-version=2024-10-21",
 *   {
 *     method: "POST",
 *     headers: { "api-key": emulator.apiKey, "content-type": "application/json" },
 *     body: JSON.stringify({ messages: [{ role: "user", content: "hi" }], stream: true }),
 *   },
 * );
 * const err = await res.text().catch((e: Error) => e);
 * console.log(err instanceof Error && err.message === DROPPED_STREAM_MESSAGE); // true
 * ```
 */
export const DROPPED_STREAM_MESSAGE =
  "emulator: connection dropped mid-stream (faults.dropStreamAfterChunks)";

/**
 * A `text/event-stream` Response sending `events` (JSON-serialised lazily) and `[DONE]`.
 * `events` may be a generator so long replies are built as the client reads. `named`: each event
 * goes as `event: {its type}` with its data, and no `[DONE]` follows (a transcription's stream).
 */
export function sseResponse(
  ctx: HandlerContext,
  events: Iterable<unknown>,
  named = false,
): Response {
  const { options, stats } = ctx;
  const faults = options.faults;
  const iterator = events[Symbol.iterator]();
  let index = 0;
  let finished = false;
  stats.streamsStarted++;
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (finished) return;
      if (options.chunkDelayMs > 0) await options.sleep(options.chunkDelayMs);
      if (finished) return;
      if (faults.dropStreamAfterChunks !== undefined && index >= faults.dropStreamAfterChunks) {
        finished = true;
        stats.droppedStreams++;
        controller.error(new Error(DROPPED_STREAM_MESSAGE));
        return;
      }
      const next = iterator.next();
      if (next.done) {
        finished = true;
        if (!named) controller.enqueue(encoder.encode("data: [DONE]\n\n"));
        controller.close();
        stats.streamsCompleted++;
        return;
      }
      const text = faults.malformedChunkAt === index
        ? `data: {"id":"${ctx.requestId}","choices":[{"delta":{"content":"\n\n`
        : `${named ? `event: ${(next.value as { type: string }).type}\n` : ""}data: ${
          JSON.stringify(next.value)
        }\n\n`;
      index++;
      controller.enqueue(encoder.encode(text));
    },
    cancel() {
      if (finished) return;
      finished = true;
      stats.cancelledStreams++;
      options.onStreamCancel?.({ requestId: ctx.requestId, deployment: ctx.deployment.name });
    },
  }, { highWaterMark: 0 });
  return new Response(body, {
    status: 200,
    headers: {
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-cache",
    },
  });
}
