// Content filter merging shared by the chat and completions accumulators (not exported from
// mod.ts).
import { isRecord } from "../errors/_is_record.ts";

type Json = Record<string, unknown>;

const SEVERITY_RANK: Record<string, number> = { safe: 0, low: 1, medium: 2, high: 3 };

/**
 * `value` merged as a verdict into a copy of `old` (or into `{}` when `old` is not an object), or
 * `value` itself when it is not an object. Neither argument is changed.
 */
function merged(old: unknown, value: unknown): unknown {
  return isRecord(value) ? mergeVerdict(isRecord(old) ? { ...old } : {}, value) : value;
}

/** Folds `next` into `target` in place: sticky `filtered`/`detected`, highest severity. */
function mergeVerdict(target: Json, next: Json): Json {
  for (const key in next) {
    const value = next[key];
    const old = target[key];
    if (key === "filtered" || key === "detected") {
      if (old !== true) target[key] = value;
    } else if (key === "severity" && typeof old === "string" && typeof value === "string") {
      if ((SEVERITY_RANK[value] ?? 0) > (SEVERITY_RANK[old] ?? 0)) target[key] = value;
    } else if (key === "details" && Array.isArray(old) && Array.isArray(value)) {
      // Copied, never changed in place: the array and its items may be a chunk's own.
      const details = old.slice();
      const idOf = (item: unknown): unknown => isRecord(item) ? item.id : item;
      for (const item of value) {
        const i = details.findIndex((d) => idOf(d) === idOf(item));
        if (i === -1) details.push(item);
        else details[i] = merged(details[i], item);
      }
      target[key] = details;
    } else target[key] = value;
  }
  return target;
}

/**
 * Merges the content filter results of successive chunks into the verdict for the whole text:
 * per category the worst outcome wins (`filtered`/`detected` stay true, the highest `severity`
 * is kept, `details` are merged by `id`); other members take the latest value.
 *
 * `owner.content_filter_results` (created when missing) is updated; a chunk's objects are never
 * changed. Nothing happens when `next` is undefined.
 */
export function mergeFilters(
  owner: { content_filter_results?: object },
  next: object | undefined,
): void {
  if (!next) return;
  const out = (owner.content_filter_results ??= {}) as Json;
  for (const key in next) out[key] = merged(out[key], (next as Json)[key]);
}
