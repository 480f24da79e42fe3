import type { Middleware } from "./middleware/types.ts";
import type { TokenProvider } from "./auth/token_cache.ts";
import type { FetchLike } from "./transport/send.ts";

/** The latest GA api-version, used when none is given. */
export const DEFAULT_API_VERSION = "2024-10-21";
/** api-version used for text-to-speech when the client's version lacks it. */
export const SPEECH_API_VERSION = "2024-05-01-preview";
/** api-version used for the DALL-E 2 async operations when the client's version lacks them. */
export const IMAGE_OPERATIONS_API_VERSION = "2023-06-01-preview";

/**
 * Options of the {@link AzureOpenAI} client. Give `endpoint` or `resourceName`, and exactly one of
 * `apiKey`, `token` or `tokenProvider`.
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
  /** api-version (default `2024-10-21`); `"v1"` selects the `/openai/v1/` API. */
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
  /** Headers added to every request. */
  defaultHeaders?: Record<string, string>;
}

/** Options every method takes as its second argument. */
export interface RequestOptions {
  /** Aborts the call (and its stream). */
  signal?: AbortSignal;
  /** Extra headers for this call. */
  headers?: Record<string, string>;
  /** Timeout per attempt for this call, in ms. */
  timeoutMs?: number;
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
}

/** Validates an api-version string. */
export function checkApiVersion(value: unknown, where: string): string {
  if (typeof value !== "string" || !/^(v1|\d{4}-\d{2}-\d{2}(-preview)?)$/.test(value)) {
    throw new TypeError(
      `${where}: apiVersion must look like "${DEFAULT_API_VERSION}", ` +
        `"${SPEECH_API_VERSION}" or "v1"; got ${JSON.stringify(value)}`,
    );
  }
  return value;
}

/** Validates a non-negative integer option. */
export function checkCount(value: unknown, name: string, where: string): number {
  if (!(Number.isInteger(value) && (value as number) >= 0)) {
    throw new TypeError(`${where}: ${name} must be a non-negative integer; got ` + String(value));
  }
  return value as number;
}
