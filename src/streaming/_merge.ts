// Content filter merging shared by the chat and completions accumulators (not exported from
// mod.ts).
import { isRecord } from "../errors/_is_record.ts";

type Json = Record<string, unknown>;

const SEVERITY_RANK: Record<string, number> = { low: 1, medium: 2, high: 3 };
const rank = (severity: string): number => SEVERITY_RANK[severity] ?? 0;
const idOf = (item: unknown): unknown => isRecord(item) ? item.id : item;

/**
 * Merges the content filter results of successive chunks into the verdict for the whole text:
 * per category the worst outcome wins (`filtered`/`detected` stay true, the highest `severity`
 * is kept, `details` are merged by `id`); other members take the latest value.
 *
 * `target` (owned by the caller, never a chunk's own object) is updated in place and returned;
 * a chunk's objects are copied before anything in them changes.
 *
 * @param verdict Internal: `target` is one category's verdict (or a `details` item), not the
 * whole results object.
 */
export function mergeFilters<T extends object>(target: T, next: object, verdict?: boolean): T {
  const out = target as Json;
  for (const [key, value] of Object.entries(next)) {
    const old = out[key];
    out[key] = !verdict
      // A category: merged into the target's own copy.
      ? isRecord(value) ? mergeFilters(isRecord(old) ? old : {}, value, true) : value
      : key === "filtered" || key === "detected"
      ? old === true || value
      : key === "severity" && typeof old === "string" && typeof value === "string"
      ? rank(value) > rank(old) ? value : old
      : key === "details" && Array.isArray(old) && Array.isArray(value)
      ? value.reduce((details: unknown[], item) => {
        // Copied, never changed in place: the array and its items may be a chunk's own.
        const i = details.findIndex((d) => idOf(d) === idOf(item));
        details[i < 0 ? details.length : i] = i >= 0 && isRecord(details[i]) && isRecord(item)
          ? mergeFilters({ ...details[i] as Json }, item, true)
          : item;
        return details;
      }, old.slice())
      : value;
  }
  return target;
}
