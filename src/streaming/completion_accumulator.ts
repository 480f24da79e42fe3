import type { Completion, CompletionChoice, CompletionChunk } from "../types/mod.ts";
import { fold, type FoldChoice } from "./_fold.ts";

interface TextChoice extends FoldChoice {
  text: string;
}

/**
 * Folds the chunks of a streamed text completion into the `Completion` the
 * non-streaming call returns: text per choice (by index), finish reason, logprobs
 * (`tokens`, `token_logprobs`, `top_logprobs`, `text_offset` concatenated), content
 * filter results (worst verdict per category), usage, id / created / model /
 * system_fingerprint and prompt filter results.
 *
 * @example Accumulating two chunks
 * ```ts
 * import { CompletionAccumulator } from "@aoai/edge";
 *
 * const acc = new CompletionAccumulator();
 * const base = { id: "c1", object: "text_completion", created: 1, model: "gpt-35-turbo" } as const;
 * acc.add({ ...base, choices: [{ index: 0, text: "Hel", logprobs: null, finish_reason: null }] });
 * acc.add({ ...base, choices: [{ index: 0, text: "lo", logprobs: null, finish_reason: "stop" }] });
 * console.log(acc.result().choices[0].text); // "Hello"
 * ```
 */
export class CompletionAccumulator {
  #fold = fold<TextChoice, CompletionChoice>(
    "text_completion",
    (index) => ({ text: "", index, logprobs: null, finish_reason: null }),
    (choice, piece) => {
      if (typeof piece.text === "string") choice.text += piece.text;
    },
  );

  /** Adds one parsed chunk (any chunk: prompt-filter-only and usage-only ones too). */
  add(chunk: CompletionChunk): void {
    this.#fold.add(chunk);
  }

  /** The `text_completion` object for the chunks added so far (a fresh object each call). */
  result(): Completion {
    return this.#fold.result() as unknown as Completion;
  }
}
