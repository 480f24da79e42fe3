import { isRecord } from "./_is_record.ts";
import {
  AuthenticationError,
  AzureOpenAIError,
  BadRequestError,
  ConflictError,
  ContentFilterError,
  InternalServerError,
  NotFoundError,
  PermissionDeniedError,
  RateLimitError,
  type RateLimitErrorInit,
  UnprocessableEntityError,
} from "./api_error.ts";
import { parseRetryAfterMs } from "./retry_after.ts";
import { redactUrl } from "./redact.ts";

/**
 * Where an error happened: used in messages.
 *
 * @example Say where a call failed
 * ```ts
 * import { errorFromBody, type ErrorSite } from "@aoai/edge";
 * const site: ErrorSite = {
 *   operation: "embeddings.create",
 *   method: "POST",
 *   url: "https://my-res.openai.azure.com/openai/deployments/ada/embeddings",
 * };
 * const body = { error: { code: "DeploymentNotFound", message: "No deployment." } };
 * const err = errorFromBody(404, body, site);
 * console.log(err.message);
 * // "embeddings.create (POST https://my-res.openai.azure.com/openai/deployments/ada/embeddings)
 * //  failed with status 404 (code DeploymentNotFound): No deployment."
 * ```
 */
export interface ErrorSite {
  /** Operation id, e.g. `"chat.completions.create"`. */
  operation?: string;
  /** HTTP method. */
  method?: string;
  /** Request URL (secret parameters are redacted before use, see `redactUrl`). */
  url?: string;
}

/** A string or number field as a string. */
function str(value: unknown): string | undefined {
  return typeof value === "string" || typeof value === "number" ? `${value}` : undefined;
}

/**
 * Builds the "what and where" prefix of an error message.
 *
 * @example Describe a request without its secrets
 * ```ts
 * import { describeSite } from "@aoai/edge";
 * const text = describeSite({
 *   operation: "embeddings.create",
 *   method: "POST",
 *   url: "https://my-res.openai.azure.com/openai/deployments/ada/embeddings?api-key=secret",
 * });
 * console.log(text.includes("secret")); // false
 * console.log(text); // "embeddings.create (POST https://my-res…/ada/embeddings?api-key=***)"
 * ```
 */
export function describeSite(site: ErrorSite): string {
  const where = words(site.method, redactUrl(site.url ?? ""));
  return words(site.operation, where && `(${where})`);
}

const words = (...parts: unknown[]): string => parts.filter(Boolean).join(" ");

/**
 * Reads the request id Azure puts on every response.
 *
 * @example Quote the request id to support
 * ```ts
 * import { requestIdOf } from "@aoai/edge";
 * const res = new Response(null, {
 *   status: 500,
 *   headers: { "apim-request-id": "7b1e3c2a-5d4f-4e6a-9b8c-0d1e2f3a4b5c" },
 * });
 * console.log(requestIdOf(res.headers)); // "7b1e3c2a-5d4f-4e6a-9b8c-0d1e2f3a4b5c"
 * ```
 */
export function requestIdOf(headers: Headers | undefined): string | undefined {
  return headers?.get("apim-request-id") ?? headers?.get("x-request-id") ?? undefined;
}

const BY_STATUS: Record<number, typeof AzureOpenAIError> = {
  400: BadRequestError,
  401: AuthenticationError,
  403: PermissionDeniedError,
  404: NotFoundError,
  409: ConflictError,
  422: UnprocessableEntityError,
  429: RateLimitError,
};

/**
 * Builds the typed error for an error status and a parsed body (JSON value or text).
 *
 * @example Map a parsed 404 body
 * ```ts
 * import { errorFromBody, NotFoundError } from "@aoai/edge";
 * const err = errorFromBody(404, { error: { code: "DeploymentNotFound", message: "no" } });
 * console.log(err instanceof NotFoundError);
 * ```
 */
export function errorFromBody(
  status: number | undefined,
  body: unknown,
  site: ErrorSite = {},
  headers?: Headers,
): AzureOpenAIError {
  const error = isRecord(body) ? isRecord(body.error) ? body.error : body : {};
  const inner = [error.inner_error, error.innererror].find(isRecord);
  const code = str(error.code);
  // `{ "error": "text" }` (some gateways) or a body that is not JSON: the text is the message,
  // on one line; a gateway's HTML page (text starting with "<") gives its text (no tags, scripts
  // or styles, also those the cut leaves open); plain text keeps its "<" and ">". Only the first
  // 2 KiB are searched: an unclosed tag costs a scan to the end for each "<".
  const text = isRecord(body) ? body.error : body;
  // A redirect (status 0: a browser's opaque one) was not followed: say where it pointed.
  const serviceMessage =
    (status === 0 || status! > 299 && status! < 400
      ? `redirect to ${
        redactUrl(headers?.get("location") ?? "").replace(/[?#].*/, "") || "?"
      } not followed, as the key would go along`
      : str(error.message)) ??
      (typeof text === "string" &&
        text.slice(0, 2048).replace(
          /^\s*</.test(text) ? /(<(script|style)\b[^]*?(<\/\2>|$)|<[^>]*>?|\s)+/gi : /\s+/g,
          " ",
        ).trim().slice(0, 500));
  const requestId = requestIdOf(headers);
  const message = words(
    describeSite(site) || "Request",
    "failed",
    status !== undefined && `with status ${status}`,
    code && `(code ${code})`,
  ) + (serviceMessage ? `: ${serviceMessage}` : "") +
    (requestId ? ` [request id ${requestId}]` : "");
  const Kind: new (message: string, init: RateLimitErrorInit) => AzureOpenAIError =
    (status ?? 400) === 400 &&
      (code === "content_filter" ||
        (status && inner?.code === "ResponsibleAIPolicyViolation"))
      ? ContentFilterError
      : BY_STATUS[status!] ?? (status! >= 500 ? InternalServerError : AzureOpenAIError);
  return new Kind(message, {
    status,
    code,
    param: str(error.param),
    type: str(error.type),
    requestId,
    headers,
    innerError: inner,
    contentFilterResults: [
      inner?.content_filter_results,
      inner?.content_filter_result,
      error.content_filter_results,
      error.content_filter_result,
    ].find(isRecord),
    revisedPrompt: str(inner?.revised_prompt) ?? str(error.revised_prompt),
    body,
    // Read only by RateLimitError (the 429s).
    retryAfterMs: headers && parseRetryAfterMs(headers),
  });
}

/**
 * Reads an error response's body (JSON or text; its first ~64 KiB, the rest is cancelled) and
 * builds the typed error.
 *
 * @example Turn a failed Response into a typed error
 * ```ts
 * import { errorFromResponse } from "@aoai/edge";
 * const res = new Response('{"error":{"code":"429","message":"slow"}}', {
 *   status: 429,
 *   headers: { "retry-after": "2" },
 * });
 * const err = await errorFromResponse(res, { operation: "embeddings.create" });
 * console.log(err.message);
 * ```
 */
export async function errorFromResponse(
  response: Response,
  site: ErrorSite = {},
): Promise<AzureOpenAIError> {
  let body: unknown = "";
  let reader: ReadableStreamDefaultReader<Uint8Array> | undefined;
  // At most ~64 KiB of it: an error page can be any size, and only its start is kept.
  const decoder = new TextDecoder();
  try {
    // Throws when a middleware already read the body, or there is none (null).
    reader = response.body!.getReader();
    for (let r; (body as string).length < 65_536 && !(r = await reader.read()).done;) {
      body += decoder.decode(r.value, { stream: true });
    }
  } catch { /* unreadable (e.g. aborted): no body */ }
  reader?.cancel().catch(() => {});
  try {
    body = JSON.parse(body as string);
  } catch { /* not JSON: keep the text */ }
  return errorFromBody(response.status, body, site, response.headers);
}
