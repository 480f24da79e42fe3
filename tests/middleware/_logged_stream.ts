/**
 * Scaffolding of the logger() stream tests: a client with logger() whose every call gets an event
 * stream that sends what it is given and then, unless told to end, nothing until cancelled.
 *
 * @module
 */
import { AzureOpenAI } from "../../src/client.ts";
import { type LogEvent, logger } from "../../src/middleware/logger.ts";

const encoder = new TextEncoder();

/** One `chat.completion.chunk` event with the content "a". */
export const CHUNK = `data: ${
  JSON.stringify({
    id: "c1",
    object: "chat.completion.chunk",
    created: 1,
    model: "gpt-4o",
    choices: [{ index: 0, delta: { content: "a" }, finish_reason: null }],
  })
}\n\n`;

/**
 * A client (key `apiKey`) with logger() whose every call gets an event stream sending `parts`,
 * with `apim-request-id: requestId`, then `data: [DONE]` if `end`, else nothing more until it is
 * cancelled. `events` are what logger() gave, `cancels` the reasons the body was cancelled with.
 */
export function loggedStream(options: {
  apiKey: string;
  requestId: string;
  parts: string[];
  end?: boolean;
}) {
  const { apiKey, requestId, parts, end = false } = options;
  const events: LogEvent[] = [];
  const cancels: unknown[] = [];
  const client = new AzureOpenAI({
    endpoint: "http://aoai.local",
    apiKey,
    deployment: "gpt-4o",
    apiVersion: "2024-10-21",
    fetch: () =>
      Promise.resolve(
        new Response(
          new ReadableStream<Uint8Array>({
            start(controller) {
              for (const part of parts) controller.enqueue(encoder.encode(part));
              if (end) {
                controller.enqueue(encoder.encode("data: [DONE]\n\n"));
                controller.close();
              }
            },
            cancel: (reason) => void cancels.push(reason),
          }),
          { headers: { "content-type": "text/event-stream", "apim-request-id": requestId } },
        ),
      ),
    middleware: [logger({ onEvent: (e) => events.push(e) })],
  });
  const create = (options: { streamIdleTimeoutMs?: number; signal?: AbortSignal } = {}) =>
    client.chat.completions.create({
      messages: [{ role: "user", content: "hi" }],
      stream: true,
    }, options);
  const types = () => events.map((e) => e.type);
  return { events, cancels, create, types };
}
