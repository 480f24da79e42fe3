/**
 * Content filter results as found in error bodies: category → verdict, kept loose.
 *
 * @example Read which category blocked a prompt
 * ```ts
 * import { type ContentFilterResultsLike, errorFromBody } from "@aoai/edge";
 * const err = errorFromBody(400, {
 *   error: {
 *     code: "content_filter",
 *     message: "The response was filtered due to the prompt triggering content management policy.",
 *     innererror: {
 *       code: "ResponsibleAIPolicyViolation",
 *       content_filter_result: { violence: { filtered: true, severity: "medium" } },
 *     },
 *   },
 * });
 * const results: ContentFilterResultsLike = err.contentFilterResults ?? {};
 * console.log(Object.keys(results)); // [ "violence" ]
 * ```
 */
export type ContentFilterResultsLike = Record<string, unknown>;
