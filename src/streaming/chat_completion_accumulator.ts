import type {
  ChatCompletion,
  ChatCompletionChoice,
  ChatCompletionChunk,
  ChatCompletionChunkChoice,
  ChatCompletionFinishReason,
  ChatCompletionMessage,
  ChatCompletionMessageContext,
  ChatCompletionMessageToolCall,
  ChatCompletionTokenLogprob,
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

interface ToolCallState {
  id: string;
  type: "function";
  name: string;
  arguments: TextBuffer;
}

interface ChoiceState {
  index: number;
  content: TextBuffer | null;
  refusal: TextBuffer | null;
  toolCalls: ToolCallState[];
  functionCall: { name: string; arguments: TextBuffer } | undefined;
  context: ChatCompletionMessageContext | undefined;
  finishReason: ChatCompletionFinishReason | null;
  logprobs: boolean;
  logprobsContent: ChatCompletionTokenLogprob[] | null;
  logprobsRefusal: ChatCompletionTokenLogprob[] | null;
  filter: ContentFilterResults | undefined;
}

/**
 * Folds the chunks of a streamed chat completion into the `ChatCompletion` the
 * non-streaming call returns: role, content and refusal text, `tool_calls` by index
 * (arguments concatenated; id, type and name from the first piece that has them),
 * legacy `function_call`, logprobs (`content` and `refusal` arrays concatenated),
 * per-choice content filter results (worst verdict per category), `n > 1` choices by
 * index, usage, id / created / model / system_fingerprint and prompt filter results.
 *
 * `ChatCompletionStream.finalChatCompletion()` uses it; use it directly when you
 * consume chunks some other way.
 *
 * @example Accumulating two chunks
 * ```ts
 * import { ChatCompletionAccumulator } from "./mod.ts";
 *
 * const acc = new ChatCompletionAccumulator();
 * const base = { id: "c1", object: "chat.completion.chunk", created: 1, model: "gpt-4o" } as const;
 * acc.add({ ...base, choices: [{ index: 0, delta: { role: "assistant", content: "Hel" } }] });
 * acc.add({ ...base, choices: [{ index: 0, delta: { content: "lo" }, finish_reason: "stop" }] });
 * console.log(acc.result().choices[0].message.content); // "Hello"
 * ```
 */
export class ChatCompletionAccumulator {
  #id = "";
  #created = 0;
  #model = "";
  #fingerprint: string | null | undefined = undefined;
  #usage: CompletionUsage | undefined = undefined;
  #promptFilters: PromptFilterResult[] | undefined = undefined;
  #choices: ChoiceState[] = [];

  /** Adds one parsed chunk (any chunk: prompt-filter-only, usage-only, without `delta`). */
  add(chunk: ChatCompletionChunk): void {
    if (!this.#id && chunk.id) this.#id = chunk.id;
    if (!this.#created && chunk.created) this.#created = chunk.created;
    if (!this.#model && chunk.model) this.#model = chunk.model;
    const fingerprint = chunk.system_fingerprint;
    if (fingerprint) {
      if (!this.#fingerprint) this.#fingerprint = fingerprint;
    } else if (fingerprint !== undefined && this.#fingerprint === undefined) {
      this.#fingerprint = fingerprint; // "" or null, until a real one arrives
    }
    if (chunk.usage) this.#usage = chunk.usage;
    if (chunk.prompt_filter_results) {
      mergePromptFilterResults(this.#promptFilters ??= [], chunk.prompt_filter_results);
    }
    const choices = chunk.choices;
    if (choices) { for (let i = 0; i < choices.length; i++) this.#addChoice(choices[i]); }
  }

  #addChoice(choice: ChatCompletionChunkChoice): void {
    const index = choice.index ?? 0;
    const state = this.#choices[index] ??= {
      index,
      content: null,
      refusal: null,
      toolCalls: [],
      functionCall: undefined,
      context: undefined,
      finishReason: null,
      logprobs: false,
      logprobsContent: null,
      logprobsRefusal: null,
      filter: undefined,
    };
    const delta = choice.delta;
    if (delta) {
      if (typeof delta.content === "string") {
        (state.content ??= new TextBuffer()).push(delta.content);
      }
      if (typeof delta.refusal === "string") {
        (state.refusal ??= new TextBuffer()).push(delta.refusal);
      }
      if (delta.tool_calls) {
        for (const piece of delta.tool_calls) {
          const call = state.toolCalls[piece.index ?? 0] ??= {
            id: "",
            type: "function",
            name: "",
            arguments: new TextBuffer(),
          };
          if (!call.id && piece.id) call.id = piece.id;
          if (piece.type) call.type = piece.type;
          const fn = piece.function;
          if (fn) {
            if (!call.name && fn.name) call.name = fn.name;
            if (typeof fn.arguments === "string") call.arguments.push(fn.arguments);
          }
        }
      }
      const fc = delta.function_call;
      if (fc) {
        const target = state.functionCall ??= { name: "", arguments: new TextBuffer() };
        if (!target.name && fc.name) target.name = fc.name;
        if (typeof fc.arguments === "string") target.arguments.push(fc.arguments);
      }
      if (delta.context) state.context = { ...state.context, ...delta.context };
    }
    if (choice.finish_reason) state.finishReason = choice.finish_reason;
    const logprobs = choice.logprobs;
    if (logprobs) {
      state.logprobs = true;
      if (logprobs.content) pushAll(state.logprobsContent ??= [], logprobs.content);
      if (logprobs.refusal) pushAll(state.logprobsRefusal ??= [], logprobs.refusal);
    }
    if (choice.content_filter_results) {
      state.filter = mergeContentFilterResults(state.filter, choice.content_filter_results);
    }
  }

  /** The `chat.completion` object for the chunks added so far (a fresh object each call). */
  result(): ChatCompletion {
    const completion: ChatCompletion = {
      id: this.#id,
      object: "chat.completion",
      created: this.#created,
      model: this.#model,
      choices: [],
    };
    if (this.#fingerprint !== undefined) completion.system_fingerprint = this.#fingerprint;
    if (this.#promptFilters) {
      completion.prompt_filter_results = copyPromptFilterResults(this.#promptFilters);
    }
    for (const state of this.#choices) {
      if (state !== undefined) completion.choices.push(choiceOf(state));
    }
    if (this.#usage) completion.usage = this.#usage;
    return completion;
  }
}

function choiceOf(state: ChoiceState): ChatCompletionChoice {
  const message: ChatCompletionMessage = {
    role: "assistant",
    content: state.content === null ? null : state.content.toString(),
    refusal: state.refusal === null ? null : state.refusal.toString(),
  };
  const calls: ChatCompletionMessageToolCall[] = [];
  for (const call of state.toolCalls) {
    if (call === undefined) continue;
    calls.push({
      id: call.id,
      type: call.type,
      function: { name: call.name, arguments: call.arguments.toString() },
    });
  }
  if (calls.length > 0) message.tool_calls = calls;
  if (state.functionCall) {
    message.function_call = {
      name: state.functionCall.name,
      arguments: state.functionCall.arguments.toString(),
    };
  }
  if (state.context) message.context = state.context;
  const choice: ChatCompletionChoice = {
    index: state.index,
    message,
    finish_reason: state.finishReason,
    logprobs: state.logprobs
      ? {
        content: state.logprobsContent?.slice() ?? null,
        refusal: state.logprobsRefusal?.slice() ?? null,
      }
      : null,
  };
  if (state.filter) choice.content_filter_results = copyContentFilterResults(state.filter);
  return choice;
}
