import { AzureOpenAIError } from "../errors/api_error.ts";
import { requestIdOf } from "../errors/from_response.ts";
import { redactSecrets } from "../errors/redact.ts";
import { headerSecrets, redactBody, redactHeaders, redactLogUrl } from "./_redact.ts";
import { RETRY_STATE_KEY, type RetryInfo } from "./retry.ts";
import { CACHE_STATE_KEY } from "./_state.ts";
import { NULL_BODY_STATUSES, onBodyEnd } from "../_internal/on_body_end.ts";
import type { Middleware, MiddlewareContext } from "./types.ts";

/**
 * One structured log event of {@link logger}. Never carries a key or token.
 *
 * @example Collect the events of one call
 * ```ts
 * import { AzureOpenAI } from "@aoai/edge";
 * import { type LogEvent, logger } from "@aoai/edge/middleware";
 * import { createEmulator } from "@aoai/edge/emulator";
 * const emulator = createEmulator(); // a local stand-in for your resource
 * const events: LogEvent[] = [];
 * const client = new AzureOpenAI({
 *   endpoint: "http://emulator.local",
 *   apiKey: emulator.apiKey,
 *   fetch: emulator.fetch,
 *   middleware: [logger({ onEvent: (event) => events.push(event) })],
 * });
 * await client.embeddings.create({ model: "text-embedding-3-small", input: "hi" });
 * console.log(events.map((e) => e.type), events[1].status); // [ "start", "end" ] 200
 * ```
 */
export interface LogEvent {
  /**
   * `start` before the call goes on, `end` when a response came (any status), `error` on a throw,
   * or after `end` when reading the body then fails (a connection cut, a deadline, an abort; a
   * stream the client itself gives up on, e.g. at its idle timeout, is not seen here).
   */
  type: "start" | "end" | "error";
  /** Wall-clock time of the event (epoch ms). */
  time: number;
  /** Operation id, e.g. `"embeddings.create"`. */
  operation: string;
  /** Deployment, when the call is deployment-scoped. */
  deployment: string | undefined;
  /** api-version in use (`"v1"` for the v1 API). */
  apiVersion: string;
  /** HTTP method. */
  method: string;
  /** Request URL with secret query parameters masked. */
  url: string;
  /** Attempt number as this layer sees it (always 1 when the logger is outside `retry()`). */
  attempt: number;
  /** True when the caller asked for a stream. */
  stream: boolean;
  /** HTTP status (`end`; `error` when the error carries one). */
  status?: number;
  /** Time from `start` to this event, in ms (`end`, `error`). */
  durationMs?: number;
  /** `apim-request-id` / `x-request-id` of the response (`end`, `error`). */
  requestId?: string;
  /** Cache status from `cache()`: `"hit"`, `"miss"` or `"partial"` (`end`). */
  cache?: string;
  /** Backoff waits `retry()` made so far in this call (`end`, `error`; visible from outside it). */
  retries?: RetryInfo[];
  /** The failure (`error`): name, message (secrets scrubbed), status and service code. */
  error?: { name: string; message: string; status?: number; code?: string };
  /** Request headers, credentials masked (only with `logHeaders`). */
  requestHeaders?: Record<string, string>;
  /** Response headers, credentials masked (only with `logHeaders`). */
  responseHeaders?: Record<string, string>;
  /** Request body, redacted and truncated (only with `logBodies`, never for uploads). */
  requestBody?: string;
  /** Response body, redacted and truncated (only with `logBodies`, never for streams). */
  responseBody?: string;
}

/**
 * Options of {@link logger}.
 *
 * @example Log response headers
 * ```ts
 * import { AzureOpenAI } from "@aoai/edge";
 * import { logger, type LoggerOptions } from "@aoai/edge/middleware";
 * import { createEmulator } from "@aoai/edge/emulator";
 * const emulator = createEmulator(); // a local stand-in for your resource
 * const options: LoggerOptions = {
 *   logHeaders: true,
 *   secrets: [emulator.apiKey], // scrubbed wherever it would appear
 *   onEvent: (e) => e.type === "end" && console.log(e.responseHeaders?.["content-type"]),
 * };
 * const client = new AzureOpenAI({
 *   endpoint: "http://emulator.local",
 *   apiKey: emulator.apiKey,
 *   fetch: emulator.fetch,
 *   middleware: [logger(options)],
 * });
 * await client.embeddings.create({ model: "text-embedding-3-small", input: "hi" }); // logs "application/json"
 * ```
 */
export interface LoggerOptions {
  /** Receives every event (default: one JSON line per event on `console.info`). Its errors are ignored. */
  onEvent?: (event: LogEvent) => void;
  /** Secret values to scrub wherever they appear (keys, tokens you know of). */
  secrets?: readonly string[];
  /** Log request and response headers, credentials masked (default false). */
  logHeaders?: boolean;
  /**
   * Log JSON and text bodies, credential fields masked and cut to `maxBodyChars` (default
   * false). Streaming responses and non-text bodies are never read. Reading a request body
   * means copying it (the request is then uploaded as a stream): use it for debugging.
   */
  logBodies?: boolean;
  /** Longest body text logged (default 2 000 characters). */
  maxBodyChars?: number;
  /** Clock for durations, in ms (default `performance.now`). */
  now?: () => number;
}

const TEXTUAL =
  /^(application\/(json|[\w.+-]*\+json|x-www-form-urlencoded)|text\/(?!event-stream))/i;

function isTextual(headers: Headers): boolean {
  return TEXTUAL.test(headers.get("content-type") ?? "");
}

const defaultSink = (event: LogEvent) => console.info(JSON.stringify(event));

/**
 * Structured request logging: a `start` event, then `end` (with status, duration, request id,
 * cache status and retry waits) or `error`; an `error` follows `end` when the body then fails
 * while it is read. Credentials never reach an event: the `api-key`,
 * `authorization`, `x-api-key`, `ocp-apim-subscription-key` and cookie headers are masked, secret
 * query parameters are masked, credential fields of JSON bodies are masked, and every value in
 * `secrets` plus every credential seen in the request's headers is scrubbed from URLs, messages
 * and bodies. Bodies are off by default.
 *
 * Placement decides what an event means: first in `middleware` logs once per call (with the
 * retry waits); after a `retry()` you pass yourself it logs once per attempt.
 *
 * @example Log each event as one JSON line
 * ```ts
 * import { AzureOpenAI } from "@aoai/edge";
 * import { createEmulator } from "@aoai/edge/emulator";
 * import { logger } from "@aoai/edge/middleware";
 * const emulator = createEmulator(); // a local stand-in for your resource
 * const lines: string[] = [];
 * const client = new AzureOpenAI({
 *   endpoint: "http://emulator.local",
 *   apiKey: emulator.apiKey,
 *   fetch: emulator.fetch,
 *   middleware: [logger({ onEvent: (e) => lines.push(JSON.stringify(e)) })],
 * });
 * await client.embeddings.create({ model: "text-embedding-3-small", input: "hi" });
 * console.log(lines.map((line) => JSON.parse(line).type)); // [ "start", "end" ]
 * console.log(lines.some((line) => line.includes(emulator.apiKey))); // false
 * ```
 */
export function logger(options: LoggerOptions = {}): Middleware {
  const sink = options.onEvent ?? defaultSink;
  const known = (options.secrets ?? []).filter((s) => typeof s === "string" && s.length > 0);
  const logHeaders = options.logHeaders ?? false;
  const logBodies = options.logBodies ?? false;
  const maxBody = options.maxBodyChars ?? 2_000;
  const now = options.now ?? (() => performance.now());
  const emit = (event: LogEvent) => {
    try {
      const result: unknown = sink(event);
      if (result instanceof Promise) result.catch(() => {});
    } catch {
      // A failing sink must not fail the call.
    }
  };
  return async function logger(ctx, next) {
    const started = now();
    const request = ctx.request;
    const secrets = [...known, ...headerSecrets(request.headers)];
    const base = {
      operation: ctx.operation,
      deployment: ctx.deployment,
      apiVersion: ctx.apiVersion,
      method: request.method,
      url: redactLogUrl(request.url, secrets),
      attempt: ctx.attempt,
      stream: ctx.stream,
    };
    const start: LogEvent = { type: "start", time: Date.now(), ...base };
    if (logHeaders) start.requestHeaders = redactHeaders(request.headers, secrets);
    if (logBodies && request.body !== null && ctx.replayable && isTextual(request.headers)) {
      start.requestBody = await readText(request.clone(), secrets, maxBody);
    }
    emit(start);
    // Auth layers below may have put credentials on the (possibly replaced) request.
    const allSecrets = () => [...secrets, ...headerSecrets(ctx.request.headers)];
    // An `error` event: the call threw, or (after `end`) its body failed while read.
    const failed = (
      err: unknown,
      all: readonly string[],
      status: number | undefined,
      requestId: string | undefined,
      retries: RetryInfo[] | undefined,
    ) =>
      emit({
        type: "error",
        time: Date.now(),
        ...base,
        status,
        durationMs: now() - started,
        requestId,
        retries,
        error: describeError(err, all),
      });
    let response: Response;
    try {
      response = await next();
    } catch (err) {
      const typed = err instanceof AzureOpenAIError ? err : undefined;
      failed(err, allSecrets(), typed?.status, typed?.requestId, retriesOf(ctx));
      throw err;
    }
    const all = allSecrets();
    const end: LogEvent = {
      type: "end",
      time: Date.now(),
      ...base,
      status: response.status,
      durationMs: now() - started,
      requestId: requestIdOf(response.headers),
      cache: cacheStatus(ctx, response),
      retries: retriesOf(ctx),
    };
    if (logHeaders) end.responseHeaders = redactHeaders(response.headers, all);
    const streaming = ctx.stream ||
      /^text\/event-stream/i.test(response.headers.get("content-type") ?? "");
    // By status, not `body`: reading `body` of a response an inner logger hooked would lock it.
    if (
      logBodies && !streaming && !NULL_BODY_STATUSES.includes(response.status) &&
      isTextual(response.headers)
    ) {
      end.responseBody = await readText(response.clone(), all, maxBody);
    }
    emit(end);
    // The body is read after this returns (by the client, or as a stream): when it fails (a cut
    // connection, a deadline, an abort), `end` must not be the last word on the call.
    return onBodyEnd(response, (err) => {
      if (err !== undefined) failed(err, all, response.status, end.requestId, end.retries);
    });
  };
}

async function readText(
  message: Request | Response,
  secrets: readonly string[],
  max: number,
): Promise<string | undefined> {
  try {
    return redactBody(await message.text(), secrets, max);
  } catch {
    return undefined;
  }
}

function retriesOf(ctx: MiddlewareContext): RetryInfo[] | undefined {
  const record = ctx.state[RETRY_STATE_KEY];
  return Array.isArray(record) && record.length > 0 ? record.slice() as RetryInfo[] : undefined;
}

function cacheStatus(ctx: MiddlewareContext, response: Response): string | undefined {
  const header = response.headers.get("x-aoai-cache");
  if (header) return header;
  const state = ctx.state[CACHE_STATE_KEY];
  return typeof state === "string" ? state : undefined;
}

function describeError(
  err: unknown,
  secrets: readonly string[],
): { name: string; message: string; status?: number; code?: string } {
  if (err instanceof AzureOpenAIError) {
    return {
      name: err.name,
      message: redactSecrets(err.message, secrets),
      status: err.status,
      code: err.code && redactSecrets(err.code, secrets),
    };
  }
  if (err instanceof Error) return { name: err.name, message: redactSecrets(err.message, secrets) };
  return { name: typeof err, message: redactSecrets(String(err), secrets) };
}
