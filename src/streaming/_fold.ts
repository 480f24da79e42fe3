// The part of the chat and completions accumulators that is the same for both (not exported
// from mod.ts): top-level fields, prompt filter results, choices by index, finish reasons,
// logprob arrays and content filter results. Each accumulator adds its own choice fields.
import type { CompletionUsage, PromptFilterResult } from "../types/mod.ts";
import { mergeFilters } from "./_merge.ts";

type Json = Record<string, unknown>;

/** The logprob arrays of chat (`content`, `refusal`) and completions choices, concatenated. */
const LOGPROB_KEYS = [
  "content",
  "refusal",
  "tokens",
  "token_logprobs",
  "top_logprobs",
  "text_offset",
];

/** What both kinds of chunk carry. */
export interface FoldChunk {
  id?: string;
  created?: number;
  model?: string;
  system_fingerprint?: string | null;
  usage?: CompletionUsage | null;
  prompt_filter_results?: PromptFilterResult[];
  choices?: readonly FoldChunkChoice[];
}

/** What both kinds of chunk choice carry. */
export interface FoldChunkChoice {
  index?: number;
  finish_reason?: string | null;
  logprobs?: object | null;
  content_filter_results?: object;
}

/** A choice as it accumulates: already in the shape of the result. */
export interface FoldChoice {
  index: number;
  finish_reason: string | null;
  logprobs: Record<string, unknown[] | null> | null;
  content_filter_results?: Record<string, unknown>;
}

/** Folds chunks into the non-streaming result; `result()` returns a fresh copy each call. */
export interface Fold<C extends FoldChoice> {
  add(chunk: FoldChunk): void;
  result(): Json & { choices: C[] };
  /** The object add() updates (no copy). */
  live: Json & { choices: C[] };
}

/**
 * Starts a fold.
 *
 * @param object `object` of the result, e.g. `"chat.completion"`.
 * @param choice Makes a new, empty choice.
 * @param add Adds the kind's own fields of a chunk choice to the choice.
 */
export function fold<C extends FoldChoice, K extends FoldChunkChoice>(
  object: string,
  choice: (index: number) => C,
  add: (choice: C, piece: K) => void,
): Fold<C> {
  const top: Json & { choices: C[] } = { id: "", object, created: 0, model: "", choices: [] };
  return {
    live: top,
    add(chunk) {
      top.id ||= chunk.id || "";
      top.created ||= chunk.created || 0;
      top.model ||= chunk.model || "";
      // The first real fingerprint wins; until one arrives, the first "" or null is kept.
      const fingerprint = chunk.system_fingerprint;
      if (
        fingerprint !== undefined &&
        (top.system_fingerprint === undefined || (!top.system_fingerprint && fingerprint))
      ) top.system_fingerprint = fingerprint;
      if (chunk.usage) top.usage = chunk.usage;
      for (
        const { content_filter_results: results, ...result } of chunk.prompt_filter_results ?? []
      ) {
        const list = (top.prompt_filter_results ??= []) as PromptFilterResult[];
        let entry = list.find((r) => r.prompt_index === result.prompt_index);
        if (!entry) list.push(entry = result);
        mergeFilters(entry, results);
      }
      for (const piece of (chunk.choices ?? []) as K[]) {
        const index = piece.index ?? 0;
        const target = top.choices[index] ??= choice(index);
        add(target, piece);
        if (piece.finish_reason) target.finish_reason = piece.finish_reason;
        const pieceLogprobs = piece.logprobs as Record<string, unknown> | null | undefined;
        if (pieceLogprobs) {
          // The members the chunks carry (as the openai SDK keeps them): arrays concatenated, an
          // array that arrives empty stays `[]` (as in the non-streamed reply), null until one.
          const lists = target.logprobs ??= {};
          for (const key of LOGPROB_KEYS) {
            const items = pieceLogprobs[key];
            if (Array.isArray(items)) (lists[key] ??= []).push(...items);
            else if (key in pieceLogprobs) lists[key] ??= null;
          }
        }
        mergeFilters(target, piece.content_filter_results);
      }
    },
    result() {
      const copy = structuredClone(top);
      copy.choices = copy.choices.filter((c) => c);
      return copy;
    },
  };
}
