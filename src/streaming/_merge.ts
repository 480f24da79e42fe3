// Helpers shared by the chat and completions accumulators (not exported from mod.ts).
import type { ContentFilterResults, PromptFilterResult } from "../types/mod.ts";

/**
 * Appends text fragments without building a deep cons-string tree or re-copying the text
 * so far: fragments are joined into blocks of {@link TextBuffer.BLOCK} pieces, blocks are
 * joined when there are that many of them, and `toString()` joins what is left.
 */
export class TextBuffer {
  static readonly BLOCK = 512;
  #parts: string[] = [];
  #blocks: string[] = [];

  /** Adds a fragment. */
  push(text: string): void {
    const parts = this.#parts;
    parts.push(text);
    if (parts.length >= TextBuffer.BLOCK) {
      this.#blocks.push(parts.join(""));
      this.#parts = [];
      if (this.#blocks.length >= TextBuffer.BLOCK) this.#blocks = [this.#blocks.join("")];
    }
  }

  /** The text so far. */
  toString(): string {
    if (this.#parts.length > 0 || this.#blocks.length > 1) {
      this.#blocks = [this.#blocks.join("") + this.#parts.join("")];
      this.#parts = [];
    }
    return this.#blocks[0] ?? "";
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

/** Folds `next` into `target` in place: sticky `filtered`/`detected`, highest severity. */
function mergeVerdictInto(target: Record<string, unknown>, next: Record<string, unknown>): void {
  for (const key in next) {
    const value = next[key];
    const old = target[key];
    if (key === "filtered" || key === "detected") {
      if (old !== true) target[key] = value;
    } else if (key === "severity" && typeof old === "string" && typeof value === "string") {
      if ((SEVERITY_RANK[value] ?? 0) > (SEVERITY_RANK[old] ?? 0)) target[key] = value;
    } else if (key === "details" && Array.isArray(old) && Array.isArray(value)) {
      const details = old.slice();
      for (const item of value) {
        const id = isRecord(item) ? item.id : item;
        const same = details.findIndex((d) => (isRecord(d) ? d.id : d) === id);
        if (same === -1) details.push(isRecord(item) ? { ...item } : item);
        else if (isRecord(details[same]) && isRecord(item)) {
          const merged = { ...details[same] as Record<string, unknown> };
          mergeVerdictInto(merged, item);
          details[same] = merged;
        } else details[same] = item;
      }
      target[key] = details;
    } else {
      target[key] = value;
    }
  }
}

/**
 * Merges the content filter results of successive chunks into the verdict for the
 * whole text: per category the worst outcome wins (`filtered`/`detected` stay true,
 * the highest `severity` is kept); other members take the latest value. `prev` (owned
 * by the caller, never a chunk's own object) is updated in place and returned.
 */
export function mergeContentFilterResults(
  prev: ContentFilterResults | undefined,
  next: ContentFilterResults,
): ContentFilterResults {
  const out = (prev ?? {}) as Record<string, unknown>;
  const source = next as Record<string, unknown>;
  for (const key in source) {
    const value = source[key];
    const old = out[key];
    if (isRecord(value)) {
      if (isRecord(old)) mergeVerdictInto(old, value);
      else out[key] = { ...value };
    } else {
      out[key] = value;
    }
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
      const copy: PromptFilterResult = { ...result };
      if (result.content_filter_results !== undefined) {
        copy.content_filter_results = mergeContentFilterResults(
          undefined,
          result.content_filter_results,
        );
      }
      target.push(copy);
    } else if (result.content_filter_results !== undefined) {
      existing.content_filter_results = mergeContentFilterResults(
        existing.content_filter_results,
        result.content_filter_results,
      );
    }
  }
}

/** A copy of accumulated filter results that later merges will not change. */
export function copyContentFilterResults(results: ContentFilterResults): ContentFilterResults {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(results)) {
    if (isRecord(value)) {
      const copy = { ...value };
      if (Array.isArray(copy.details)) copy.details = copy.details.slice();
      out[key] = copy;
    } else {
      out[key] = value;
    }
  }
  return out as ContentFilterResults;
}

/** A copy of accumulated prompt filter results that later merges will not change. */
export function copyPromptFilterResults(results: PromptFilterResult[]): PromptFilterResult[] {
  return results.map((r) =>
    r.content_filter_results === undefined
      ? { ...r }
      : { ...r, content_filter_results: copyContentFilterResults(r.content_filter_results) }
  );
}
