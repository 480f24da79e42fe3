/**
 * Wire types shared by several Azure OpenAI operations: content filter results,
 * token usage, the service error body and the known `api-version` values.
 *
 * Source: `2024-10-21/inference.json` (base), with fields from `2024-02-01` and
 * `2024-05-01-preview` where they differ. Fields only found in a preview document
 * say so in their JSDoc.
 *
 * @module
 */

/**
 * The `api-version` values this library knows about (the list the emulator accepts),
 * plus `"v1"` (the `/openai/v1/` API, which takes the deployment in the body
 * `model`). Any other string is accepted too, so a newer service version never
 * needs a library update.
 *
 * @example Pick a version
 * ```ts
 * import type { ApiVersion } from "@aoai/edge";
 * const ga: ApiVersion = "2024-10-21";
 * const future: ApiVersion = "2099-01-01-preview";
 * console.log(ga, future.endsWith("-preview")); // 2024-10-21 true
 * ```
 */
export type ApiVersion =
  | "2022-12-01"
  | "2023-03-15-preview"
  | "2023-05-15"
  | "2023-06-01-preview"
  | "2023-07-01-preview"
  | "2023-08-01-preview"
  | "2023-09-01-preview"
  | "2023-10-01-preview"
  | "2023-12-01-preview"
  | "2024-02-01"
  | "2024-02-15-preview"
  | "2024-03-01-preview"
  | "2024-04-01-preview"
  | "2024-05-01-preview"
  | "2024-06-01"
  | "2024-07-01-preview"
  | "2024-08-01-preview"
  | "2024-09-01-preview"
  | "2024-10-01-preview"
  | "2024-10-21"
  | "2024-12-01-preview"
  | "2025-01-01-preview"
  | "2025-02-01-preview"
  | "2025-03-01-preview"
  | "2025-04-01-preview"
  | "v1"
  | (string & Record<never, never>);

/**
 * Severity level of a harm category (`contentFilterSeverityResult.severity`).
 *
 * @example Block from medium severity up
 * ```ts
 * import type { ContentFilterSeverity } from "@aoai/edge";
 * const levels: ContentFilterSeverity[] = ["safe", "low", "medium", "high"];
 * const severity: ContentFilterSeverity = "low";
 * console.log(levels.indexOf(severity) >= levels.indexOf("medium")); // false
 * ```
 */
export type ContentFilterSeverity = "safe" | "low" | "medium" | "high";

/**
 * Result for a severity-rated harm category (hate, sexual, violence, self_harm).
 * The spec marks `severity` required; the project contract keeps it optional, so
 * read it with a fallback.
 *
 * @example Read a category with a fallback
 * ```ts
 * import type { ContentFilterResult } from "@aoai/edge";
 * const violence: ContentFilterResult = { filtered: false, severity: "safe" };
 * console.log(violence.filtered, violence.severity ?? "unknown"); // false "safe"
 * ```
 */
export interface ContentFilterResult {
  /** Whether the content was filtered (blocked or annotated as filtered). */
  filtered: boolean;
  /** The severity the classifier assigned. */
  severity?: ContentFilterSeverity;
}

/**
 * Result for a detection-style filter (profanity, jailbreak, protected material text).
 *
 * @example A detected jailbreak attempt
 * ```ts
 * import type { ContentFilterDetectedResult } from "@aoai/edge";
 * const jailbreak: ContentFilterDetectedResult = { filtered: true, detected: true };
 * console.log(jailbreak.detected && jailbreak.filtered); // true
 * ```
 */
export interface ContentFilterDetectedResult {
  /** Whether the content was filtered. */
  filtered: boolean;
  /** Whether the filter detected the category in the content. */
  detected: boolean;
}

/**
 * Source citation attached to a protected-material-code detection.
 *
 * @example Show where matched code comes from
 * ```ts
 * import type { ContentFilterCitation } from "@aoai/edge";
 * const citation: ContentFilterCitation = {
 *   URL: "https://github.com/octo-org/octo-repo",
 *   license: "MIT",
 * };
 * console.log(`${citation.license ?? "unknown license"}: ${citation.URL}`);
 * // "MIT: https://github.com/octo-org/octo-repo"
 * ```
 */
export interface ContentFilterCitation {
  /** URL of the source the code matched (the service spells it in upper case). */
  URL?: string;
  /** License of the matched source. */
  license?: string;
}

/**
 * Result for protected material code: a detection that may carry a citation.
 *
 * @example Protected material code on a choice
 * ```ts
 * import type { ContentFilterDetectedWithCitationResult } from "@aoai/edge";
 * const code: ContentFilterDetectedWithCitationResult = {
 *   filtered: false,
 *   detected: true,
 *   citation: { URL: "https://github.com/octo-org/octo-repo", license: "MIT" },
 * };
 * if (code.detected) console.log("matches code under", code.citation?.license);
 * // matches code under MIT
 * ```
 */
export interface ContentFilterDetectedWithCitationResult extends ContentFilterDetectedResult {
  /** Where the matched code comes from, when known. */
  citation?: ContentFilterCitation;
}

/**
 * Result of one custom blocklist (`contentFilterIdResult`, 2024-05-01-preview).
 *
 * @example One custom blocklist
 * ```ts
 * import type { ContentFilterIdResult } from "@aoai/edge";
 * const list: ContentFilterIdResult = { filtered: true, id: "brand-names" };
 * console.log(list.filtered ? `blocked by ${list.id}` : "allowed"); // "blocked by brand-names"
 * ```
 */
export interface ContentFilterIdResult {
  /** Whether this blocklist filtered the content. */
  filtered: boolean;
  /** The blocklist id. */
  id: string;
}

/**
 * Custom blocklist results (`contentFilterDetailedResults`, 2024-05-01-preview):
 * whether any list filtered, and the per-list details.
 *
 * @example Which blocklists filtered
 * ```ts
 * import type { ContentFilterDetailedResults } from "@aoai/edge";
 * const lists: ContentFilterDetailedResults = {
 *   filtered: true,
 *   details: [{ filtered: true, id: "brand-names" }, { filtered: false, id: "competitors" }],
 * };
 * console.log(lists.details.filter((d) => d.filtered).map((d) => d.id)); // [ "brand-names" ]
 * ```
 */
export interface ContentFilterDetailedResults {
  /** Whether any custom blocklist filtered the content. */
  filtered: boolean;
  /** One entry per blocklist that was evaluated. */
  details: ContentFilterIdResult[];
}

/**
 * The `error` member of a content filter result set: the filter itself failed.
 *
 * @example The filter could not run
 * ```ts
 * import type { ContentFilterErrorDetail, ContentFilterResults } from "@aoai/edge";
 * const error: ContentFilterErrorDetail = {
 *   code: "content_filter_error",
 *   message: "The contents are not filtered",
 * };
 * const results: ContentFilterResults = { error };
 * console.log(results.error?.code); // "content_filter_error"
 * ```
 */
export interface ContentFilterErrorDetail {
  /** Service error code. */
  code?: string;
  /** Human-readable message. */
  message?: string;
}

/**
 * Content filter results on a prompt or a choice. The union of
 * `contentFilterPromptResults` and `contentFilterChoiceResults` (every member is
 * optional; prompts carry `jailbreak`, choices carry `protected_material_*`).
 *
 * @example List the filtered categories
 * ```ts
 * import type { ContentFilterResults } from "@aoai/edge";
 * const results: ContentFilterResults = {
 *   hate: { filtered: false, severity: "safe" },
 *   self_harm: { filtered: false, severity: "safe" },
 *   sexual: { filtered: false, severity: "safe" },
 *   violence: { filtered: true, severity: "medium" },
 *   jailbreak: { filtered: false, detected: false },
 * };
 * const categories = ["hate", "self_harm", "sexual", "violence"] as const;
 * console.log(categories.filter((c) => results[c]?.filtered)); // [ "violence" ]
 * ```
 */
export interface ContentFilterResults {
  /** Hate category. */
  hate?: ContentFilterResult;
  /** Sexual category. */
  sexual?: ContentFilterResult;
  /** Violence category. */
  violence?: ContentFilterResult;
  /** Self-harm category. */
  self_harm?: ContentFilterResult;
  /** Profanity detection. */
  profanity?: ContentFilterDetectedResult;
  /** Jailbreak (prompt attack) detection; prompts only. */
  jailbreak?: ContentFilterDetectedResult;
  /** Indirect attack detection; prompts only. Preview-only (2024-05-01-preview). */
  indirect_attack?: ContentFilterDetectedResult;
  /** Protected material text detection; completions only. */
  protected_material_text?: ContentFilterDetectedResult;
  /** Protected material code detection; completions only. */
  protected_material_code?: ContentFilterDetectedWithCitationResult;
  /**
   * Custom blocklist results. Preview-only: 2024-05-01-preview sends
   * `{ filtered, details }`; older previews sent a bare array of id results.
   */
  custom_blocklists?: ContentFilterDetailedResults | ContentFilterIdResult[];
  /** Set when the content filter itself failed to run. */
  error?: ContentFilterErrorDetail;
}

/**
 * Content filter results for one prompt of the request (`promptFilterResult`).
 *
 * @example Check the prompt for a jailbreak
 * ```ts
 * import type { PromptFilterResult } from "@aoai/edge";
 * const result: PromptFilterResult = {
 *   prompt_index: 0,
 *   content_filter_results: {
 *     hate: { filtered: false, severity: "safe" },
 *     jailbreak: { filtered: false, detected: false },
 *   },
 * };
 * console.log(result.content_filter_results?.jailbreak?.detected); // false
 * ```
 */
export interface PromptFilterResult {
  /** Index of the prompt this result is about (0 for chat). */
  prompt_index: number;
  /** The filter results for that prompt. */
  content_filter_results?: ContentFilterResults;
}

/**
 * Breakdown of completion tokens (`completionUsage.completion_tokens_details`).
 *
 * @example Tokens spent on reasoning
 * ```ts
 * import type { CompletionTokensDetails } from "@aoai/edge";
 * const details: CompletionTokensDetails = { reasoning_tokens: 192 };
 * console.log(details.reasoning_tokens ?? 0); // 192
 * ```
 */
export interface CompletionTokensDetails {
  /** Tokens the model generated for reasoning (o1-style models). */
  reasoning_tokens?: number;
  /** Audio output tokens. Not in these specs; returned by newer API versions. */
  audio_tokens?: number;
  /** Accepted predicted-output tokens. Not in these specs; newer API versions. */
  accepted_prediction_tokens?: number;
  /** Rejected predicted-output tokens. Not in these specs; newer API versions. */
  rejected_prediction_tokens?: number;
}

/**
 * Breakdown of prompt tokens. Not in these specs; returned by newer API versions.
 *
 * @example Share of the prompt served from the cache
 * ```ts
 * import type { CompletionUsage, PromptTokensDetails } from "@aoai/edge";
 * const details: PromptTokensDetails = { cached_tokens: 1024 };
 * const usage: CompletionUsage = {
 *   prompt_tokens: 2048,
 *   completion_tokens: 30,
 *   total_tokens: 2078,
 *   prompt_tokens_details: details,
 * };
 * console.log((usage.prompt_tokens_details?.cached_tokens ?? 0) / usage.prompt_tokens); // 0.5
 * ```
 */
export interface PromptTokensDetails {
  /** Prompt tokens served from the prompt cache. */
  cached_tokens?: number;
  /** Audio input tokens. */
  audio_tokens?: number;
}

/**
 * Token usage of a completion or chat completion (`completionUsage`).
 *
 * @example Count the tokens of a reply
 * ```ts
 * import type { CompletionUsage } from "@aoai/edge";
 * const usage: CompletionUsage = { prompt_tokens: 6, completion_tokens: 20, total_tokens: 26 };
 * console.log(usage.total_tokens); // 26
 * ```
 */
export interface CompletionUsage {
  /** Tokens in the prompt. */
  prompt_tokens: number;
  /** Tokens in the generated completion. */
  completion_tokens: number;
  /** `prompt_tokens + completion_tokens`. */
  total_tokens: number;
  /** Breakdown of completion tokens (2024-10-21). */
  completion_tokens_details?: CompletionTokensDetails;
  /** Breakdown of prompt tokens (newer API versions). */
  prompt_tokens_details?: PromptTokensDetails;
}

/**
 * Known `inner_error.code` values; other strings may appear.
 *
 * @example Recognise a policy violation
 * ```ts
 * import type { InnerErrorCode } from "@aoai/edge";
 * const code: InnerErrorCode = "ResponsibleAIPolicyViolation";
 * console.log(code === "ResponsibleAIPolicyViolation" ? "rephrase the prompt" : code);
 * // "rephrase the prompt"
 * ```
 */
export type InnerErrorCode = "ResponsibleAIPolicyViolation" | (string & Record<never, never>);

/**
 * Extra detail of a service error (`innerError` / `dalleInnerError`). The spec
 * spells the filter member `content_filter_results`; the live service also sends
 * `content_filter_result` (singular). Read both.
 *
 * @example Read the filter results under either spelling
 * ```ts
 * import type { ErrorInnerError } from "@aoai/edge";
 * const inner: ErrorInnerError = {
 *   code: "ResponsibleAIPolicyViolation",
 *   content_filter_result: { violence: { filtered: true, severity: "high" } },
 * };
 * const filters = inner.content_filter_results ?? inner.content_filter_result;
 * console.log(filters?.violence?.severity); // "high"
 * ```
 */
export interface ErrorInnerError {
  /** Inner error code, e.g. `"ResponsibleAIPolicyViolation"`. */
  code?: InnerErrorCode;
  /** Filter results that caused the error (spec spelling). */
  content_filter_results?: ContentFilterResults;
  /** Filter results that caused the error (spelling seen from the live service). */
  content_filter_result?: ContentFilterResults;
  /** Image generation only: the prompt after the service revised it. */
  revised_prompt?: string;
}

/**
 * The service error object: the value of `error` in an error response (`error` /
 * `dalleError` in the spec). The spec names the detail `inner_error`; the live
 * service (and the OpenAI-style shape) uses `innererror`. Both are declared.
 *
 * @example Read a content filter error
 * ```ts
 * import type { ErrorResponse } from "@aoai/edge";
 * const res: ErrorResponse = {
 *   error: {
 *     code: "content_filter",
 *     message: "The response was filtered.",
 *     param: "prompt",
 *     innererror: {
 *       code: "ResponsibleAIPolicyViolation",
 *       content_filter_result: { hate: { filtered: true, severity: "high" } },
 *     },
 *   },
 * };
 * const inner = res.error?.inner_error ?? res.error?.innererror;
 * const filters = inner?.content_filter_results ?? inner?.content_filter_result;
 * console.log(res.error?.code, filters?.hate?.filtered); // content_filter true
 * ```
 */
export interface ErrorBody {
  /** Service error code, e.g. `"content_filter"`, `"429"`, `"DeploymentNotFound"`. */
  code?: string | null;
  /** Human-readable message. */
  message?: string;
  /** The request parameter the error is about, when there is one. */
  param?: string | null;
  /** OpenAI-style error type, e.g. `"invalid_request_error"`. */
  type?: string | null;
  /** HTTP status echoed in the body by some Azure front ends. */
  status?: number;
  /** Extra detail (spec spelling). */
  inner_error?: ErrorInnerError;
  /** Extra detail (spelling seen from the live service). */
  innererror?: ErrorInnerError;
}

/**
 * The body of an error response (`errorResponse` / `dalleErrorResponse`).
 *
 * @example Read the body of a failed call
 * ```ts
 * import { AzureOpenAI, AzureOpenAIError, type ErrorResponse } from "@aoai/edge";
 * import { createEmulator } from "@aoai/edge/emulator";
 * const emulator = createEmulator(); // a local stand-in for your resource
 * const client = new AzureOpenAI({
 *   endpoint: "http://emulator.local",
 *   apiKey: emulator.apiKey,
 *   fetch: emulator.fetch,
 * });
 * const err = await client.completions.create({ model: "missing", prompt: "Hi" }).catch((e) => e);
 * if (err instanceof AzureOpenAIError) {
 *   console.log((err.body as ErrorResponse).error?.code); // "DeploymentNotFound"
 * }
 * ```
 */
export interface ErrorResponse {
  /** The error. The spec marks it optional; real error bodies always carry it. */
  error?: ErrorBody;
}

/**
 * The other error body the Azure gateway (APIM) sends, e.g. for a bad key or an
 * unknown resource: `{ "statusCode": 401, "message": "..." }`. Not in the specs.
 *
 * @example Tell a gateway error from a service error
 * ```ts
 * import type { ErrorResponse, GatewayErrorBody } from "@aoai/edge";
 * const res = new Response(
 *   JSON.stringify({ statusCode: 401, message: "Access denied due to invalid subscription key." }),
 *   { status: 401 },
 * );
 * const body: GatewayErrorBody | ErrorResponse = await res.json();
 * console.log("statusCode" in body ? body.statusCode : body.error?.code); // 401
 * ```
 */
export interface GatewayErrorBody {
  /** HTTP status code. */
  statusCode: number;
  /** Human-readable message. */
  message: string;
}
