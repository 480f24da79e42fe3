import {
  type APIErrorInit,
  AuthenticationError,
  AzureOpenAIError,
  BadRequestError,
  ConflictError,
  ContentFilterError,
  InternalServerError,
  NotFoundError,
  PermissionDeniedError,
  RateLimitError,
  UnprocessableEntityError,
} from "./api_error.ts";
import { parseRetryAfterMs } from "./retry_after.ts";
import { redactUrl } from "./redact.ts";

/** Where an error happened: used in messages. */
export interface ErrorSite {
  /** Operation id, e.g. `"chat.completions.create"`. */
  operation?: string;
  /** HTTP method. */
  method?: string;
  /** Request URL (query secrets are redacted before use). */
  url?: string;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function str(value: unknown): string | undefined {
  if (typeof value === "string") return value;
  if (typeof value === "number") return String(value);
  return undefined;
}

/** Builds the "what and where" prefix of an error message. */
export function describeSite(site: ErrorSite): string {
  const parts: string[] = [];
  if (site.operation) parts.push(site.operation);
  if (site.method || site.url) {
    parts.push(
      `(${[site.method, site.url ? redactUrl(site.url) : undefined].filter(Boolean).join(" ")})`,
    );
  }
  return parts.join(" ");
}

/** Reads the request id Azure puts on every response. */
export function requestIdOf(headers: Headers | undefined): string | undefined {
  return headers?.get("apim-request-id") ?? headers?.get("x-request-id") ?? undefined;
}

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
  const error = isRecord(body) && isRecord(body.error) ? body.error : isRecord(body) ? body : {};
  const inner = isRecord(error.inner_error)
    ? error.inner_error
    : isRecord(error.innererror)
    ? error.innererror
    : undefined;
  const filter = [
    inner?.content_filter_results,
    inner?.content_filter_result,
    error.content_filter_results,
    error.content_filter_result,
  ].find(isRecord);
  const code = str(error.code);
  const serviceMessage = str(error.message) ??
    (typeof body === "string" && body.trim() ? body.trim().slice(0, 500) : undefined);
  const requestId = requestIdOf(headers);
  const init: APIErrorInit & { retryAfterMs?: number } = {
    status,
    code,
    param: str(error.param),
    type: str(error.type),
    requestId,
    headers,
    innerError: inner,
    contentFilterResults: filter,
    revisedPrompt: str(inner?.revised_prompt) ?? str(error.revised_prompt),
    body,
  };
  const where = describeSite(site);
  const message = [
    where ? `${where} failed` : "Request failed",
    status !== undefined ? `with status ${status}` : undefined,
    code ? `(code ${code})` : undefined,
    serviceMessage ? `: ${serviceMessage}` : undefined,
    requestId ? ` [request id ${requestId}]` : undefined,
  ].filter(Boolean).join(" ").replace(/ :/g, ":").replace(/ \[/g, " [");
  const innerCode = str(inner?.code);
  if (status === 400 || (status === undefined && code === "content_filter")) {
    if (code === "content_filter" || innerCode === "ResponsibleAIPolicyViolation") {
      return new ContentFilterError(message, init);
    }
    return new BadRequestError(message, init);
  }
  switch (status) {
    case 401:
      return new AuthenticationError(message, init);
    case 403:
      return new PermissionDeniedError(message, init);
    case 404:
      return new NotFoundError(message, init);
    case 409:
      return new ConflictError(message, init);
    case 422:
      return new UnprocessableEntityError(message, init);
    case 429:
      return new RateLimitError(message, {
        ...init,
        retryAfterMs: headers ? parseRetryAfterMs(headers) : undefined,
      });
  }
  if (status !== undefined && status >= 500) return new InternalServerError(message, init);
  return new AzureOpenAIError(message, init);
}

/**
 * Reads an error response's body (JSON or text) and builds the typed error.
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
  let text = "";
  try {
    text = await response.text();
  } catch {
    text = "";
  }
  let body: unknown = text;
  if (text) {
    try {
      body = JSON.parse(text);
    } catch {
      body = text;
    }
  }
  return errorFromBody(response.status, body, site, response.headers);
}
