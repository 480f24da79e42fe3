import type { Middleware } from "./middleware/types.ts";
import type { TokenProvider } from "./auth/token_cache.ts";
import type { FetchLike } from "./transport/send.ts";

/**
 * The latest GA api-version, used when none is given.
 *
 * @example A client without apiVersion uses it
 * ```ts
 * import { AzureOpenAI, DEFAULT_API_VERSION } from "@aoai/edge";
 * const client = new AzureOpenAI({ endpoint: "https://my-res.openai.azure.com", apiKey: "<key>" });
 * console.log(client.apiVersion === DEFAULT_API_VERSION); // true
 * console.log(DEFAULT_API_VERSION); // "2024-10-21"
 * ```
 */
export const DEFAULT_API_VERSION = "2024-10-21";
/**
 * api-version used for text-to-speech when the client's version lacks it.
 *
 * @example Call speech by path on a client pinned to a GA api-version
 * ```ts
 * import { AzureOpenAI, SPEECH_API_VERSION } from "@aoai/edge";
 * import { createEmulator } from "@aoai/edge/emulator";
 * const emulator = createEmulator(); // a local stand-in for your resource
 * const client = new AzureOpenAI({
 *   endpoint: "http://emulator.local",
 *   apiKey: emulator.apiKey,
 *   fetch: emulator.fetch,
 * });
 * const res = await client.request(
 *   { path: "audio/speech", deployment: "tts", json: { input: "Hello", voice: "alloy" } },
 *   { apiVersion: SPEECH_API_VERSION }, // 2024-10-21 has no text-to-speech
 * );
 * console.log(res.status, res.headers.get("content-type")); // 200 "audio/mpeg"
 * await res.body?.cancel();
 * ```
 */
export const SPEECH_API_VERSION = "2024-05-01-preview";
/**
 * api-version used for the DALL-E 2 async operations when the client's version lacks them.
 *
 * @example Submit a DALL-E 2 generation by path
 * ```ts
 * import { AzureOpenAI, IMAGE_OPERATIONS_API_VERSION } from "@aoai/edge";
 * import { createEmulator } from "@aoai/edge/emulator";
 * const emulator = createEmulator(); // a local stand-in for your resource
 * const client = new AzureOpenAI({
 *   endpoint: "http://emulator.local",
 *   apiKey: emulator.apiKey,
 *   fetch: emulator.fetch,
 * });
 * const res = await client.request(
 *   { path: "images/generations:submit", json: { prompt: "a lighthouse at dusk" } },
 *   { apiVersion: IMAGE_OPERATIONS_API_VERSION }, // "2023-06-01-preview"
 * );
 * console.log(res.status, (await res.json()).status); // 202 "notRunning"
 * ```
 */
export const IMAGE_OPERATIONS_API_VERSION = "2023-06-01-preview";

/**
 * Options of the {@link AzureOpenAI} client. Give `endpoint` or `resourceName`, and exactly one of
 * `apiKey`, `token` or `tokenProvider`.
 *
 * @example A client from a resource name
 * ```ts
 * import { AzureOpenAI, type AzureOpenAIOptions } from "@aoai/edge";
 * const options: AzureOpenAIOptions = {
 *   resourceName: "my-res",
 *   apiKey: "<key>",
 *   deployment: "gpt-4o",
 *   maxRetries: 3,
 *   timeoutMs: 30_000,
 * };
 * const client = new AzureOpenAI(options);
 * console.log(client.endpoint); // "https://my-res.openai.azure.com"
 * ```
 */
export interface AzureOpenAIOptions {
  /** Resource endpoint, e.g. `https://my-res.openai.azure.com`. */
  endpoint?: string;
  /** Resource name; the endpoint becomes `https://{resourceName}.openai.azure.com`. */
  resourceName?: string;
  /** API key, sent as the `api-key` header. */
  apiKey?: string;
  /** A static Entra ID bearer token. */
  token?: string;
  /** Supplies Entra ID tokens (e.g. `getBearerTokenProvider` of `@azure/identity`). */
  tokenProvider?: TokenProvider;
  /**
   * api-version (default `2024-10-21`); `"v1"` selects the `/openai/v1/` API, which takes no
   * api-version. Preview features of the v1 API are opted into with the preview header Azure's
   * docs name for each (per-call `headers`); a v1 route documented with `?api-version=preview`
   * is reached with `client.request({ path: "…?api-version=preview" })`.
   */
  apiVersion?: string;
  /** Default deployment for deployment-scoped calls when `params.model` is absent. */
  deployment?: string;
  /** fetch to use (default `globalThis.fetch`). */
  fetch?: FetchLike;
  /** Middleware, outermost first. `retry()`, `timeout()` or an auth middleware here replace the defaults. */
  middleware?: Middleware[];
  /** Retries per call (default 2). */
  maxRetries?: number;
  /** Timeout per attempt in ms (default 600 000). */
  timeoutMs?: number;
  /** Idle timeout between stream chunks in ms (default: none). */
  streamIdleTimeoutMs?: number;
  /** Headers added to every request (one given `undefined` or `null` is not sent). */
  defaultHeaders?: Record<string, string | null | undefined>;
  /**
   * Query parameters added to every request's URL (e.g. an API gateway's `subscription-key`), as
   * in the openai SDK: one given `undefined` is not sent. They fill in the names a URL lacks: the
   * `api-version` of `apiVersion` (or of a call), a `client.request()` path's own parameters and a
   * DALL-E 2 operation's location win; on the v1 API an `api-version` here is sent.
   */
  defaultQuery?: Record<string, string | undefined>;
}

/**
 * Options every method takes as its second argument.
 *
 * @example Per-call headers, retries and cancellation
 * ```ts
 * import { AzureOpenAI, type RequestOptions } from "@aoai/edge";
 * import { createEmulator } from "@aoai/edge/emulator";
 * const emulator = createEmulator(); // a local stand-in for your resource
 * const client = new AzureOpenAI({
 *   endpoint: "http://emulator.local",
 *   apiKey: emulator.apiKey,
 *   fetch: emulator.fetch,
 * });
 * const controller = new AbortController(); // controller.abort() cancels the call
 * const options: RequestOptions = { signal: controller.signal, maxRetries: 0, timeoutMs: 20_000 };
 * const params = { model: "text-embedding-3-small", input: "hi" };
 * const res = await client.embeddings.create(params, options);
 * console.log(res.data.length); // 1
 * ```
 */
export interface RequestOptions {
  /**
   * Aborts the call (and its stream). A body handed to you (a stream, speech, `asResponse()`,
   * `request({ stream: true })`) stays linked to it until read to its end, broken out of or
   * cancelled: with a long-lived signal (a server's shutdown signal), cancel one you drop unread
   * (`stream.controller.abort()`, `response.body?.cancel()`), or it keeps a listener there.
   */
  signal?: AbortSignal;
  /**
   * Extra headers for this call. As in the openai SDK, one given `undefined` is left out and one
   * given `null` removes that header of `defaultHeaders`.
   */
  headers?: Record<string, string | null | undefined>;
  /** Timeout per attempt for this call, in ms. */
  timeoutMs?: number;
  /** The openai SDK's name for {@link RequestOptions.timeoutMs} (which wins when both are given). */
  timeout?: number;
  /** Retries for this call. */
  maxRetries?: number;
  /**
   * Extra middleware for this call, inside the client's own; a built-in `retry()`, `timeout()` or
   * auth among them replaces the client's one of that kind (or goes where the default would).
   */
  middleware?: Middleware[];
  /**
   * api-version for this call, sent as given: unlike the client's `apiVersion`, it is used also
   * for speech and the DALL-E 2 operations when it lacks them (the service then answers 404).
   */
  apiVersion?: string;
  /** Idle timeout between stream chunks for this call, in ms. */
  streamIdleTimeoutMs?: number;
  /**
   * Query parameters for this call, over `defaultQuery` and the URL's own of the same name (its
   * `api-version` too, as the openai SDK's `AzureOpenAI` lets it: a dated one then counts as the
   * call's `apiVersion` for every choice, such as the v1 API or a dated one; an undated one such as
   * `preview` is only sent). As in the SDK, one given `undefined` is left out (and leaves out
   * that name's default), `null` is sent empty (`name=`), an array as `name[]=…` per item and an
   * object as `name[key]=…`.
   */
  query?: Record<string, unknown>;
}

/** Validates an api-version string. */
export function checkApiVersion(value: unknown, where: string): string {
  if (typeof value !== "string" || !/^(v1|\d{4}-\d{2}-\d{2}(-preview)?)$/.test(value)) {
    throw new TypeError(
      `${where}: apiVersion must look like "${DEFAULT_API_VERSION}", ` +
        `"${SPEECH_API_VERSION}" or "v1"; got ${shown(value)}`,
    );
  }
  return value;
}

/**
 * Throws a TypeError naming `where` and the option for each of `names` set (not null) to something
 * other than a function: a test hook or callback set wrong failed raw mid-call, read as an abort,
 * or was never called.
 */
export function checkFns(options: object, names: string[], where: string): void {
  for (const name of names) {
    const value = (options as Record<string, unknown>)[name];
    if (value != null && typeof value != "function") {
      throw new TypeError(`${where}: ${name} must be a function`);
    }
  }
}

/**
 * Throws a TypeError naming `where` unless `signal` (when given) links and unlinks through its
 * events: duck-typed, as in the openai SDK (a polyfill's signal does); one without either failed
 * raw at the first link or unlink.
 */
export function checkSignal(signal: AbortSignal | undefined, where: string): void {
  if (signal && (!signal.addEventListener || !signal.removeEventListener)) {
    throw new TypeError(`${where}: signal must be an AbortSignal`);
  }
}

/** Validates a non-negative integer option. */
export function checkCount(value: unknown, name: string, where: string): number {
  if (!(Number.isInteger(value) && (value as number) >= 0)) {
    throw new TypeError(`${where}: ${name} must be a non-negative integer; got ${shown(value)}`);
  }
  return value as number;
}

/**
 * `value` for an error message: a string quoted (`"30000"` from an environment variable reads as
 * the string it is), a long one not at all (it may be a key or token set there by mistake).
 */
export const shown = (value: unknown): unknown =>
  typeof value == "string" ? JSON.stringify(value.length > 20 ? "***" : value) : value;
