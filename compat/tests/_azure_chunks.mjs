// Azure's chat stream shapes shared by the compat tests and the Deno streaming tests: the four
// content filter categories all safe, and the first chunk Azure sends (no choices, only the
// prompt's filter results, with empty id, model and object and created 0).

/** `content_filter_results` with the four categories all safe. */
export const SAFE_FILTERS = Object.fromEntries(
  ["hate", "self_harm", "sexual", "violence"].map((
    k,
  ) => [k, { filtered: false, severity: "safe" }]),
);

/** The prompt-filter-only chunk Azure sends first. */
export const PROMPT_FILTER_CHUNK = {
  choices: [],
  created: 0,
  id: "",
  model: "",
  object: "",
  prompt_filter_results: [{
    prompt_index: 0,
    content_filter_results: { ...SAFE_FILTERS, jailbreak: { filtered: false, detected: false } },
  }],
};
