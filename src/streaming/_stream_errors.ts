// The errors a Stream raises, with messages that say what happened and what to do
// (not exported from mod.ts).
import {
  APIConnectionError,
  APITimeoutError,
  APIUserAbortError,
  AzureOpenAIError,
} from "../errors/api_error.ts";
import { describeSite, errorFromBody, requestIdOf } from "../errors/from_response.ts";

/** Where a stream's errors happened: the operation and the upstream response. */
export interface StreamSite {
  operation: string;
  response: Response;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function where(site: StreamSite): string {
  return describeSite({ operation: site.operation, url: site.response.url || undefined });
}

function requestId(site: StreamSite): string | undefined {
  return requestIdOf(site.response.headers);
}

/** The typed error for an `event: error` payload (text) or a chunk with an `error` member. */
export function payloadError(
  site: StreamSite,
  payload: unknown,
  isEvent: boolean,
): AzureOpenAIError {
  let body = payload;
  if (typeof payload === "string") {
    try {
      body = JSON.parse(payload);
    } catch {
      body = payload;
    }
  }
  const error = isRecord(body) && isRecord(body.error) ? body.error : isRecord(body) ? body : {};
  const code = typeof error.code === "string" ? error.code : undefined;
  let status: number | undefined;
  if (typeof error.status === "number") status = error.status;
  else if (code !== undefined && /^[45]\d\d$/.test(code)) status = Number(code);
  else if (error.type === "server_error") status = 500;
  return errorFromBody(
    status,
    body,
    {
      operation: `${site.operation} (${isEvent ? "stream error event" : "error in stream"})`,
      url: site.response.url || undefined,
    },
    site.response.headers,
  );
}

/** The body ended (or was missing) before `data: [DONE]`. */
export function endedEarlyError(site: StreamSite, chunks: number): APIConnectionError {
  return new APIConnectionError(
    `${where(site)} stream ended before [DONE] after ${chunks} chunks; the connection was ` +
      "closed early, retry the request",
    { requestId: requestId(site) },
  );
}

/** Reading the body failed (connection reset, network error). */
export function brokenError(site: StreamSite, chunks: number, cause: unknown): APIConnectionError {
  const detail = cause instanceof Error ? cause.message : String(cause);
  return new APIConnectionError(
    `${where(site)} stream broke after ${chunks} chunks: ${detail}; retry the request`,
    { cause, requestId: requestId(site) },
  );
}

/** The caller aborted (or the idle timeout did, in which case its error is kept). */
export function abortError(site: StreamSite, reason: unknown): AzureOpenAIError {
  if (reason instanceof APITimeoutError) return reason;
  return new APIUserAbortError(`${where(site)} stream was aborted by the caller`, {
    cause: reason,
    requestId: requestId(site),
  });
}

/** The stream was cancelled (loop left early) before the result was complete. */
export function cancelledError(site: StreamSite): APIUserAbortError {
  return new APIUserAbortError(
    `${where(site)} stream was cancelled before it finished; the result is incomplete`,
    { requestId: requestId(site) },
  );
}

/** Nothing arrived for `ms` milliseconds. */
export function idleError(site: StreamSite, ms: number, chunks: number): APITimeoutError {
  return new APITimeoutError(
    `${where(site)} stream received nothing for ${ms} ms (idleTimeoutMs) after ${chunks} ` +
      "chunks; the connection was closed, retry or raise the idle timeout",
    { requestId: requestId(site) },
  );
}

/** A `data:` event that is not JSON. */
export function notJsonError(site: StreamSite, data: string, cause: unknown): AzureOpenAIError {
  return new AzureOpenAIError(
    `${where(site)} sent a stream event that is not JSON (${data.slice(0, 120)}); check ` +
      "that the endpoint is an Azure OpenAI deployment",
    { cause, requestId: requestId(site) },
  );
}

/** The SSE parser (or an `onChunk` callback) failed on a piece of the body. */
export function unparsableError(site: StreamSite, cause: unknown): AzureOpenAIError {
  return new AzureOpenAIError(`${where(site)} stream could not be processed: ${String(cause)}`, {
    cause,
    requestId: requestId(site),
  });
}

/** The body is already being read by someone else. */
export function lockedBodyError(site: StreamSite): TypeError {
  return new TypeError(
    `${where(site)}: the response body is already being read; create one stream per response`,
  );
}
