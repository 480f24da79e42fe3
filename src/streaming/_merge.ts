// Content filter merging shared by the chat and completions accumulators (not exported from
// mod.ts).
import { isRecord } from "../errors/_is_record.ts";

type Json = Record<string, unknown>;

const SEVERITY_RANK: Record<string, number> = { safe: 0, low: 1, medium: 2, high: 3 };

/**
 * Folds `next` into `target` in place and returns `target`: sticky `filtered`/`detected`, highest
 * severity, `details` merged by `id`; other members take the latest value.
 */
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
        const known = details[i];
        // A new id goes at the end (details[-1] is undefined).
        details[i === -1 ? details.length : i] = isRecord(known) && isRecord(item)
          ? mergeVerdict({ ...known }, item)
          : item;
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
 * `owner.content_filter_results` (created when missing; owned by the caller, never a chunk's own
 * object) is updated in place; a chunk's objects are copied before anything in them changes.
 * Nothing happens when `next` is undefined.
 */
export function mergeFilters(
  owner: { content_filter_results?: object },
  next: object | undefined,
): void {
  if (!next) return;
  const out = (owner.content_filter_results ??= {}) as Json;
  for (const key in next) {
    const value = (next as Json)[key];
    const old = out[key];
    if (!isRecord(value)) out[key] = value;
    else if (isRecord(old)) mergeVerdict(old, value);
    else out[key] = { ...value };
  }
}
