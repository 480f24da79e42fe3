import type { ContentFilterResultsLike } from "./_shapes.ts";

/**
 * Fields every API error carries, parsed from the service's error body and headers.
 *
 * @example Build an error the way the client does
 * ```ts
 * import { type APIErrorInit, NotFoundError } from "@aoai/edge";
 * const init: APIErrorInit = {
 *   status: 404,
 *   code: "DeploymentNotFound",
 *   requestId: "0c6c1ec5-0a8f-4f2c-9d5e-1b2a3c4d5e6f",
 * };
 * const err = new NotFoundError("The API deployment for this resource does not exist.", init);
 * console.log(err.code, err.requestId); // DeploymentNotFound 0c6c1ec5-0a8f-4f2c-9d5e-1b2a3c4d5e6f
 * ```
 */
export interface APIErrorInit {
  /** HTTP status, when a response arrived. */
  status?: number;
  /** Service error code, e.g. `"content_filter"`, `"DeploymentNotFound"`, `"429"`. */
  code?: string;
  /** The request parameter the service blamed, e.g. `"prompt"`. */
  param?: string;
  /** Service error type, e.g. `"invalid_request_error"`. */
  type?: string;
  /** `apim-request-id` or `x-request-id` of the failed request. */
  requestId?: string;
  /** Response headers of the failed request. */
  headers?: Headers;
  /** `inner_error` / `innererror` of the error body. */
  innerError?: Record<string, unknown>;
  /** Content filter results found in the error body. */
  contentFilterResults?: ContentFilterResultsLike;
  /** DALL-E `revised_prompt` carried by some error bodies. */
  revisedPrompt?: string;
  /** The parsed error body (JSON) or its text. */
  body?: unknown;
  /** The underlying failure, if any. */
  cause?: unknown;
}

/**
 * Base class of every error this library throws.
 *
 * @example Catch any library error
 * ```ts
 * import { AzureOpenAIError } from "@aoai/edge";
 * try {
 *   throw new AzureOpenAIError("boom", { status: 500 });
 * } catch (err) {
 *   if (err instanceof AzureOpenAIError) console.log(err.status);
 * }
 * ```
 */
export class AzureOpenAIError extends Error {
  /** HTTP status, when a response arrived. */
  declare readonly status: number | undefined;
  /** Service error code. */
  declare readonly code: string | undefined;
  /** Parameter the service blamed. */
  declare readonly param: string | undefined;
  /** Service error type. */
  declare readonly type: string | undefined;
  /** `apim-request-id` / `x-request-id` of the failed request. */
  declare readonly requestId: string | undefined;
  /** `inner_error` / `innererror` of the error body. */
  declare readonly innerError: Record<string, unknown> | undefined;
  /** Content filter results found in the error body. */
  declare readonly contentFilterResults: ContentFilterResultsLike | undefined;
  /** Response headers of the failed request. */
  declare readonly headers: Headers | undefined;
  /** DALL-E `revised_prompt` from the error body, when present. */
  declare readonly revisedPrompt: string | undefined;
  /** The parsed error body. */
  declare readonly body: unknown;

  /** The body's `error` object (code, message, param, inner error…), as the SDK's `err.error`. */
  get error(): Record<string, unknown> | undefined {
    return (this.body as { error?: Record<string, unknown> } | undefined)?.error;
  }

  /** `requestId` by the `openai` SDK's name. */
  get requestID(): string | undefined {
    return this.requestId;
  }

  /** Creates an error; `init.cause` is kept as `cause`. */
  constructor(message: string, init: APIErrorInit = {}) {
    super(message, init.cause === undefined ? undefined : init);
    this.name = new.target.name;
    for (const key of FIELDS) (this as Record<string, unknown>)[key] = init[key];
  }

  /** A JSON view without headers or cause, safe to log (with `retryAfterMs` on a 429). */
  toJSON(): Record<string, unknown> {
    const json: Record<string, unknown> = { name: this.name, message: this.message };
    for (const key of [...FIELDS.slice(0, 7), "retryAfterMs"]) {
      if (key in this) json[key] = this[key as keyof this];
    }
    return json;
  }
}

/** The fields an error copies from its init; the first seven are also in `toJSON()`. */
const FIELDS = [
  "status",
  "code",
  "param",
  "type",
  "requestId",
  "innerError",
  "contentFilterResults",
  "headers",
  "revisedPrompt",
  "body",
] as const;

/**
 * HTTP 400 from the service.
 *
 * @example Inspect the blamed parameter
 * ```ts
 * import { BadRequestError } from "@aoai/edge";
 * const err = new BadRequestError("bad", { status: 400, param: "messages" });
 * console.log(err.param);
 * ```
 */
export class BadRequestError extends AzureOpenAIError {}

/**
 * HTTP 400 with code `content_filter`: the prompt or the output was filtered.
 *
 * @example Tell a filtered prompt from other 400s
 * ```ts
 * import { BadRequestError, ContentFilterError } from "@aoai/edge";
 * const err = new ContentFilterError("filtered", { status: 400, code: "content_filter" });
 * console.log(err instanceof BadRequestError, err.contentFilterResults);
 * ```
 */
export class ContentFilterError extends BadRequestError {}

/**
 * HTTP 401: the key or token was refused.
 *
 * @example
 * ```ts
 * import { AuthenticationError } from "@aoai/edge";
 * console.log(new AuthenticationError("no", { status: 401 }).status);
 * ```
 */
export class AuthenticationError extends AzureOpenAIError {}

/**
 * HTTP 403: the identity lacks permission.
 *
 * @example
 * ```ts
 * import { PermissionDeniedError } from "@aoai/edge";
 * console.log(new PermissionDeniedError("no", { status: 403 }).status);
 * ```
 */
export class PermissionDeniedError extends AzureOpenAIError {}

/**
 * HTTP 404: unknown deployment, operation or path.
 *
 * @example
 * ```ts
 * import { NotFoundError } from "@aoai/edge";
 * console.log(new NotFoundError("no", { status: 404, code: "DeploymentNotFound" }).code);
 * ```
 */
export class NotFoundError extends AzureOpenAIError {}

/**
 * HTTP 409: conflict.
 *
 * @example
 * ```ts
 * import { ConflictError } from "@aoai/edge";
 * console.log(new ConflictError("no", { status: 409 }).status);
 * ```
 */
export class ConflictError extends AzureOpenAIError {}

/**
 * HTTP 422: the request was understood but cannot be processed.
 *
 * @example
 * ```ts
 * import { UnprocessableEntityError } from "@aoai/edge";
 * console.log(new UnprocessableEntityError("no", { status: 422 }).status);
 * ```
 */
export class UnprocessableEntityError extends AzureOpenAIError {}

/**
 * Fields of a {@link RateLimitError}.
 *
 * @example A 429 that asks to wait 2 s
 * ```ts
 * import { RateLimitError, type RateLimitErrorInit } from "@aoai/edge";
 * const init: RateLimitErrorInit = { status: 429, code: "429", retryAfterMs: 2_000 };
 * const err = new RateLimitError("Requests have exceeded the rate limit of your tier.", init);
 * console.log(err.retryAfterMs, err.toJSON().retryAfterMs); // 2000 2000
 * ```
 */
export interface RateLimitErrorInit extends APIErrorInit {
  /** How long the service asked to wait, in milliseconds. */
  retryAfterMs?: number;
}

/**
 * HTTP 429: rate limited. `retryAfterMs` is what the service asked to wait.
 *
 * @example Wait as asked
 * ```ts
 * import { RateLimitError } from "@aoai/edge";
 * const err = new RateLimitError("slow down", { status: 429, retryAfterMs: 2000 });
 * console.log(err.retryAfterMs);
 * ```
 */
export class RateLimitError extends AzureOpenAIError {
  /** How long the service asked to wait, in milliseconds, when it said. */
  declare readonly retryAfterMs: number | undefined;
  /** Creates a rate-limit error. */
  constructor(message: string, init: RateLimitErrorInit = {}) {
    super(message, init);
    this.retryAfterMs = init.retryAfterMs;
  }
}

/**
 * HTTP 500 and above.
 *
 * @example
 * ```ts
 * import { InternalServerError } from "@aoai/edge";
 * console.log(new InternalServerError("oops", { status: 503 }).status);
 * ```
 */
export class InternalServerError extends AzureOpenAIError {}

/**
 * The connection failed: no response came (DNS, refused connection, reset), or a reply or stream
 * was cut short while its body was read (a stream also when its body is no event stream). The
 * underlying failure, if any, is kept as `cause`.
 *
 * @example
 * ```ts
 * import { APIConnectionError } from "@aoai/edge";
 * const err = new APIConnectionError("reset", { cause: new TypeError("reset") });
 * console.log(err.cause);
 * ```
 */
export class APIConnectionError extends AzureOpenAIError {}

/**
 * The request or stream ran past its `timeoutMs` (or stream idle timeout).
 *
 * @example
 * ```ts
 * import { APIConnectionError, APITimeoutError } from "@aoai/edge";
 * console.log(new APITimeoutError("slow") instanceof APIConnectionError);
 * ```
 */
export class APITimeoutError extends APIConnectionError {}

/**
 * The caller aborted the request through its `signal`, or a stream is read on after a consumer
 * cancelled it (a `break` out of a loop, a cancelled `toReadableStream()`): it is incomplete.
 *
 * @example
 * ```ts
 * import { APIUserAbortError } from "@aoai/edge";
 * console.log(new APIUserAbortError("aborted").name);
 * ```
 */
export class APIUserAbortError extends AzureOpenAIError {}

/**
 * Thrown by `chat.completions.parse()` when a choice ended with `finish_reason: "length"`: its
 * content was cut, so it cannot be parsed (the `openai` SDK's error of this name). Raise
 * `max_completion_tokens` (or `max_tokens`), or ask for a shorter answer.
 *
 * @example Tell a cut answer from other errors
 * ```ts
 * import { AzureOpenAIError, LengthFinishReasonError } from "@aoai/edge";
 * const err = new LengthFinishReasonError();
 * console.log(err instanceof AzureOpenAIError, err.name); // true "LengthFinishReasonError"
 * ```
 */
export class LengthFinishReasonError extends AzureOpenAIError {
  /** Creates the error (no arguments, as the SDK's). */
  constructor() {
    super("Could not parse response content as the length limit was reached (raise max_tokens)");
  }
}

/**
 * Thrown by `chat.completions.parse()` when a choice ended with
 * `finish_reason: "content_filter"`: the content filter cut its content, so it cannot be parsed
 * (the `openai` SDK's error of this name).
 *
 * @example Tell a filtered answer from other errors
 * ```ts
 * import { AzureOpenAIError, ContentFilterFinishReasonError } from "@aoai/edge";
 * const err = new ContentFilterFinishReasonError();
 * console.log(err instanceof AzureOpenAIError, err.name); // true "ContentFilterFinishReasonError"
 * ```
 */
export class ContentFilterFinishReasonError extends AzureOpenAIError {
  /** Creates the error (no arguments, as the SDK's). */
  constructor() {
    super("Could not parse response content as the request was rejected by the content filter");
  }
}

// Bundlers that minify rename classes, and `name` comes from `new.target.name`: the classes get
// their names from the keys here, so `err.name` survives minification.
for (
  const [name, ErrorClass] of Object.entries({
    AzureOpenAIError,
    BadRequestError,
    ContentFilterError,
    AuthenticationError,
    PermissionDeniedError,
    NotFoundError,
    ConflictError,
    UnprocessableEntityError,
    RateLimitError,
    InternalServerError,
    APIConnectionError,
    APITimeoutError,
    APIUserAbortError,
    LengthFinishReasonError,
    ContentFilterFinishReasonError,
  })
) Object.defineProperty(ErrorClass, "name", { value: name });
