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

/**
 * A streamed piece of a tool call (`chatCompletionMessageToolCallChunk`).
 *
 * @example Join the pieces of a streamed tool call
 * ```ts
 * import type { ChatCompletionChunkToolCallDelta } from "@aoai/edge";
 * const pieces: ChatCompletionChunkToolCallDelta[] = [
 *   { index: 0, id: "call_abc123", type: "function", function: { name: "get_weather" } },
 *   { index: 0, function: { arguments: '{"city":' } },
 *   { index: 0, function: { arguments: '"Seattle"}' } },
 * ];
 * const args = pieces.map((p) => p.function?.arguments ?? "").join("");
 * console.log(pieces[0].function?.name, JSON.parse(args)); // get_weather { city: "Seattle" }
 * ```
 */
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

/**
 * The delta of a streamed choice (`chatCompletionStreamResponseDelta`).
 *
 * @example Join streamed text
 * ```ts
 * import type { ChatCompletionChunkDelta } from "@aoai/edge";
 * const deltas: ChatCompletionChunkDelta[] = [
 *   { role: "assistant", content: "" },
 *   { content: "Ahoy" },
 *   { content: " matey!" },
 * ];
 * console.log(deltas.map((d) => d.content ?? "").join("")); // "Ahoy matey!"
 * ```
 */
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

/**
 * Offsets of the asynchronous content filter (not in the specs; sent in async filter mode).
 *
 * @example How far the asynchronous filter has checked
 * ```ts
 * import type { ContentFilterOffsets } from "@aoai/edge";
 * const offsets: ContentFilterOffsets = { check_offset: 44, start_offset: 44, end_offset: 198 };
 * console.log(`checked up to character ${offsets.check_offset}`); // "checked up to character 44"
 * ```
 */
export interface ContentFilterOffsets {
  /** Offset up to which the content was checked. */
  check_offset: number;
  /** Start of the annotated range. */
  start_offset: number;
  /** End of the annotated range. */
  end_offset: number;
}

/**
 * One choice of a streamed chunk. Azure sends choices without `delta` (filter results only).
 *
 * @example A filter-only choice (no delta)
 * ```ts
 * import type { ChatCompletionChunkChoice } from "@aoai/edge";
 * const choice: ChatCompletionChunkChoice = {
 *   index: 0,
 *   finish_reason: null,
 *   content_filter_results: { hate: { filtered: false, severity: "safe" } },
 *   content_filter_offsets: { check_offset: 44, start_offset: 44, end_offset: 198 },
 * };
 * console.log(choice.delta?.content ?? "(filter results only)"); // "(filter results only)"
 * ```
 */
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

/**
 * A streamed chat completion chunk (`createChatCompletionStreamResponse`).
 *
 * @example Collect the chunks of a stream
 * ```ts
 * import { AzureOpenAI, type ChatCompletionChunk } from "@aoai/edge";
 * import { createEmulator } from "@aoai/edge/emulator";
 * const emulator = createEmulator(); // a local stand-in for your resource
 * const client = new AzureOpenAI({
 *   endpoint: "http://emulator.local",
 *   apiKey: emulator.apiKey,
 *   fetch: emulator.fetch,
 * });
 * const stream = await client.chat.completions.create({
 *   model: "gpt-4o",
 *   messages: [{ role: "user", content: "Hello" }],
 *   stream: true,
 * });
 * const chunks: ChatCompletionChunk[] = [];
 * for await (const chunk of stream) chunks.push(chunk);
 * console.log(chunks[0].prompt_filter_results?.length); // 1 (Azure's prompt-filter chunk)
 * console.log(chunks.map((c) => c.choices[0]?.delta?.content ?? "").join("")); // "You said: Hello"
 * ```
 */
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
