import { AzureOpenAIError } from "./api_error.ts";

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
