import type { CallResult } from "../_internal/core.ts";
import { requestIdOf } from "../errors/from_response.ts";
import { relay, Stream } from "../streaming/stream.ts";

/**
 * What {@link APIPromise.withResponse} resolves to (the official `openai` SDK's shape).
 *
 * @example Keep the result with its response
 * ```ts
 * import { AzureOpenAI, type CreateEmbeddingResponse, type WithResponse } from "@aoai/edge";
 * import { createEmulator } from "@aoai/edge/emulator";
 * const emulator = createEmulator(); // a local stand-in for your resource
 * const client = new AzureOpenAI({
 *   endpoint: "http://emulator.local",
 *   apiKey: emulator.apiKey,
 *   fetch: emulator.fetch,
 * });
 * const result: WithResponse<CreateEmbeddingResponse> = await client.embeddings
 *   .create({ model: "text-embedding-3-small", input: "hello" })
 *   .withResponse();
 * console.log(result.response.status, result.data.object); // 200 "list"
 * console.log(result.request_id === result.response.headers.get("apim-request-id")); // true
 * ```
 */
export interface WithResponse<T> {
  /** The parsed result: what awaiting the call gives. */
  data: T;
  /**
   * The HTTP response it came from, for its status and headers (`x-ratelimit-remaining-tokens`,
   * `apim-request-id`, …). Its body was already read into `data`, except for streams and speech,
   * whose `data` reads it. After `asResponse()`, the response that gave (a stream's own
   * response: one body, which the stream no longer reads).
   */
  response: Response;
  /** `apim-request-id` (or `x-request-id`) of the response: quote it to Azure support. */
  request_id: string | null;
}

/**
 * The promise a resource method returns: it resolves to the parsed result, and
 * `withResponse()` also gives the HTTP response, as in the official `openai` SDK. Both share
 * one request.
 *
 * @example Read the rate-limit headers of a call
 * ```ts
 * import { AzureOpenAI } from "@aoai/edge";
 * import { createEmulator } from "@aoai/edge/emulator";
 * // A local stand-in for your resource, with a quota so it sends x-ratelimit-* headers.
 * const emulator = createEmulator({ rateLimits: { requestsPerMinute: 60 } });
 * const client = new AzureOpenAI({
 *   endpoint: "http://emulator.local",
 *   apiKey: emulator.apiKey,
 *   fetch: emulator.fetch,
 * });
 * const { data, response, request_id } = await client.embeddings
 *   .create({ model: "text-embedding-3-small", input: "hello" })
 *   .withResponse();
 * console.log(data.data[0].embedding.length, response.status, request_id);
 * console.log(response.headers.get("x-ratelimit-remaining-requests")); // "59"
 * ```
 */
export interface APIPromise<T> extends Promise<T> {
  /** The parsed result with its HTTP response and request id (rejects as the call does). */
  withResponse(): Promise<WithResponse<T>>;
  /**
   * The HTTP response, its body still to read (an event stream to relay as it is, or the JSON as
   * the service sent it), as the SDK's `asResponse()`; rejects as the call does. A stream's body
   * stays under the call's `signal` and `streamIdleTimeoutMs` until it ends, fails or is
   * cancelled; then the signal keeps no listener of the call. A body never read keeps its
   * listener (and the connection) until the signal aborts: cancel it (`response.body?.cancel()`)
   * when you do not relay it. Called again, it gives a stream's same response (as the SDK does).
   * The stream and this response share one body: after asResponse(), reading the stream throws
   * `AzureOpenAIError` (its body went here); once the stream began reading, asResponse() gives its
   * response as it is (`stream.response`, read or being read, as the SDK does) and the stream
   * reads on.
   */
  asResponse(): Promise<Response>;
}

// The call's result and a stream's relayed response ride on the promise, read through `this` by
// shared methods. Per-call closures over `result` got #send's call-result literal pretenured by
// V8 (Node 20): made in old space, each one held its call's body text and parsed data through
// every scavenge (1536-dim base64 embeddings: ~2.3 MB promoted per scavenge, 31 major GCs in
// 40,000 calls instead of 2).
const RESULT = Symbol();
const RELAYED = Symbol();

type Held = APIPromise<unknown> & { [RESULT]: Promise<CallResult>; [RELAYED]?: Response };

function asResponse(this: Held): Promise<Response> {
  // A stream's body is relayed once: asResponse() again gives that response, as the SDK's does.
  // After `this`: its rejection is then handled too.
  return this.then((value) =>
    value instanceof Stream
      ? this[RELAYED] ??= relay(value)
      : this[RESULT].then(({ response, text }) =>
        text === undefined ? response : new Response(text, response)
      )
  );
}

function withResponse(this: Held): Promise<WithResponse<unknown>> {
  return this.then((value) =>
    this[RESULT].then(({ response }) => ({
      data: value,
      // The response asResponse() gave, if it came first (the stream's own response).
      response: this[RELAYED] ?? response,
      request_id: requestIdOf(response.headers) ?? null,
    }))
  );
}

/** `result` parsed by `parse`, as an {@link APIPromise}. */
export function apiPromise<T>(
  result: Promise<CallResult>,
  parse: (result: CallResult) => T | Promise<T>,
): APIPromise<T> {
  // No `_request_id` on results (the SDK's): defining it on every result cost 3–4 points of
  // per-call overhead in pinned A/Bs (bench/README.md); `withResponse().request_id` gives it.
  const data = result.then(parse) as APIPromise<T> & Held;
  data[RESULT] = result;
  data.asResponse = asResponse;
  data.withResponse = withResponse as () => Promise<WithResponse<T>>;
  return data;
}
