/**
 * Azure content-filter annotations (`prompt_filter_results`, `content_filter_results`)
 * and the 400 `content_filter` error, as the service returns them.
 *
 * @module
 */

import { jsonResponse } from "./_response.ts";

/** The harm categories with a severity. */
export const SEVERITY_CATEGORIES = ["hate", "self_harm", "sexual", "violence"] as const;

/** One severity category result. */
export interface SeverityResult {
  filtered: boolean;
  severity: "safe" | "low" | "medium" | "high";
}

/** One detection result (jailbreak, profanity, protected material). */
export interface DetectedResult {
  filtered: boolean;
  detected: boolean;
}

function severities(filteredCategory?: string): Record<string, SeverityResult> {
  const out: Record<string, SeverityResult> = {};
  for (const c of SEVERITY_CATEGORIES) {
    out[c] = c === filteredCategory
      ? { filtered: true, severity: "high" }
      : { filtered: false, severity: "safe" };
  }
  return out;
}

/** `content_filter_results` for a prompt; `filteredCategory` marks one category as filtered. */
export function promptContentFilterResults(
  filteredCategory?: string,
): Record<string, SeverityResult | DetectedResult> {
  return { ...severities(filteredCategory), jailbreak: { filtered: false, detected: false } };
}

/** `prompt_filter_results` for `count` prompts, all safe. */
export function promptFilterResults(
  count = 1,
): { prompt_index: number; content_filter_results: Record<string, unknown> }[] {
  const out = [];
  for (let i = 0; i < count; i++) {
    out.push({ prompt_index: i, content_filter_results: promptContentFilterResults() });
  }
  return out;
}

/** Per-choice `content_filter_results`; `filteredCategory` marks one category as filtered. */
export function choiceContentFilterResults(
  filteredCategory?: string,
): Record<string, SeverityResult | DetectedResult> {
  return {
    ...severities(filteredCategory),
    protected_material_code: { filtered: false, detected: false },
    protected_material_text: { filtered: false, detected: false },
  };
}

/**
 * DALL-E `prompt_filter_results` (per image; also the filtered 400's `content_filter_results`):
 * the four severities and `profanity`, as in the 2024-05-01-preview example
 * (examples/image_generation.json), which has no `jailbreak`; with `custom_blocklists` on the
 * api-versions that define it for images: 2024-05-01-preview's dalleFilterResults does, 2024-02-01's
 * and 2024-10-21's do not (so the GA versions get none, the later previews and v1 do).
 */
export function dallePromptFilterResults(
  apiVersion: string,
  filteredCategory?: string,
): Record<string, unknown> {
  const out: Record<string, unknown> = {
    ...severities(filteredCategory),
    profanity: { filtered: false, detected: false },
  };
  if (apiVersion === "v1" || (/-preview$/.test(apiVersion) && apiVersion >= "2024-05-01-preview")) {
    out.custom_blocklists = { filtered: false, details: [] };
  }
  return out;
}

/** DALL-E per-image `content_filter_results`. */
export function dalleContentFilterResults(): Record<string, SeverityResult> {
  return severities();
}

/** The category the emulator reports when its trigger word fires. */
export const TRIGGER_CATEGORY = "violence";

/**
 * The 400 `content_filter` error for a filtered prompt.
 *
 * `shape` picks the field names: `service` (live service: `innererror.content_filter_result`),
 * `spec` (OpenAPI: `inner_error.content_filter_results`) or `both`.
 */
export function promptFilteredError(
  shape: "service" | "spec" | "both",
  headers?: Record<string, string>,
): Response {
  const results = promptContentFilterResults(TRIGGER_CATEGORY);
  const error: Record<string, unknown> = {
    code: "content_filter",
    message:
      "The response was filtered due to the prompt triggering Azure OpenAI's content management policy. Please modify your prompt and retry. To learn more about our content filtering policies please read our documentation: https://go.microsoft.com/fwlink/?linkid=2198766",
    param: "prompt",
    status: 400,
  };
  if (shape !== "spec") {
    error.innererror = { code: "ResponsibleAIPolicyViolation", content_filter_result: results };
  }
  if (shape !== "service") {
    error.inner_error = { code: "ResponsibleAIPolicyViolation", content_filter_results: results };
  }
  return jsonResponse({ error }, 400, headers);
}

/**
 * The DALL-E 400 error for a filtered image prompt (`dalleErrorResponse`) at `apiVersion`;
 * `revised_prompt` only for DALL-E 3 (DALL-E 2 does not revise prompts).
 */
export function imagePromptFilteredError(
  apiVersion: string,
  revisedPrompt: string | undefined,
): Response {
  return jsonResponse({
    error: {
      code: "content_policy_violation",
      message:
        "Your request was rejected as a result of our safety system. Your prompt may contain text that is not allowed by our safety system.",
      inner_error: {
        code: "ResponsibleAIPolicyViolation",
        content_filter_results: dallePromptFilterResults(apiVersion, TRIGGER_CATEGORY),
        revised_prompt: revisedPrompt,
      },
    },
  }, 400);
}
