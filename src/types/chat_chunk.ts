/**
 * Wire types of a streamed chat completion (`createChatCompletionStreamResponse` of
 * `2024-10-21/inference.json`), plus what the live Azure stream adds: a first chunk
 * with only `prompt_filter_results`, choices without `delta`, and async filter offsets.
 * Re-exported by `chat.ts`.
 *
 * @module
 */

import type { CompletionUsage, ContentFilterResults, PromptFilterResult } from "./common.ts";
import type { ChatCompletionFinishReason, ChatCompletionLogprobs } from "./chat.ts";
import type { ChatCompletionMessageContext } from "./on_your_data.ts";

/** A streamed piece of a tool call (`chatCompletionMessageToolCallChunk`). */
export interface ChatCompletionChunkToolCallDelta {
  /** Index of the tool call in the message; pieces with one index form one call. */
  index: number;
  /** Tool call ID (first piece only). */
  id?: string;
  /** Tool type (first piece only). */
  type?: "function";
  /** Name (first piece) and an argument text fragment. */
  function?: { name?: string; arguments?: string };
}

/** The delta of a streamed choice (`chatCompletionStreamResponseDelta`). */
export interface ChatCompletionChunkDelta {
  /** Role (first chunk only). */
  role?: "system" | "user" | "assistant" | "tool";
  /** Content text fragment. */
  content?: string | null;
  /** Refusal text fragment. */
  refusal?: string | null;
  /** Tool call fragments. */
  tool_calls?: ChatCompletionChunkToolCallDelta[];
  /** @deprecated Function call fragment. */
  function_call?: { name?: string; arguments?: string };
  /** On Your Data context (sent on a chunk of the stream when data sources are used). */
  context?: ChatCompletionMessageContext;
}

/** Offsets of the asynchronous content filter (not in the specs; sent in async filter mode). */
export interface ContentFilterOffsets {
  /** Offset up to which the content was checked. */
  check_offset: number;
  /** Start of the annotated range. */
  start_offset: number;
  /** End of the annotated range. */
  end_offset: number;
}

/** One choice of a streamed chunk. Azure sends choices without `delta` (filter results only). */
export interface ChatCompletionChunkChoice {
  /** Index of the choice. */
  index: number;
  /** The new fragment; absent on filter-only chunks. */
  delta?: ChatCompletionChunkDelta;
  /** Why the model stopped; `null` until the last chunk of the choice. */
  finish_reason?: ChatCompletionFinishReason | null;
  /** Log probabilities of this fragment. */
  logprobs?: ChatCompletionLogprobs | null;
  /** Content filter results of the generated text so far. */
  content_filter_results?: ContentFilterResults;
  /** Asynchronous filter offsets. */
  content_filter_offsets?: ContentFilterOffsets;
}

/** A streamed chat completion chunk (`createChatCompletionStreamResponse`). */
export interface ChatCompletionChunk {
  /** Completion ID (the same on every chunk; `""` on the prompt-filter chunk). */
  id: string;
  /** `"chat.completion.chunk"`; Azure's first, prompt-filter-only chunk sends `""`. */
  object: "chat.completion.chunk" | "";
  /** Creation time, Unix seconds (`0` on the prompt-filter chunk). */
  created: number;
  /** The model (`""` on the prompt-filter chunk). */
  model: string;
  /** Backend configuration fingerprint. */
  system_fingerprint?: string | null;
  /** The choices; empty on the prompt-filter chunk and on the usage chunk. */
  choices: ChatCompletionChunkChoice[];
  /** Usage, on the last chunk when `stream_options.include_usage` is set. */
  usage?: CompletionUsage | null;
  /** Content filter results of the prompt (first chunk). */
  prompt_filter_results?: PromptFilterResult[];
}
