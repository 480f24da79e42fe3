/**
 * Wire types of the messages in a chat completions request (`chatCompletionRequestMessage`
 * and its content parts), from `2024-10-21/inference.json`. Re-exported by `chat.ts`.
 *
 * @module
 */

import type { ChatCompletionMessageContext } from "./on_your_data.ts";

/**
 * A text content part.
 *
 * @example A text part next to an image
 * ```ts
 * import type { ChatCompletionContentPartText } from "@aoai/edge";
 * const part: ChatCompletionContentPartText = { type: "text", text: "What is in this picture?" };
 * console.log(part.text); // "What is in this picture?"
 * ```
 */
export interface ChatCompletionContentPartText {
  /** Discriminator. */
  type: "text";
  /** The text. */
  text: string;
}

/**
 * Image detail level (`imageDetailLevel`).
 *
 * @example Ask for a cheaper, low-detail look
 * ```ts
 * import type { ChatCompletionImageDetail, ChatCompletionImageUrl } from "@aoai/edge";
 * const detail: ChatCompletionImageDetail = "low"; // fewer tokens, coarser view
 * const image: ChatCompletionImageUrl = { url: "https://example.com/receipt.png", detail };
 * console.log(image.detail); // "low"
 * ```
 */
export type ChatCompletionImageDetail = "auto" | "low" | "high";

/**
 * The image of an image content part.
 *
 * @example Send an inline image as a data URL
 * ```ts
 * import type { ChatCompletionImageUrl } from "@aoai/edge";
 * const png = new Uint8Array([137, 80, 78, 71, 13, 10, 26, 10]); // your image file's bytes
 * const base64 = btoa(String.fromCharCode(...png));
 * const image: ChatCompletionImageUrl = { url: `data:image/png;base64,${base64}`, detail: "high" };
 * console.log(image.url); // "data:image/png;base64,iVBORw0KGgo="
 * ```
 */
export interface ChatCompletionImageUrl {
  /** An image URL or a `data:` URL with base64 image data. */
  url: string;
  /** Detail level; `"auto"` when absent. */
  detail?: ChatCompletionImageDetail;
}

/**
 * An image content part (vision models).
 *
 * @example An image part (detail defaults to auto)
 * ```ts
 * import type { ChatCompletionContentPartImage } from "@aoai/edge";
 * const part: ChatCompletionContentPartImage = {
 *   type: "image_url",
 *   image_url: { url: "https://example.com/cat.png" },
 * };
 * console.log(part.image_url.detail ?? "auto"); // "auto"
 * ```
 */
export interface ChatCompletionContentPartImage {
  /** Discriminator. */
  type: "image_url";
  /** The image. */
  image_url: ChatCompletionImageUrl;
}

/**
 * A refusal content part (assistant messages only).
 *
 * @example Replay an earlier refusal
 * ```ts
 * import type {
 *   ChatCompletionAssistantMessageParam,
 *   ChatCompletionContentPartRefusal,
 * } from "@aoai/edge";
 * const part: ChatCompletionContentPartRefusal = {
 *   type: "refusal",
 *   refusal: "I'm sorry, I can't help with that.",
 * };
 * const earlier: ChatCompletionAssistantMessageParam = { role: "assistant", content: [part] };
 * console.log(earlier.content?.length); // 1
 * ```
 */
export interface ChatCompletionContentPartRefusal {
  /** Discriminator. */
  type: "refusal";
  /** The refusal message the model produced. */
  refusal: string;
}

/**
 * An audio content part of a user message, for an audio model (`input_audio`).
 *
 * @example Ask about a recording
 * ```ts
 * import type { ChatCompletionContentPartInputAudio } from "@aoai/edge";
 * const part: ChatCompletionContentPartInputAudio = {
 *   type: "input_audio",
 *   input_audio: { data: "UklGRg==", format: "wav" }, // base64 of the WAV bytes
 * };
 * console.log(part.input_audio.format); // "wav"
 * ```
 */
export interface ChatCompletionContentPartInputAudio {
  /** Discriminator. */
  type: "input_audio";
  /** The audio. */
  input_audio: {
    /** Base64 of the audio bytes. */
    data: string;
    /** Audio format. */
    format: "wav" | "mp3";
  };
}

/**
 * A file content part of a user message (e.g. a PDF), inline or by file ID (`file`).
 *
 * @example Send a PDF inline
 * ```ts
 * import type { ChatCompletionContentPartFile } from "@aoai/edge";
 * const part: ChatCompletionContentPartFile = {
 *   type: "file",
 *   file: { filename: "report.pdf", file_data: "data:application/pdf;base64,JVBERi0=" },
 * };
 * console.log(part.file.filename); // "report.pdf"
 * ```
 */
export interface ChatCompletionContentPartFile {
  /** Discriminator. */
  type: "file";
  /** The file. */
  file: {
    /** The file's content as a base64 `data:` URL. */
    file_data?: string;
    /** ID of an uploaded file. */
    file_id?: string;
    /** File name. */
    filename?: string;
  };
}

/**
 * A content part of a user message.
 *
 * @example Collect the text of a multimodal message
 * ```ts
 * import type { ChatCompletionContentPart } from "@aoai/edge";
 * const parts: ChatCompletionContentPart[] = [
 *   { type: "text", text: "What is in this picture?" },
 *   { type: "image_url", image_url: { url: "https://example.com/cat.png" } },
 * ];
 * const text = parts.flatMap((p) => p.type === "text" ? [p.text] : []).join(" ");
 * console.log(text); // "What is in this picture?"
 * ```
 */
export type ChatCompletionContentPart =
  | ChatCompletionContentPartText
  | ChatCompletionContentPartImage
  | ChatCompletionContentPartInputAudio
  | ChatCompletionContentPartFile;

/**
 * A function call the model asked for (deprecated `function_call`).
 *
 * @example Parse the arguments the model produced
 * ```ts
 * import type { ChatCompletionFunctionCall } from "@aoai/edge";
 * const call: ChatCompletionFunctionCall = {
 *   name: "get_weather",
 *   arguments: '{"city":"Seattle"}',
 * };
 * const args = JSON.parse(call.arguments) as { city?: unknown }; // validate before use
 * console.log(call.name, typeof args.city === "string" ? args.city : "?"); // "get_weather Seattle"
 * ```
 */
export interface ChatCompletionFunctionCall {
  /** Name of the function. */
  name: string;
  /** Arguments as JSON text produced by the model; validate before use. */
  arguments: string;
}

/**
 * A tool call the model made (`chatCompletionMessageToolCall`).
 *
 * @example Answer a tool call with a tool message
 * ```ts
 * import type { ChatCompletionMessageToolCall, ChatCompletionToolMessageParam } from "@aoai/edge";
 * const call: ChatCompletionMessageToolCall = {
 *   id: "call_abc123",
 *   type: "function",
 *   function: { name: "get_weather", arguments: '{"city":"Seattle"}' },
 * };
 * const answer: ChatCompletionToolMessageParam = {
 *   role: "tool",
 *   tool_call_id: call.id,
 *   content: '{"celsius":12}',
 * };
 * console.log(answer.tool_call_id); // "call_abc123"
 * ```
 */
export interface ChatCompletionMessageToolCall {
  /** ID of the tool call; echo it as `tool_call_id` in the tool message. */
  id: string;
  /** Tool type; only `"function"` exists. */
  type: "function";
  /** The function the model called. */
  function: ChatCompletionFunctionCall;
}

/**
 * A system message.
 *
 * @example Set the assistant's behaviour
 * ```ts
 * import type { ChatCompletionSystemMessageParam } from "@aoai/edge";
 * const system: ChatCompletionSystemMessageParam = {
 *   role: "system",
 *   content: "You are a helpful assistant that talks like a pirate.",
 * };
 * console.log(system.role); // "system"
 * ```
 */
export interface ChatCompletionSystemMessageParam {
  /** Discriminator. */
  role: "system";
  /** The instructions, as text or text parts. */
  content: string | ChatCompletionContentPartText[];
  /** Optional participant name. */
  name?: string;
}

/**
 * A developer message: instructions for o1-series and newer models, replacing the
 * system message. Not in these specs; accepted by newer API versions.
 *
 * @example Instructions for an o1-series model
 * ```ts
 * import type {
 *   ChatCompletionDeveloperMessageParam,
 *   ChatCompletionMessageParam,
 * } from "@aoai/edge";
 * const developer: ChatCompletionDeveloperMessageParam = {
 *   role: "developer",
 *   content: "Answer in one sentence.",
 * };
 * const messages: ChatCompletionMessageParam[] = [
 *   developer,
 *   { role: "user", content: "Why is the sky blue?" },
 * ];
 * console.log(messages[0].role); // "developer"
 * ```
 */
export interface ChatCompletionDeveloperMessageParam {
  /** Discriminator. */
  role: "developer";
  /** The instructions, as text or text parts. */
  content: string | ChatCompletionContentPartText[];
  /** Optional participant name. */
  name?: string;
}

/**
 * A user message: text, or text and image parts.
 *
 * @example A user message with an image
 * ```ts
 * import type { ChatCompletionUserMessageParam } from "@aoai/edge";
 * const message: ChatCompletionUserMessageParam = {
 *   role: "user",
 *   content: [
 *     { type: "text", text: "What is in this picture?" },
 *     { type: "image_url", image_url: { url: "https://example.com/cat.png", detail: "low" } },
 *   ],
 * };
 * const parts = typeof message.content === "string" ? [] : message.content;
 * console.log(parts.map((part) => part.type)); // [ "text", "image_url" ]
 * ```
 */
export interface ChatCompletionUserMessageParam {
  /** Discriminator. */
  role: "user";
  /** The user's input. */
  content: string | ChatCompletionContentPart[];
  /** Optional participant name. */
  name?: string;
}

/**
 * An assistant message (an earlier reply, or a prefilled turn).
 *
 * @example An earlier turn in which the assistant called a tool
 * ```ts
 * import type { ChatCompletionAssistantMessageParam } from "@aoai/edge";
 * const turn: ChatCompletionAssistantMessageParam = {
 *   role: "assistant",
 *   content: null,
 *   tool_calls: [{
 *     id: "call_abc123",
 *     type: "function",
 *     function: { name: "get_weather", arguments: '{"city":"Seattle"}' },
 *   }],
 * };
 * console.log(turn.tool_calls?.[0].function.name); // "get_weather"
 * ```
 */
export interface ChatCompletionAssistantMessageParam {
  /** Discriminator. */
  role: "assistant";
  /** Content; required unless `tool_calls` or `function_call` is set. */
  content?: string | Array<ChatCompletionContentPartText | ChatCompletionContentPartRefusal> | null;
  /** The refusal the assistant gave. */
  refusal?: string | null;
  /** Optional participant name. */
  name?: string;
  /** Tool calls the assistant made. */
  tool_calls?: ChatCompletionMessageToolCall[];
  /** @deprecated Replaced by `tool_calls`. */
  function_call?: ChatCompletionFunctionCall | null;
  /** On Your Data context of that reply (2024-02-01 request schema). */
  context?: ChatCompletionMessageContext;
  /** The spoken reply of an earlier turn, by its `audio.id`. */
  audio?: { id: string } | null;
}

/**
 * A tool result message.
 *
 * @example Return a tool's output to the model
 * ```ts
 * import type { ChatCompletionToolMessageParam } from "@aoai/edge";
 * const result: ChatCompletionToolMessageParam = {
 *   role: "tool",
 *   tool_call_id: "call_abc123",
 *   content: JSON.stringify({ city: "Seattle", celsius: 12 }),
 * };
 * console.log(result.content); // '{"city":"Seattle","celsius":12}'
 * ```
 */
export interface ChatCompletionToolMessageParam {
  /** Discriminator. */
  role: "tool";
  /** The tool's output. */
  content: string | ChatCompletionContentPartText[];
  /** The `id` of the tool call this answers. */
  tool_call_id: string;
}

/**
 * @deprecated A function result message; use a tool message.
 *
 * @example Return a function's output (legacy `functions` flow)
 * ```ts
 * import type { ChatCompletionFunctionMessageParam } from "@aoai/edge";
 * // New code sends a tool message with the tool call's id instead.
 * const result: ChatCompletionFunctionMessageParam = {
 *   role: "function",
 *   name: "get_weather",
 *   content: '{"celsius":12}',
 * };
 * console.log(result.name); // "get_weather"
 * ```
 */
export interface ChatCompletionFunctionMessageParam {
  /** Discriminator. */
  role: "function";
  /** The function's output. */
  content: string | null;
  /** Name of the function that was called. */
  name: string;
}

/**
 * Any message of a chat completions request.
 *
 * @example A conversation
 * ```ts
 * import type { ChatCompletionMessageParam } from "@aoai/edge";
 * const messages: ChatCompletionMessageParam[] = [
 *   { role: "system", content: "You are a helpful assistant that talks like a pirate." },
 *   { role: "user", content: "Can you tell me how to care for a parrot?" },
 * ];
 * console.log(messages.map((m) => m.role).join(",")); // "system,user"
 * ```
 */
export type ChatCompletionMessageParam =
  | ChatCompletionSystemMessageParam
  | ChatCompletionDeveloperMessageParam
  | ChatCompletionUserMessageParam
  | ChatCompletionAssistantMessageParam
  | ChatCompletionToolMessageParam
  | ChatCompletionFunctionMessageParam;

/**
 * The role of a request message.
 *
 * @example Tell instructions from conversation turns
 * ```ts
 * import type { ChatCompletionRole } from "@aoai/edge";
 * function isInstruction(role: ChatCompletionRole): boolean {
 *   return role === "system" || role === "developer";
 * }
 * console.log(isInstruction("developer"), isInstruction("user")); // true false
 * ```
 */
export type ChatCompletionRole = ChatCompletionMessageParam["role"];
