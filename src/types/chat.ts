/**
 * Wire types of chat completions (`POST /deployments/{deployment-id}/chat/completions`):
 * the request (`createChatCompletionRequest`), the reply (`createChatCompletionResponse`)
 * and the streamed chunk (`createChatCompletionStreamResponse`), from
 * `2024-10-21/inference.json`. Message types live in `chat_messages.ts`, chunk types
 * in `chat_chunk.ts`; both are re-exported here.
 *
 * @module
 */

import type { CompletionUsage, ContentFilterResults, PromptFilterResult } from "./common.ts";
import type {
  ChatCompletionFunctionCall,
  ChatCompletionMessageParam,
  ChatCompletionMessageToolCall,
} from "./chat_messages.ts";
import type {
  AzureChatExtensionConfiguration,
  ChatCompletionMessageContext,
} from "./on_your_data.ts";

export type {
  ChatCompletionAssistantMessageParam,
  ChatCompletionContentPart,
  ChatCompletionContentPartImage,
  ChatCompletionContentPartRefusal,
  ChatCompletionContentPartText,
  ChatCompletionDeveloperMessageParam,
  ChatCompletionFunctionCall,
  ChatCompletionFunctionMessageParam,
  ChatCompletionImageDetail,
  ChatCompletionImageUrl,
  ChatCompletionMessageParam,
  ChatCompletionMessageToolCall,
  ChatCompletionRole,
  ChatCompletionSystemMessageParam,
  ChatCompletionToolMessageParam,
  ChatCompletionUserMessageParam,
} from "./chat_messages.ts";
export type {
  ChatCompletionChunk,
  ChatCompletionChunkChoice,
  ChatCompletionChunkDelta,
  ChatCompletionChunkToolCallDelta,
  ContentFilterOffsets,
} from "./chat_chunk.ts";

/** JSON Schema of function parameters (`FunctionParameters`): any JSON object. */
export type FunctionParameters = Record<string, unknown>;

/** A function the model may call (`FunctionObject`). */
export interface FunctionDefinition {
  /** Name: a-z, A-Z, 0-9, `_` and `-`, at most 64 characters. */
  name: string;
  /** What the function does; the model reads this. */
  description?: string;
  /** JSON Schema of the arguments; omit for a function without arguments. */
  parameters?: FunctionParameters;
  /** Follow the schema exactly (structured outputs; a subset of JSON Schema). */
  strict?: boolean | null;
}

/** A tool the model may call (`chatCompletionTool`). */
export interface ChatCompletionTool {
  /** Tool type; only `"function"` exists. */
  type: "function";
  /** The function. */
  function: FunctionDefinition;
}

/** Force one named tool (`chatCompletionNamedToolChoice`). */
export interface ChatCompletionNamedToolChoice {
  /** Tool type; only `"function"` exists. */
  type: "function";
  /** The function to call. */
  function: { name: string };
}

/** `tool_choice`: `"none"`, `"auto"`, `"required"` or one named tool. */
export type ChatCompletionToolChoiceOption =
  | "none"
  | "auto"
  | "required"
  | ChatCompletionNamedToolChoice;

/** @deprecated A function for the deprecated `functions` parameter (`chatCompletionFunctions`). */
export interface ChatCompletionFunctions {
  /** Function name. */
  name: string;
  /** What the function does. */
  description?: string;
  /** JSON Schema of the arguments. */
  parameters?: FunctionParameters;
}

/** @deprecated Force a function by name in the deprecated `function_call` parameter. */
export interface ChatCompletionFunctionCallOption {
  /** Function name. */
  name: string;
}

/** `response_format: { type: "text" }`: plain text (the default). */
export interface ResponseFormatText {
  /** Discriminator. */
  type: "text";
}

/** `response_format: { type: "json_object" }`: JSON mode. */
export interface ResponseFormatJsonObject {
  /** Discriminator. */
  type: "json_object";
}

/** The schema part of a `json_schema` response format. */
export interface ResponseFormatJsonSchemaDefinition {
  /** Name: a-z, A-Z, 0-9, `_` and `-`, at most 64 characters. */
  name: string;
  /** What the format is for. */
  description?: string;
  /** The JSON Schema the output must follow. */
  schema?: Record<string, unknown>;
  /** Follow the schema exactly. */
  strict?: boolean | null;
}

/** `response_format: { type: "json_schema", json_schema }`: structured outputs. */
export interface ResponseFormatJsonSchema {
  /** Discriminator. */
  type: "json_schema";
  /** The schema. */
  json_schema: ResponseFormatJsonSchemaDefinition;
}

/** Any `response_format` of a chat request. */
export type ResponseFormat =
  | ResponseFormatText
  | ResponseFormatJsonObject
  | ResponseFormatJsonSchema;

/**
 * Options of a streamed reply (`chatCompletionStreamOptions`). The 2024-10-21 spec
 * defines the schema but does not reference it from the request; the service
 * accepts it.
 */
export interface ChatCompletionStreamOptions {
  /** Send one more chunk before `[DONE]` with `usage` and empty `choices`. */
  include_usage?: boolean;
}

/**
 * Parameters of a chat completion (`createChatCompletionRequest`). `model` names the
 * deployment (it is not sent in the body for deployment-scoped calls).
 *
 * @example Ask a question
 * ```ts
 * import type { ChatCompletionCreateParams } from "./chat.ts";
 * const params: ChatCompletionCreateParams = {
 *   model: "gpt-4o",
 *   messages: [
 *     { role: "system", content: "You are terse." },
 *     { role: "user", content: "Name a prime number." },
 *   ],
 *   max_tokens: 16,
 *   tools: [{
 *     type: "function",
 *     function: { name: "lookup", parameters: { type: "object", properties: {} } },
 *   }],
 *   tool_choice: "auto",
 * };
 * ```
 */
export interface ChatCompletionCreateParams {
  /** Deployment name; defaults to the client's `deployment`. */
  model?: string;
  /** The conversation so far (at least one message). */
  messages: ChatCompletionMessageParam[];
  /** Sampling temperature, 0 to 2. */
  temperature?: number | null;
  /** Nucleus sampling mass, 0 to 1. */
  top_p?: number | null;
  /** Number of choices, 1 to 128. */
  n?: number | null;
  /** Stream the reply as server-sent events. */
  stream?: boolean | null;
  /** Options of the stream; see {@link ChatCompletionStreamOptions}. */
  stream_options?: ChatCompletionStreamOptions | null;
  /** Up to 4 stop sequences. */
  stop?: string | string[] | null;
  /** Max tokens to generate. Not accepted by o1-series models; use `max_completion_tokens`. */
  max_tokens?: number | null;
  /** Upper bound of generated tokens, reasoning tokens included. */
  max_completion_tokens?: number | null;
  /** Presence penalty, -2 to 2. */
  presence_penalty?: number | null;
  /** Frequency penalty, -2 to 2. */
  frequency_penalty?: number | null;
  /** Token ID (as a string key) to bias, -100 to 100. */
  logit_bias?: Record<string, number> | null;
  /** End-user identifier for abuse monitoring. */
  user?: string;
  /** Tools the model may call. */
  tools?: ChatCompletionTool[];
  /** Which tool the model calls. */
  tool_choice?: ChatCompletionToolChoiceOption;
  /** Allow several tool calls in one reply. */
  parallel_tool_calls?: boolean | null;
  /** @deprecated Use `tools`. */
  functions?: ChatCompletionFunctions[];
  /** @deprecated Use `tool_choice`. */
  function_call?: "none" | "auto" | ChatCompletionFunctionCallOption;
  /** Output format: text, JSON mode or a JSON schema. */
  response_format?: ResponseFormat;
  /** Best-effort deterministic sampling seed. */
  seed?: number | null;
  /** Return log probabilities of the output tokens. */
  logprobs?: boolean | null;
  /** Most likely tokens to return per position, 0 to 20 (needs `logprobs: true`). */
  top_logprobs?: number | null;
  /** On Your Data sources. */
  data_sources?: AzureChatExtensionConfiguration[];
}

/** Chat completion parameters that ask for a stream (`stream: true`). */
export interface ChatCompletionCreateParamsStreaming extends ChatCompletionCreateParams {
  /** Stream the reply. */
  stream: true;
}

/** Chat completion parameters that ask for one JSON reply. */
export interface ChatCompletionCreateParamsNonStreaming extends ChatCompletionCreateParams {
  /** Do not stream. */
  stream?: false | null;
}

/** Why the model stopped. */
export type ChatCompletionFinishReason =
  | "stop"
  | "length"
  | "tool_calls"
  | "content_filter"
  | "function_call";

/** One alternative token at a position. */
export interface ChatCompletionTopLogprob {
  /** The token. */
  token: string;
  /** Its log probability. */
  logprob: number;
  /** Its UTF-8 bytes, or `null` when there is no byte form. */
  bytes: number[] | null;
}

/** Log probability of one output token (`chatCompletionTokenLogprob`). */
export interface ChatCompletionTokenLogprob extends ChatCompletionTopLogprob {
  /** The most likely tokens at this position. */
  top_logprobs: ChatCompletionTopLogprob[];
}

/** Log probability information of a choice (`chatCompletionChoiceLogProbs`). */
export interface ChatCompletionLogprobs {
  /** Per-token log probabilities of the content. */
  content: ChatCompletionTokenLogprob[] | null;
  /** Per-token log probabilities of the refusal. */
  refusal?: ChatCompletionTokenLogprob[] | null;
}

/** The assistant message of a reply (`chatCompletionResponseMessage`). */
export interface ChatCompletionMessage {
  /** Always `"assistant"`. */
  role: "assistant";
  /** Text, or `null` when the model only called tools. */
  content: string | null;
  /** Refusal text, when the model refused. */
  refusal?: string | null;
  /** Tool calls the model made. */
  tool_calls?: ChatCompletionMessageToolCall[];
  /** @deprecated Function call (replaced by `tool_calls`). */
  function_call?: ChatCompletionFunctionCall;
  /** On Your Data retrieval context (citations, intent). */
  context?: ChatCompletionMessageContext;
}

/** One choice of a chat completion. */
export interface ChatCompletionChoice {
  /** Index of the choice. */
  index: number;
  /** The reply. */
  message: ChatCompletionMessage;
  /** Why the model stopped. */
  finish_reason: ChatCompletionFinishReason | null;
  /** Log probabilities, when `logprobs` was requested. */
  logprobs?: ChatCompletionLogprobs | null;
  /** Content filter results of the generated text. */
  content_filter_results?: ContentFilterResults;
}

/** A chat completion reply (`createChatCompletionResponse`). */
export interface ChatCompletion {
  /** Completion ID. */
  id: string;
  /** Always `"chat.completion"`. */
  object: "chat.completion";
  /** Creation time, Unix seconds. */
  created: number;
  /** The model (not the deployment) that answered. */
  model: string;
  /** Backend configuration fingerprint. */
  system_fingerprint?: string | null;
  /** The choices. */
  choices: ChatCompletionChoice[];
  /** Token usage. */
  usage?: CompletionUsage;
  /** Content filter results of the prompt. */
  prompt_filter_results?: PromptFilterResult[];
}
