import type { AzureOpenAIError } from "../errors/api_error.ts";

/**
 * Options of `Stream` and of the typed streams built on it
 * (`ChatCompletionStream`, `CompletionStream`).
 *
 * @example A stream that gives up after 30 s without data
 * ```ts
 * import type { StreamOptions } from "@aoai/edge";
 *
 * const options: StreamOptions = { idleTimeoutMs: 30_000, signal: AbortSignal.timeout(120_000) };
 * console.log(options.idleTimeoutMs); // 30000
 * ```
 */
export interface StreamOptions<T = unknown> {
  /**
   * The controller whose signal the request was sent with. The stream watches it
   * (an abort ends iteration with `APIUserAbortError`) and aborts it on idle timeout.
   * Default: a new controller, exposed as `stream.controller`.
   */
  controller?: AbortController;
  /** An outside signal: aborting it aborts `controller` and cancels the body. */
  signal?: AbortSignal;
  /**
   * Longest wait, in ms, for the next piece of the body. When it passes, the body is
   * cancelled and iteration throws `APITimeoutError`. Default (or `0`): no limit.
   */
  idleTimeoutMs?: number;
  /**
   * Largest SSE line or event, in characters of the decoded text (see
   * `ServerSentEventParserOptions`). Default 16 Mi.
   */
  maxBufferSize?: number;
  /** Operation name used in error messages, e.g. `"chat.completions.create"`. */
  operation?: string;
  /**
   * Called with every parsed chunk, in order, as soon as it is parsed (before it is
   * yielded; also for chunks that `finalChatCompletion()` or `done()` consume unseen).
   */
  onChunk?: (chunk: T) => void;
  /**
   * Removes credentials from an error of the stream before it is thrown (fixing it in place);
   * the client passes one that scrubs its key or token, which an error event may echo.
   */
  scrub?: (error: AzureOpenAIError) => unknown;
}
