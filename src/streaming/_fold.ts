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
export class Fold<C extends FoldChoice, K extends FoldChunkChoice> {
  #top: Json & { choices: C[] };
  #choice: (index: number) => C;
  #logprobs: Record<string, null>;
  #add: (choice: C, piece: K) => void;

  /**
   * @param object `object` of the result, e.g. `"chat.completion"`.
   * @param choice Makes a new, empty choice.
   * @param logprobs The logprobs object a choice starts with (copied).
   * @param add Adds the kind's own fields of a chunk choice to the choice.
   */
  constructor(
    object: string,
    choice: (index: number) => C,
    logprobs: Record<string, null>,
    add: (choice: C, piece: K) => void,
  ) {
    this.#top = { id: "", object, created: 0, model: "", choices: [] };
    this.#choice = choice;
    this.#logprobs = logprobs;
    this.#add = add;
  }

  add(chunk: FoldChunk): void {
    const top = this.#top;
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
      if (results) {
        entry.content_filter_results = mergeFilters(
          entry.content_filter_results ?? {},
          results,
        );
      }
    }
    for (const piece of (chunk.choices ?? []) as K[]) {
      const index = piece.index ?? 0;
      const choice = top.choices[index] ??= this.#choice(index);
      this.#add(choice, piece);
      if (piece.finish_reason) choice.finish_reason = piece.finish_reason;
      const logprobs = piece.logprobs as Record<string, unknown> | null | undefined;
      if (logprobs) {
        const target = choice.logprobs ??= { ...this.#logprobs };
        for (const key of LOGPROB_KEYS) {
          const items = logprobs[key];
          if (Array.isArray(items)) { for (const item of items) (target[key] ??= []).push(item); }
        }
      }
      if (piece.content_filter_results) {
        choice.content_filter_results = mergeFilters(
          choice.content_filter_results ?? {},
          piece.content_filter_results,
        );
      }
    }
  }

  result(): Json & { choices: C[] } {
    const copy = structuredClone(this.#top);
    copy.choices = copy.choices.filter((c) => c);
    return copy;
  }
}
