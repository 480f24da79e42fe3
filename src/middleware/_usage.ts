// Reading the token counts of a reply's `usage` object (shared by logger() and the edge app).

/** The token counts of a reply. */
export interface TokenCounts {
  /** Tokens of the prompt or input. */
  prompt_tokens: number;
  /** Tokens of the reply (none for embeddings). */
  completion_tokens?: number;
  /** Prompt and reply tokens together. */
  total_tokens: number;
}

/** A finite, non-negative token count, or undefined. */
function count(value: unknown): number | undefined {
  return typeof value === "number" && Number.isFinite(value) && value >= 0 ? value : undefined;
}

/**
 * The counts of a `usage` object, or undefined when it has no prompt and total counts. The
 * token-billed audio models (gpt-4o-transcribe) and gpt-image-1 name the first two
 * `input_tokens` and `output_tokens`.
 */
export function pickUsage(value: unknown): TokenCounts | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  const u = value as Record<string, unknown>;
  const prompt = count(u.prompt_tokens ?? u.input_tokens);
  const total = count(u.total_tokens);
  if (prompt === undefined || total === undefined) return undefined;
  const completion = count(u.completion_tokens ?? u.output_tokens);
  return completion === undefined
    ? { prompt_tokens: prompt, total_tokens: total }
    : { prompt_tokens: prompt, completion_tokens: completion, total_tokens: total };
}
