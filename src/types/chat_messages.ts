/**
 * Wire types of the messages in a chat completions request (`chatCompletionRequestMessage`
 * and its content parts), from `2024-10-21/inference.json`. Re-exported by `chat.ts`.
 *
 * @module
 */

import type { ChatCompletionMessageContext } from "./on_your_data.ts";

/** A text content part. */
export interface ChatCompletionContentPartText {
  /** Discriminator. */
  type: "text";
  /** The text. */
  text: string;
}

/** Image detail level (`imageDetailLevel`). */
export type ChatCompletionImageDetail = "auto" | "low" | "high";

/** The image of an image content part. */
export interface ChatCompletionImageUrl {
  /** An image URL or a `data:` URL with base64 image data. */
  url: string;
  /** Detail level; `"auto"` when absent. */
  detail?: ChatCompletionImageDetail;
}

/** An image content part (vision models). */
export interface ChatCompletionContentPartImage {
  /** Discriminator. */
  type: "image_url";
  /** The image. */
  image_url: ChatCompletionImageUrl;
}

/** A refusal content part (assistant messages only). */
export interface ChatCompletionContentPartRefusal {
  /** Discriminator. */
  type: "refusal";
  /** The refusal message the model produced. */
  refusal: string;
}

/** A content part of a user message. */
export type ChatCompletionContentPart =
  | ChatCompletionContentPartText
  | ChatCompletionContentPartImage;

/** A function call the model asked for (deprecated `function_call`). */
export interface ChatCompletionFunctionCall {
  /** Name of the function. */
  name: string;
  /** Arguments as JSON text produced by the model; validate before use. */
  arguments: string;
}

/** A tool call the model made (`chatCompletionMessageToolCall`). */
export interface ChatCompletionMessageToolCall {
  /** ID of the tool call; echo it as `tool_call_id` in the tool message. */
  id: string;
  /** Tool type; only `"function"` exists. */
  type: "function";
  /** The function the model called. */
  function: ChatCompletionFunctionCall;
}

/** A system message. */
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
 * import type { ChatCompletionUserMessageParam } from "./chat_messages.ts";
 * const message: ChatCompletionUserMessageParam = {
 *   role: "user",
 *   content: [
 *     { type: "text", text: "What is in this picture?" },
 *     { type: "image_url", image_url: { url: "https://example.com/cat.png", detail: "low" } },
 *   ],
 * };
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

/** An assistant message (an earlier reply, or a prefilled turn). */
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
}

/** A tool result message. */
export interface ChatCompletionToolMessageParam {
  /** Discriminator. */
  role: "tool";
  /** The tool's output. */
  content: string | ChatCompletionContentPartText[];
  /** The `id` of the tool call this answers. */
  tool_call_id: string;
}

/** @deprecated A function result message; use a tool message. */
export interface ChatCompletionFunctionMessageParam {
  /** Discriminator. */
  role: "function";
  /** The function's output. */
  content: string | null;
  /** Name of the function that was called. */
  name: string;
}

/** Any message of a chat completions request. */
export type ChatCompletionMessageParam =
  | ChatCompletionSystemMessageParam
  | ChatCompletionDeveloperMessageParam
  | ChatCompletionUserMessageParam
  | ChatCompletionAssistantMessageParam
  | ChatCompletionToolMessageParam
  | ChatCompletionFunctionMessageParam;

/** The role of a request message. */
export type ChatCompletionRole = ChatCompletionMessageParam["role"];
