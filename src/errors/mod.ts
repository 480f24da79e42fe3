/**
 * Typed errors of the client and the helpers that build them from responses.
 * @module
 */
export {
  APIConnectionError,
  type APIErrorInit,
  APITimeoutError,
  // The `openai` SDK's names: code that catches by them works with an import change only.
  APITimeoutError as APIConnectionTimeoutError,
  APIUserAbortError,
  AuthenticationError,
  AzureOpenAIError,
  AzureOpenAIError as APIError,
  AzureOpenAIError as OpenAIError,
  BadRequestError,
  ConflictError,
  ContentFilterError,
  ContentFilterFinishReasonError,
  InternalServerError,
  LengthFinishReasonError,
  NotFoundError,
  PermissionDeniedError,
  RateLimitError,
  type RateLimitErrorInit,
  UnprocessableEntityError,
} from "./api_error.ts";
export type { ContentFilterResultsLike } from "./_shapes.ts";
export {
  describeSite,
  errorFromBody,
  errorFromResponse,
  type ErrorSite,
  requestIdOf,
} from "./from_response.ts";
export { parseRetryAfterMs } from "./retry_after.ts";
export { redactSecrets, redactUrl } from "./redact.ts";
