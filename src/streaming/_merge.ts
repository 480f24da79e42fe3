// Helpers shared by the chat and completions accumulators (not exported from mod.ts).
import type { ContentFilterResults, PromptFilterResult } from "../types/mod.ts";

/**
 * Appends text fragments without building a deep cons-string tree: fragments are
 * collected and joined every {@link TextBuffer.FLUSH_AT} pieces, so a million-token
 * stream keeps one flat string plus a short tail.
 */
export class TextBuffer {
  static readonly FLUSH_AT = 512;
  #parts: string[] = [];

  /** Adds a fragment. */
  push(text: string): void {
    const parts = this.#parts;
    parts.push(text);
    if (parts.length >= TextBuffer.FLUSH_AT) this.#parts = [parts.join("")];
  }

  /** The text so far. */
  toString(): string {
    const parts = this.#parts;
    if (parts.length > 1) this.#parts = [parts.join("")];
    return this.#parts[0] ?? "";
  }
}

/** Appends every element of `items` to `target` (no O(n²) `concat`). */
export function pushAll<T>(target: T[], items: readonly T[]): void {
  for (let i = 0; i < items.length; i++) target.push(items[i]);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

const SEVERITY_RANK: Record<string, number> = { safe: 0, low: 1, medium: 2, high: 3 };

function mergeVerdict(
  prev: Record<string, unknown>,
  next: Record<string, unknown>,
): Record<string, unknown> {
  const merged: Record<string, unknown> = { ...prev, ...next };
  if (prev.filtered === true) merged.filtered = true;
  if (prev.detected === true) merged.detected = true;
  const a = prev.severity;
  const b = next.severity;
  if (typeof a === "string" && typeof b === "string") {
    merged.severity = (SEVERITY_RANK[a] ?? 0) >= (SEVERITY_RANK[b] ?? 0) ? a : b;
  }
  if (Array.isArray(prev.details) && Array.isArray(next.details)) {
    const byId = new Map<unknown, unknown>();
    for (const d of [...prev.details, ...next.details]) {
      const key = isRecord(d) ? d.id : d;
      const seen = byId.get(key);
      byId.set(key, isRecord(seen) && isRecord(d) ? mergeVerdict(seen, d) : d);
    }
    merged.details = [...byId.values()];
  }
  return merged;
}

/**
 * Merges the content filter results of successive chunks into the verdict for the
 * whole text: per category the worst outcome wins (`filtered`/`detected` stay true,
 * the highest `severity` is kept); other members take the latest value.
 */
export function mergeContentFilterResults(
  prev: ContentFilterResults | undefined,
  next: ContentFilterResults,
): ContentFilterResults {
  if (prev === undefined) return { ...next };
  const out: Record<string, unknown> = { ...prev };
  for (const [key, value] of Object.entries(next)) {
    const old = out[key];
    out[key] = isRecord(old) && isRecord(value) ? mergeVerdict(old, value) : value;
  }
  return out as ContentFilterResults;
}

/** Adds prompt filter results to `target`, merging entries with the same `prompt_index`. */
export function mergePromptFilterResults(
  target: PromptFilterResult[],
  results: readonly PromptFilterResult[],
): void {
  for (const result of results) {
    const existing = target.find((r) => r.prompt_index === result.prompt_index);
    if (existing === undefined) {
      target.push({ ...result });
    } else if (result.content_filter_results !== undefined) {
      existing.content_filter_results = mergeContentFilterResults(
        existing.content_filter_results,
        result.content_filter_results,
      );
    }
  }
}
