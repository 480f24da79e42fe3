import type {
  Completion,
  CompletionChoice,
  CompletionChunk,
  CompletionFinishReason,
  CompletionLogprobs,
  CompletionUsage,
  ContentFilterResults,
  PromptFilterResult,
} from "../types/mod.ts";
import {
  copyContentFilterResults,
  copyPromptFilterResults,
  mergeContentFilterResults,
  mergePromptFilterResults,
  pushAll,
  TextBuffer,
} from "./_merge.ts";

interface ChoiceState {
  index: number;
  text: TextBuffer;
  finishReason: CompletionFinishReason | null;
  logprobs: CompletionLogprobs | null;
  filter: ContentFilterResults | undefined;
}

const LOGPROB_ARRAYS = ["tokens", "token_logprobs", "top_logprobs", "text_offset"] as const;

/**
 * Folds the chunks of a streamed text completion into the `Completion` the
 * non-streaming call returns: text per choice (by index), finish reason, logprobs
 * (`tokens`, `token_logprobs`, `top_logprobs`, `text_offset` concatenated), content
 * filter results (worst verdict per category), usage, id / created / model /
 * system_fingerprint and prompt filter results.
 *
 * @example Accumulating two chunks
 * ```ts
 * import { CompletionAccumulator } from "./mod.ts";
 *
 * const acc = new CompletionAccumulator();
 * const base = { id: "c1", object: "text_completion", created: 1, model: "gpt-35-turbo" } as const;
 * acc.add({ ...base, choices: [{ index: 0, text: "Hel", logprobs: null, finish_reason: null }] });
 * acc.add({ ...base, choices: [{ index: 0, text: "lo", logprobs: null, finish_reason: "stop" }] });
 * console.log(acc.result().choices[0].text); // "Hello"
 * ```
 */
export class CompletionAccumulator {
  #id = "";
  #created = 0;
  #model = "";
  #fingerprint: string | null | undefined = undefined;
  #usage: CompletionUsage | undefined = undefined;
  #promptFilters: PromptFilterResult[] | undefined = undefined;
  #choices: ChoiceState[] = [];

  /** Adds one parsed chunk (any chunk: prompt-filter-only and usage-only ones too). */
  add(chunk: CompletionChunk): void {
    if (!this.#id && chunk.id) this.#id = chunk.id;
    if (!this.#created && chunk.created) this.#created = chunk.created;
    if (!this.#model && chunk.model) this.#model = chunk.model;
    const fingerprint = chunk.system_fingerprint;
    if (fingerprint) {
      if (!this.#fingerprint) this.#fingerprint = fingerprint;
    } else if (fingerprint !== undefined && this.#fingerprint === undefined) {
      this.#fingerprint = fingerprint;
    }
    if (chunk.usage) this.#usage = chunk.usage;
    if (chunk.prompt_filter_results) {
      mergePromptFilterResults(this.#promptFilters ??= [], chunk.prompt_filter_results);
    }
    const choices = chunk.choices;
    if (!choices) return;
    for (const choice of choices) {
      const index = choice.index ?? 0;
      const state = this.#choices[index] ??= {
        index,
        text: new TextBuffer(),
        finishReason: null,
        logprobs: null,
        filter: undefined,
      };
      if (typeof choice.text === "string") state.text.push(choice.text);
      if (choice.finish_reason) state.finishReason = choice.finish_reason;
      const logprobs = choice.logprobs;
      if (logprobs) {
        const target = state.logprobs ??= {};
        for (const key of LOGPROB_ARRAYS) {
          const items = logprobs[key];
          if (items) pushAll((target[key] ??= []) as unknown[], items as unknown[]);
        }
      }
      if (choice.content_filter_results) {
        state.filter = mergeContentFilterResults(state.filter, choice.content_filter_results);
      }
    }
  }

  /** The `text_completion` object for the chunks added so far (a fresh object each call). */
  result(): Completion {
    const completion: Completion = {
      id: this.#id,
      object: "text_completion",
      created: this.#created,
      model: this.#model,
      choices: [],
    };
    if (this.#fingerprint !== undefined) completion.system_fingerprint = this.#fingerprint;
    if (this.#promptFilters) {
      completion.prompt_filter_results = copyPromptFilterResults(this.#promptFilters);
    }
    for (const state of this.#choices) {
      if (state === undefined) continue;
      const choice: CompletionChoice = {
        text: state.text.toString(),
        index: state.index,
        logprobs: state.logprobs === null ? null : copyLogprobs(state.logprobs),
        finish_reason: state.finishReason,
      };
      if (state.filter) choice.content_filter_results = copyContentFilterResults(state.filter);
      completion.choices.push(choice);
    }
    if (this.#usage) completion.usage = this.#usage;
    return completion;
  }
}

function copyLogprobs(logprobs: CompletionLogprobs): CompletionLogprobs {
  const copy: CompletionLogprobs = {};
  for (const key of LOGPROB_ARRAYS) {
    const items = logprobs[key];
    if (items) (copy as Record<string, unknown>)[key] = items.slice();
  }
  return copy;
}
