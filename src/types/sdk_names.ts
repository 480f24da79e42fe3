/**
 * The official `openai` SDK's names (v5+) for types this package names otherwise, so that code
 * importing them from `openai/resources/…` type-checks after its import is changed to this
 * package. Each is the same type as this package's own name.
 *
 * @module
 */

import type {
  Transcription,
  TranscriptionVerbose,
  Translation,
  TranslationVerbose,
} from "./audio.ts";
import type {
  ChatCompletionTool,
  ReasoningEffort,
  ResponseFormatJsonObject,
  ResponseFormatJsonSchema,
} from "./chat.ts";
import type { ChatCompletionMessageToolCall } from "./chat_messages.ts";

/**
 * A function tool: the SDK's name for {@link ChatCompletionTool} (the only kind of tool here).
 *
 * @example Offer a function tool
 * ```ts
 * import type { ChatCompletionFunctionTool } from "@aoai/edge";
 * const tools: ChatCompletionFunctionTool[] = [
 *   { type: "function", function: { name: "lookup", parameters: { type: "object" } } },
 * ];
 * console.log(tools[0].function.name); // "lookup"
 * ```
 */
export type ChatCompletionFunctionTool = ChatCompletionTool;

/**
 * A function tool call: the SDK's name for {@link ChatCompletionMessageToolCall}.
 *
 * @example Narrow tool calls as SDK code does
 * ```ts
 * import type {
 *   ChatCompletionMessageFunctionToolCall,
 *   ChatCompletionMessageToolCall,
 * } from "@aoai/edge";
 * const calls: ChatCompletionMessageToolCall[] = [
 *   { id: "call_1", type: "function", function: { name: "lookup", arguments: "{}" } },
 * ];
 * const fns = calls.filter((c): c is ChatCompletionMessageFunctionToolCall =>
 *   c.type === "function"
 * );
 * console.log(fns.length); // 1
 * ```
 */
export type ChatCompletionMessageFunctionToolCall = ChatCompletionMessageToolCall;

/**
 * An output kind of a chat request's `modalities`.
 *
 * @example Ask for text and audio
 * ```ts
 * import type { ChatCompletionModality } from "@aoai/edge";
 * const modalities: ChatCompletionModality[] = ["text", "audio"];
 * console.log(modalities.join("+")); // "text+audio"
 * ```
 */
export type ChatCompletionModality = "text" | "audio";

/**
 * The SDK's name for a chat request's `reasoning_effort` ({@link ReasoningEffort} or `null`).
 *
 * @example Keep the effort in a variable
 * ```ts
 * import type { ChatCompletionReasoningEffort } from "@aoai/edge";
 * const effort: ChatCompletionReasoningEffort = "low";
 * console.log(effort); // "low"
 * ```
 */
export type ChatCompletionReasoningEffort = ReasoningEffort | null;

/**
 * The SDK's spelling of {@link ResponseFormatJsonObject}.
 *
 * @example JSON mode
 * ```ts
 * import type { ResponseFormatJSONObject } from "@aoai/edge";
 * const format: ResponseFormatJSONObject = { type: "json_object" };
 * console.log(format.type); // "json_object"
 * ```
 */
export type ResponseFormatJSONObject = ResponseFormatJsonObject;

/**
 * The SDK's spelling of {@link ResponseFormatJsonSchema}.
 *
 * @example Structured outputs
 * ```ts
 * import type { ResponseFormatJSONSchema } from "@aoai/edge";
 * const format: ResponseFormatJSONSchema = {
 *   type: "json_schema",
 *   json_schema: { name: "answer", strict: true, schema: { type: "object" } },
 * };
 * console.log(format.json_schema.name); // "answer"
 * ```
 */
export type ResponseFormatJSONSchema = ResponseFormatJsonSchema;

/**
 * What a transcription's `include` may ask for (gpt-4o-transcribe family).
 *
 * @example Ask for token log probabilities
 * ```ts
 * import type { TranscriptionInclude } from "@aoai/edge";
 * const include: TranscriptionInclude[] = ["logprobs"];
 * console.log(include); // [ "logprobs" ]
 * ```
 */
export type TranscriptionInclude = "logprobs";

/**
 * What a transcription resolves to as JSON (`json` or `verbose_json`).
 *
 * @example Read the text of either
 * ```ts
 * import type { TranscriptionCreateResponse } from "@aoai/edge";
 * const t: TranscriptionCreateResponse = { text: "hello" };
 * console.log(t.text); // "hello"
 * ```
 */
export type TranscriptionCreateResponse = Transcription | TranscriptionVerbose;

/**
 * What a translation resolves to as JSON (`json` or `verbose_json`).
 *
 * @example Read the text of either
 * ```ts
 * import type { TranslationCreateResponse } from "@aoai/edge";
 * const t: TranslationCreateResponse = { text: "hello" };
 * console.log(t.text); // "hello"
 * ```
 */
export type TranslationCreateResponse = Translation | TranslationVerbose;
