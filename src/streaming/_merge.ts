// Content filter merging shared by the chat and completions accumulators (not exported from
// mod.ts).
import { isRecord } from "../errors/_is_record.ts";

type Json = Record<string, unknown>;

const SEVERITY_RANK: Record<string, number> = { safe: 0, low: 1, medium: 2, high: 3 };
const rank = (severity: string): number => SEVERITY_RANK[severity] ?? 0;
const idOf = (item: unknown): unknown => isRecord(item) ? item.id : item;

/** Folds `next` into `target` in place: sticky `filtered`/`detected`, highest severity. */
function mergeVerdict(target: Json, next: Json): Json {
  for (const key in next) {
    const value = next[key];
    const old = target[key];
    if (key === "filtered" || key === "detected") {
      if (old !== true) target[key] = value;
    } else if (key === "severity" && typeof old === "string" && typeof value === "string") {
      if (rank(value) > rank(old)) target[key] = value;
    } else {
      target[key] = key === "details" && Array.isArray(old) && Array.isArray(value)
        ? value.reduce((details: unknown[], item) => {
          // Copied, never changed in place: the array and its items may be a chunk's own.
          const i = details.findIndex((d) => idOf(d) === idOf(item));
          details[i < 0 ? details.length : i] = i >= 0 && isRecord(details[i]) && isRecord(item)
            ? mergeVerdict({ ...details[i] as Json }, item)
            : item;
          return details;
        }, old.slice())
        : value;
    }
  }
  return target;
}

/**
 * Merges the content filter results of successive chunks into the verdict for the whole text:
 * per category the worst outcome wins (`filtered`/`detected` stay true, the highest `severity`
 * is kept, `details` are merged by `id`); other members take the latest value.
 *
 * `target` (owned by the caller, never a chunk's own object; a new one when undefined) is updated
 * in place and returned;
 * a chunk's objects are copied before anything in them changes.
 */
export function mergeFilters<T extends object>(target: T | undefined, next: object): T {
  const out = (target ?? {}) as Json;
  for (const [key, value] of Object.entries(next)) {
    const old = out[key];
    // A category is merged into the target's own copy.
    out[key] = isRecord(value) ? mergeVerdict(isRecord(old) ? old : {}, value) : value;
  }
  return out as T;
}
