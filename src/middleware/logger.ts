import { APIUserAbortError, AzureOpenAIError } from "../errors/api_error.ts";
import { requestIdOf } from "../errors/from_response.ts";
import { redactSecrets, redactText, urlSecrets } from "../errors/redact.ts";
import { redactBody, redactHeaders, redactLogUrl, secretsOfHeaders } from "./_redact.ts";
import { RETRY_STATE_KEY, type RetryInfo } from "./retry.ts";
import { CACHE_STATE_KEY, SECRETS_STATE_KEY } from "./_state.ts";
import { NULL_BODY_STATUSES, onBodyEnd, Stamp } from "../_internal/on_body_end.ts";
import type { Middleware, MiddlewareContext } from "./types.ts";
import { pickUsage } from "./_usage.ts";
import { checkFns } from "../options.ts";

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
 * console.log(events.map((e) => e.type), events[2].usage?.total_tokens); // [ "start", "end", "done" ] 1
 * ```
 */
export interface LogEvent {
  /**
   * `start` before the call goes on, `end` when a response came (any status), `done` once its
   * body was read to its end or cancelled (see {@link LogEvent.cancelled}), `error` on a throw,
   * or after `end` when reading the body then fails (a connection cut, a deadline) or
   * the client gives up on a stream with a typed error (`APITimeoutError` at its idle timeout,
   * the service's error for an `error` event, `AzureOpenAIError` for a chunk that is no JSON).
   */
  type: "start" | "end" | "done" | "error";
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
  /** Time from `start` to this event, in ms (`end`, `error`; `done`: to the body's last byte). */
  durationMs?: number;
  /**
   * Time from `start` to the first chunk of a streamed body, in ms: the time to first token
   * (`done` of a stream that sent a chunk).
   */
  firstChunkMs?: number;
  /**
   * Token usage the body reported (`done`): the `usage` of a JSON reply or of the stream's
   * usage chunk (`stream_options: { include_usage: true }`; a streamed transcription's
   * `transcript.text.done`). gpt-4o-transcribe's `input_tokens` / `output_tokens` are given as
   * `prompt_tokens` / `completion_tokens`. Read off the body's last 8 KiB as it passes.
   */
  usage?: { prompt_tokens: number; completion_tokens?: number; total_tokens: number };
  /**
   * True on a `done` whose body was cancelled before its end (`durationMs`: to the cancel; `usage`
   * only when the stream's usage chunk had passed): a `break` out of a stream, its `abort()`, the
   * caller's `signal` aborting while the body is read, a relay's reader that stopped. A stream
   * the client gives up on with a typed error is an `error`. An event stream cancelled after its
   * `[DONE]` (as the client's streams stop there) was read to its end. A logger inside `retry()`
   * gets one per discarded attempt whose body `retry()` cancels (its 429 or 5xx).
   */
  cancelled?: true;
  /** `apim-request-id` / `x-request-id` of the response (`end`, `done`, `error`). */
  requestId?: string;
  /** Cache status from `cache()`: `"hit"`, `"miss"` or `"partial"` (`end`, `done`). */
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
 * cache status and retry waits) or `error`; `done` follows `end` once the body was read to its
 * end (through `body`, `text()`, `json()`, `arrayBuffer()`, `bytes()`, `blob()` or `formData()`;
 * a `clone()` is not followed) with the time to its last byte, a stream's time to its first
 * chunk and the usage the body reported, or once it was cancelled (`cancelled: true`: the caller
 * left a stream, aborted it or its signal); an
 * `error` follows `end` instead when the body then fails while it is read, or when the client
 * cancels a stream for a failure (its idle timeout, an `error` event, a chunk that is no JSON).
 * Credentials never reach an event: the `api-key`, `authorization`, `x-api-key`,
 * `ocp-apim-subscription-key` and cookie headers are masked, secret query parameters are masked,
 * credential fields of JSON bodies are masked, and every value in `secrets` plus every credential
 * seen in the request's headers or in its URL's secret query parameters (`subscription-key`,
 * `sig`) is scrubbed from URLs, headers, messages and bodies. Bodies are off by default.
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
 * console.log(lines.map((line) => JSON.parse(line).type)); // [ "start", "end", "done" ]
 * console.log(lines.some((line) => line.includes(emulator.apiKey))); // false
 * ```
 */
export function logger(options: LoggerOptions = {}): Middleware {
  checkFns(options, ["onEvent", "now"], "logger()");
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
    const secrets = [...known, ...secretsOfHeaders(request.headers)];
    // The values of the URL's credential-named parameters (a gateway's `subscription-key`, a
    // SAS `sig`): a body, header or error may say them back alone.
    urlSecrets(request.url, secrets);
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
      // The client's credentials too: auth, innermost, has not set them on the request yet.
      const client = ctx.state[SECRETS_STATE_KEY] as string[][] | undefined;
      start.requestBody = await readText(
        request.clone(),
        [...secrets, ...client?.flat() ?? []],
        maxBody,
      );
    }
    emit(start);
    // Auth layers below may have put credentials on the (possibly replaced) request.
    const allSecrets = () => [...secrets, ...secretsOfHeaders(ctx.request.headers)];
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
    const type = response.headers.get("content-type") ?? "";
    const streaming = ctx.stream || /^text\/event-stream/i.test(type);
    // Usage is looked for in JSON and event streams only: the text of another body (a
    // transcription's text, srt or vtt) is the caller's, whatever it says.
    const counted = /json|^text\/event-stream/i.test(type);
    // By status, not `body`: looking at `body` of a hooked response makes the stream it hands out.
    if (
      logBodies && !streaming && !NULL_BODY_STATUSES.includes(response.status) &&
      isTextual(response.headers)
    ) {
      end.responseBody = await readText(response.clone(), all, maxBody);
    }
    emit(end);
    let first: number | undefined;
    let fired = false;
    // `done`, once: the body ended (or was cancelled) after `end`.
    const finish = (usage?: () => LogEvent["usage"], cancelled?: boolean) => {
      if (fired) return;
      fired = true;
      const done: LogEvent = {
        type: "done",
        time: Date.now(),
        ...base,
        status: response.status,
        durationMs: now() - started,
        requestId: end.requestId,
        cache: end.cache,
      };
      if (streaming && first !== undefined) done.firstChunkMs = first - started;
      const found = counted && usage?.();
      if (found) done.usage = found;
      if (cancelled) done.cancelled = true;
      emit(done);
    };
    if (NULL_BODY_STATUSES.includes(response.status)) {
      finish();
      return response;
    }
    // The body is read after this returns (by the client, or as a stream): when it fails (a cut
    // connection, a deadline), `end` must not be the last word on the call.
    return watchBody(response, {
      chunk: () => first ??= now(),
      finish,
      fail: (err) => failed(err, all, response.status, end.requestId, end.retries),
    });
  };
}

/** Longest end of a body searched for its `usage` (bytes or characters). */
const TAIL = 8 * 1024;
const decoder = new TextDecoder();

type Usage = NonNullable<LogEvent["usage"]>;

/** What one logger learns of the body: its first chunk, its end, or its failure. */
interface BodyTap {
  chunk(): void;
  finish(usage?: () => Usage | undefined, cancelled?: boolean): void;
  fail(err: unknown): void;
}

/** The usage each read method's value holds: only its end is looked at. */
const USAGE_OF: Record<string, (value: never) => Usage | undefined> = {
  text: (value: string) => usageIn(value.slice(-TAIL)),
  json: (value: { usage?: unknown } | null) =>
    typeof value === "object" && value !== null ? pickUsage(value.usage) : undefined,
  arrayBuffer: (value: ArrayBuffer) => usageInBytes(new Uint8Array(value)),
  bytes: (value: Uint8Array) => usageInBytes(value),
};

let tapsOf: (response: object) => BodyTap[] | undefined;

/**
 * `new Tapped(response)` gives `response` the list of the taps of the loggers on it, the
 * innermost first: one body hook serves them all.
 */
class Tapped extends Stamp {
  #taps: BodyTap[] = [];
  static {
    tapsOf = (response) => #taps in response ? (response as Tapped).#taps : undefined;
  }
}

/**
 * `response` with `tap` told of its body: through {@link onBodyEnd}'s hooks (its prototype: no own
 * property on the response), the chunks read through `body` seen as they pass (nothing read
 * ahead, its last {@link TAIL} bytes kept for the usage), a read method's value looked at once
 * read. A clone() is not followed.
 */
function watchBody(response: Response, tap: BodyTap): Response {
  const taps = tapsOf(response);
  if (taps) {
    taps.push(tap);
    return response;
  }
  const all = tapsOf(new Tapped(response))!;
  all.push(tap);
  let tail: Tail | undefined;
  return onBodyEnd(
    response,
    (err, read, value) => {
      // A body the client gave up on with a typed error (a stream's idle timeout, its `error`
      // event, a chunk that is no JSON) failed; the caller's leaving early (no reason, or
      // APIUserAbortError: also the read a caller's signal or `abort()` failed) is a cancel.
      if (err instanceof APIUserAbortError) read = "cancel", err = undefined;
      else if (
        read === "cancel" && value instanceof AzureOpenAIError &&
        !(value instanceof APIUserAbortError)
      ) err = value;
      if (err !== undefined) {
        for (const tap of all) tap.fail(err);
        return;
      }
      // Read through `body` (to its end or a cancel): what passed; else the read method's value.
      const of = read === undefined || read === "cancel" ? () => tail?.usage() : USAGE_OF[read];
      let found: [Usage | undefined] | undefined;
      const usage = of && (() => (found ??= [of(value as never)])[0]);
      // An event stream is over at its `[DONE]`: a reader stops there, before the body's end.
      const cancelled = read === "cancel" && !tail?.done();
      for (const tap of all) tap.finish(usage, cancelled);
      if (tail) tail.buffer = undefined;
    },
    undefined,
    (chunk) => {
      if (!tail) {
        tail = new Tail();
        for (const tap of all) tap.chunk();
      }
      tail.push(chunk);
    },
  );
}

/**
 * The last {@link TAIL} bytes of what passed, in a buffer of twice that (copied, not held).
 * Exported for tests only: not part of `@aoai/edge/middleware`.
 */
export class Tail {
  /** The buffer, allocated with the first chunk: never more than 2 × TAIL bytes. */
  buffer: Uint8Array | undefined;
  /** Bytes of {@link buffer} in use. */
  length = 0;

  push(chunk: Uint8Array): void {
    if (!(chunk instanceof Uint8Array)) return;
    const buffer = this.buffer ??= new Uint8Array(2 * TAIL);
    const n = chunk.length;
    if (n >= TAIL) {
      buffer.set(chunk.subarray(n - TAIL));
      this.length = TAIL;
      return;
    }
    if (this.length + n > buffer.length) {
      // Keep the last TAIL - n bytes, at the start.
      buffer.copyWithin(0, this.length - (TAIL - n), this.length);
      this.length = TAIL - n;
    }
    buffer.set(chunk, this.length);
    this.length += n;
  }

  usage(): Usage | undefined {
    return this.buffer && usageInBytes(this.buffer.subarray(0, this.length));
  }

  /** Whether what passed ends with an event stream's `[DONE]` (and blanks, line ends). */
  done(): boolean {
    let end = this.length;
    while (end > 0 && this.buffer![end - 1] <= 32) end--;
    return end >= 6 && decoder.decode(this.buffer!.subarray(end - 6, end)) === "[DONE]";
  }
}

function usageInBytes(bytes: Uint8Array): Usage | undefined {
  return usageIn(decoder.decode(bytes.subarray(Math.max(0, bytes.length - TAIL))));
}

/**
 * The usage in the end of a JSON body or an event stream: the last `"usage"` key holding an
 * object with counts (a key: inside a string its quotes would be escaped), that object parsed.
 */
function usageIn(text: string): Usage | undefined {
  for (let at = text.lastIndexOf('"usage"'); at !== -1; at = text.lastIndexOf('"usage"', at - 1)) {
    USAGE_KEY.lastIndex = at;
    const end = USAGE_KEY.test(text) ? objectEnd(text, USAGE_KEY.lastIndex - 1) : -1;
    if (end !== -1) {
      try {
        const usage = pickUsage(JSON.parse(text.slice(USAGE_KEY.lastIndex - 1, end)));
        if (usage) return usage;
      } catch {
        // Not JSON after all: look further back.
      }
    }
    if (at === 0) break;
  }
  return undefined;
}

/** A `"usage"` key holding an object, matched where it starts. */
const USAGE_KEY = /"usage"\s*:\s*\{/y;

/** The index after the `}` closing the object opened at `start`, or -1 when the text ends first. */
function objectEnd(text: string, start: number): number {
  let depth = 0;
  for (let i = start; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      for (i++; i < text.length && text[i] !== '"'; i++) if (text[i] === "\\") i++;
    } else if (c === "{") depth++;
    else if (c === "}" && --depth === 0) return i + 1;
  }
  return -1;
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
      message: redactText(err.message, secrets),
      status: err.status,
      code: err.code && redactSecrets(err.code, secrets),
    };
  }
  if (err instanceof Error) return { name: err.name, message: redactText(err.message, secrets) };
  return { name: typeof err, message: redactText(String(err), secrets) };
}
