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
  ChatCompletionContentPartText,
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
  ChatCompletionContentPartFile,
  ChatCompletionContentPartImage,
  ChatCompletionContentPartInputAudio,
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

/**
 * JSON Schema of function parameters (`FunctionParameters`): any JSON object.
 *
 * @example Describe the arguments with JSON Schema
 * ```ts
 * import type { FunctionParameters } from "@aoai/edge";
 * const parameters: FunctionParameters = {
 *   type: "object",
 *   properties: {
 *     city: { type: "string", description: "City name, e.g. Seattle" },
 *     unit: { type: "string", enum: ["celsius", "fahrenheit"] },
 *   },
 *   required: ["city"],
 * };
 * console.log(Object.keys(parameters)); // ["type", "properties", "required"]
 * ```
 */
export type FunctionParameters = Record<string, unknown>;

/**
 * A function the model may call (`FunctionObject`).
 *
 * @example A weather lookup
 * ```ts
 * import type { FunctionDefinition } from "@aoai/edge";
 * const getWeather: FunctionDefinition = {
 *   name: "get_weather",
 *   description: "Current weather of a city.",
 *   parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
 * };
 * console.log(getWeather.name); // "get_weather"
 * ```
 */
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

/**
 * A tool the model may call (`chatCompletionTool`).
 *
 * @example Offer a tool and read the call
 * ```ts
 * import { AzureOpenAI, type ChatCompletionTool } from "@aoai/edge";
 * import { createEmulator } from "@aoai/edge/emulator";
 * const emulator = createEmulator(); // a local stand-in for your resource
 * const client = new AzureOpenAI({
 *   endpoint: "http://emulator.local",
 *   apiKey: emulator.apiKey,
 *   fetch: emulator.fetch,
 * });
 * const tool: ChatCompletionTool = {
 *   type: "function",
 *   function: { name: "get_weather", parameters: { type: "object", properties: {} } },
 * };
 * const res = await client.chat.completions.create({
 *   model: "gpt-4o",
 *   messages: [{ role: "user", content: "Weather in Seattle?" }],
 *   tools: [tool],
 *   tool_choice: "required",
 * });
 * console.log(res.choices[0].message.tool_calls?.[0].function.name); // "get_weather"
 * ```
 */
export interface ChatCompletionTool {
  /** Tool type; only `"function"` exists. */
  type: "function";
  /** The function. */
  function: FunctionDefinition;
}

/**
 * Force one named tool (`chatCompletionNamedToolChoice`).
 *
 * @example Force the model to call one tool
 * ```ts
 * import type { ChatCompletionCreateParams, ChatCompletionNamedToolChoice } from "@aoai/edge";
 * const force: ChatCompletionNamedToolChoice = {
 *   type: "function",
 *   function: { name: "get_weather" },
 * };
 * const params: ChatCompletionCreateParams = {
 *   messages: [{ role: "user", content: "Weather in Seattle?" }],
 *   tools: [{ type: "function", function: { name: "get_weather" } }],
 *   tool_choice: force,
 * };
 * console.log(params.tool_choice === force); // true
 * ```
 */
export interface ChatCompletionNamedToolChoice {
  /** Tool type; only `"function"` exists. */
  type: "function";
  /** The function to call. */
  function: { name: string };
}

/**
 * `tool_choice`: `"none"`, `"auto"`, `"required"` or one named tool.
 *
 * @example Describe a tool_choice
 * ```ts
 * import type { ChatCompletionToolChoiceOption } from "@aoai/edge";
 * function describe(choice: ChatCompletionToolChoiceOption): string {
 *   return typeof choice === "string" ? choice : `only ${choice.function.name}`;
 * }
 * const forced: ChatCompletionToolChoiceOption = {
 *   type: "function",
 *   function: { name: "get_weather" },
 * };
 * console.log(describe("auto"), describe(forced)); // "auto only get_weather"
 * ```
 */
export type ChatCompletionToolChoiceOption =
  | "none"
  | "auto"
  | "required"
  | ChatCompletionNamedToolChoice;

/**
 * @deprecated A function for the deprecated `functions` parameter (`chatCompletionFunctions`).
 *
 * @example Offer a function (legacy; prefer `tools`)
 * ```ts
 * import type { ChatCompletionCreateParams, ChatCompletionFunctions } from "@aoai/edge";
 * const getWeather: ChatCompletionFunctions = {
 *   name: "get_weather",
 *   description: "Current weather of a city.",
 *   parameters: { type: "object", properties: { city: { type: "string" } } },
 * };
 * const params: ChatCompletionCreateParams = {
 *   messages: [{ role: "user", content: "Weather in Seattle?" }],
 *   functions: [getWeather],
 * };
 * console.log(params.functions?.length); // 1
 * ```
 */
export interface ChatCompletionFunctions {
  /** Function name. */
  name: string;
  /** What the function does. */
  description?: string;
  /** JSON Schema of the arguments. */
  parameters?: FunctionParameters;
}

/**
 * @deprecated Force a function by name in the deprecated `function_call` parameter.
 *
 * @example Force a function (legacy; prefer `tool_choice`)
 * ```ts
 * import type { ChatCompletionCreateParams, ChatCompletionFunctionCallOption } from "@aoai/edge";
 * const force: ChatCompletionFunctionCallOption = { name: "get_weather" };
 * const params: ChatCompletionCreateParams = {
 *   messages: [{ role: "user", content: "Weather in Seattle?" }],
 *   functions: [{ name: "get_weather" }],
 *   function_call: force,
 * };
 * console.log(params.function_call === force); // true
 * ```
 */
export interface ChatCompletionFunctionCallOption {
  /** Function name. */
  name: string;
}

/**
 * `response_format: { type: "text" }`: plain text (the default).
 *
 * @example Ask for plain text explicitly
 * ```ts
 * import type { ChatCompletionCreateParams, ResponseFormatText } from "@aoai/edge";
 * const format: ResponseFormatText = { type: "text" };
 * const params: ChatCompletionCreateParams = {
 *   messages: [{ role: "user", content: "Write a haiku about rain." }],
 *   response_format: format,
 * };
 * console.log(params.response_format?.type); // "text"
 * ```
 */
export interface ResponseFormatText {
  /** Discriminator. */
  type: "text";
}

/**
 * `response_format: { type: "json_object" }`: JSON mode.
 *
 * @example JSON mode (the messages must mention JSON)
 * ```ts
 * import type { ChatCompletionCreateParams, ResponseFormatJsonObject } from "@aoai/edge";
 * const format: ResponseFormatJsonObject = { type: "json_object" };
 * const params: ChatCompletionCreateParams = {
 *   messages: [
 *     { role: "system", content: "Reply with a JSON object with a `colors` array." },
 *     { role: "user", content: "Name the three primary colors." },
 *   ],
 *   response_format: format,
 * };
 * console.log(JSON.stringify(params.response_format)); // '{"type":"json_object"}'
 * ```
 */
export interface ResponseFormatJsonObject {
  /** Discriminator. */
  type: "json_object";
}

/**
 * The schema part of a `json_schema` response format.
 *
 * @example A strict schema
 * ```ts
 * import type { ResponseFormatJsonSchemaDefinition } from "@aoai/edge";
 * const weather: ResponseFormatJsonSchemaDefinition = {
 *   name: "weather",
 *   strict: true,
 *   schema: {
 *     type: "object",
 *     properties: { city: { type: "string" }, celsius: { type: "number" } },
 *     required: ["city", "celsius"],
 *     additionalProperties: false,
 *   },
 * };
 * console.log(weather.name); // "weather"
 * ```
 */
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

/**
 * `response_format: { type: "json_schema", json_schema }`: structured outputs.
 *
 * @example Structured outputs
 * ```ts
 * import type { ChatCompletionCreateParams, ResponseFormatJsonSchema } from "@aoai/edge";
 * const format: ResponseFormatJsonSchema = {
 *   type: "json_schema",
 *   json_schema: {
 *     name: "weather",
 *     strict: true,
 *     schema: {
 *       type: "object",
 *       properties: { celsius: { type: "number" } },
 *       required: ["celsius"],
 *     },
 *   },
 * };
 * const params: ChatCompletionCreateParams = {
 *   messages: [{ role: "user", content: "How warm is it in Seattle?" }],
 *   response_format: format,
 * };
 * console.log(params.response_format?.type); // "json_schema"
 * ```
 */
export interface ResponseFormatJsonSchema {
  /** Discriminator. */
  type: "json_schema";
  /** The schema. */
  json_schema: ResponseFormatJsonSchemaDefinition;
}

/**
 * Any `response_format` of a chat request.
 *
 * @example Check whether a request asks for JSON
 * ```ts
 * import type { ResponseFormat } from "@aoai/edge";
 * function wantsJson(format: ResponseFormat | undefined): boolean {
 *   return format !== undefined && format.type !== "text";
 * }
 * console.log(wantsJson({ type: "json_object" }), wantsJson({ type: "text" })); // true false
 * ```
 */
export type ResponseFormat =
  | ResponseFormatText
  | ResponseFormatJsonObject
  | ResponseFormatJsonSchema;

/**
 * Options of a streamed reply (`chatCompletionStreamOptions`). The 2024-10-21 spec
 * defines the schema but does not reference it from the request; the service
 * accepts it.
 *
 * @example Get token usage at the end of a stream
 * ```ts
 * import type {
 *   ChatCompletionCreateParamsStreaming,
 *   ChatCompletionStreamOptions,
 * } from "@aoai/edge";
 * const streamOptions: ChatCompletionStreamOptions = { include_usage: true };
 * const params: ChatCompletionCreateParamsStreaming = {
 *   messages: [{ role: "user", content: "Tell me a short story." }],
 *   stream: true,
 *   stream_options: streamOptions,
 * };
 * console.log(params.stream_options?.include_usage); // true
 * ```
 */
export interface ChatCompletionStreamOptions {
  /** Send one more chunk before `[DONE]` with `usage` and empty `choices`. */
  include_usage?: boolean;
}

/**
 * How hard a reasoning model (o-series, gpt-5) thinks before it answers; newer models add
 * levels, so any string is sent as given.
 *
 * @example Think less for a quick answer
 * ```ts
 * import type { ChatCompletionCreateParams, ReasoningEffort } from "@aoai/edge";
 * const reasoning_effort: ReasoningEffort = "low";
 * const params: ChatCompletionCreateParams = {
 *   model: "o3-mini",
 *   messages: [{ role: "user", content: "Is 97 prime?" }],
 *   reasoning_effort,
 * };
 * console.log(params.reasoning_effort); // "low"
 * ```
 */
export type ReasoningEffort =
  | "minimal"
  | "low"
  | "medium"
  | "high"
  | (string & Record<never, never>);

/**
 * Spoken output of an audio model (`audio`, with `modalities: ["text", "audio"]`).
 *
 * @example Ask for a spoken reply as WAV
 * ```ts
 * import type { ChatCompletionAudioParam, ChatCompletionCreateParams } from "@aoai/edge";
 * const audio: ChatCompletionAudioParam = { voice: "alloy", format: "wav" };
 * const params: ChatCompletionCreateParams = {
 *   model: "gpt-4o-audio-preview",
 *   messages: [{ role: "user", content: "Say hello." }],
 *   modalities: ["text", "audio"],
 *   audio,
 * };
 * console.log(params.audio?.format); // "wav"
 * ```
 */
export interface ChatCompletionAudioParam {
  /** Voice name (e.g. `alloy`, `coral`); models differ in their voices. */
  voice: string;
  /** Audio format of the reply. */
  format: "wav" | "aac" | "mp3" | "flac" | "opus" | "pcm16";
}

/**
 * Predicted output (`prediction`): text the reply will mostly repeat, to answer faster.
 *
 * @example Edit a file whose most lines stay the same
 * ```ts
 * import type { ChatCompletionCreateParams, ChatCompletionPredictionContent } from "@aoai/edge";
 * const code = "const x = 1;\nconsole.log(x);";
 * const prediction: ChatCompletionPredictionContent = { type: "content", content: code };
 * const params: ChatCompletionCreateParams = {
 *   messages: [{ role: "user", content: `Rename x to y:\n${code}` }],
 *   prediction,
 * };
 * console.log(params.prediction?.type); // "content"
 * ```
 */
export interface ChatCompletionPredictionContent {
  /** Discriminator. */
  type: "content";
  /** The predicted text. */
  content: string | ChatCompletionContentPartText[];
}

/**
 * Who sent a request, for Microsoft Defender for Cloud (`user_security_context`).
 *
 * @example Name the application and the end user
 * ```ts
 * import type { ChatCompletionCreateParams, UserSecurityContext } from "@aoai/edge";
 * const context: UserSecurityContext = {
 *   application_name: "support-bot",
 *   end_user_id: "user-42",
 *   source_ip: "203.0.113.7",
 * };
 * const params: ChatCompletionCreateParams = {
 *   messages: [{ role: "user", content: "Hi" }],
 *   user_security_context: context,
 * };
 * console.log(params.user_security_context?.end_user_id); // "user-42"
 * ```
 */
export interface UserSecurityContext {
  /** The application's name. */
  application_name?: string;
  /** The end user's identifier (e.g. an Entra object ID). */
  end_user_id?: string;
  /** The end user's Entra tenant ID. */
  end_user_tenant_id?: string;
  /** The end user's IP address. */
  source_ip?: string;
}

/**
 * Parameters of a chat completion (`createChatCompletionRequest`). `model` names the
 * deployment (it is not sent in the body for deployment-scoped calls).
 *
 * @example Ask a question
 * ```ts
 * import type { ChatCompletionCreateParams } from "@aoai/edge";
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
 * console.log(params.messages.length, params.tools?.[0].function.name); // 2 lookup
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
  /** Reasoning effort of a reasoning model; see {@link ReasoningEffort}. */
  reasoning_effort?: ReasoningEffort | null;
  /** Length of the reply of a gpt-5 model. */
  verbosity?: "low" | "medium" | "high" | null;
  /** Store the completion (for distillation and evaluation). */
  store?: boolean | null;
  /** Up to 16 key-value string pairs stored with the completion. */
  metadata?: Record<string, string> | null;
  /** Output kinds: `["text"]`, or `["text", "audio"]` for an audio model. */
  modalities?: Array<"text" | "audio"> | null;
  /** Spoken output (with `modalities: ["text", "audio"]`). */
  audio?: ChatCompletionAudioParam | null;
  /** Predicted output; see {@link ChatCompletionPredictionContent}. */
  prediction?: ChatCompletionPredictionContent | null;
  /** Who sent the request; see {@link UserSecurityContext}. */
  user_security_context?: UserSecurityContext;
}

/**
 * Chat completion parameters that ask for a stream (`stream: true`).
 *
 * @example Parameters for which `create()` resolves to a stream
 * ```ts
 * import type { ChatCompletionCreateParamsStreaming } from "@aoai/edge";
 * const params: ChatCompletionCreateParamsStreaming = {
 *   model: "gpt-4o",
 *   messages: [{ role: "user", content: "Tell me a short story." }],
 *   stream: true,
 * };
 * console.log(params.stream); // true
 * ```
 */
export interface ChatCompletionCreateParamsStreaming extends ChatCompletionCreateParams {
  /** Stream the reply. */
  stream: true;
}

/**
 * Chat completion parameters that ask for one JSON reply.
 *
 * @example Parameters for which `create()` resolves to a ChatCompletion
 * ```ts
 * import type { ChatCompletionCreateParamsNonStreaming } from "@aoai/edge";
 * function ask(question: string): ChatCompletionCreateParamsNonStreaming {
 *   return { model: "gpt-4o", messages: [{ role: "user", content: question }], max_tokens: 100 };
 * }
 * console.log(ask("Name a prime number.").stream ?? false); // false
 * ```
 */
export interface ChatCompletionCreateParamsNonStreaming extends ChatCompletionCreateParams {
  /** Do not stream. */
  stream?: false | null;
}

/**
 * Why the model stopped.
 *
 * @example Explain why a reply ended
 * ```ts
 * import type { ChatCompletionFinishReason } from "@aoai/edge";
 * function explain(reason: ChatCompletionFinishReason | null): string {
 *   if (reason === "length") return "cut at max_tokens";
 *   if (reason === "content_filter") return "cut by the content filter";
 *   return reason ?? "not finished";
 * }
 * console.log(explain("length")); // "cut at max_tokens"
 * ```
 */
export type ChatCompletionFinishReason =
  | "stop"
  | "length"
  | "tool_calls"
  | "content_filter"
  | "function_call";

/**
 * One alternative token at a position.
 *
 * @example Turn a log probability into a probability
 * ```ts
 * import type { ChatCompletionTopLogprob } from "@aoai/edge";
 * const alternative: ChatCompletionTopLogprob = {
 *   token: "Hello",
 *   logprob: -0.31,
 *   bytes: [72, 101, 108, 108, 111],
 * };
 * console.log(Math.exp(alternative.logprob).toFixed(2)); // "0.73"
 * ```
 */
export interface ChatCompletionTopLogprob {
  /** The token. */
  token: string;
  /** Its log probability. */
  logprob: number;
  /** Its UTF-8 bytes, or `null` when there is no byte form. */
  bytes: number[] | null;
}

/**
 * Log probability of one output token (`chatCompletionTokenLogprob`).
 *
 * @example List the alternatives at a position
 * ```ts
 * import type { ChatCompletionTokenLogprob } from "@aoai/edge";
 * const token: ChatCompletionTokenLogprob = {
 *   token: "Hello",
 *   logprob: -0.31,
 *   bytes: [72, 101, 108, 108, 111],
 *   top_logprobs: [
 *     { token: "Hello", logprob: -0.31, bytes: [72, 101, 108, 108, 111] },
 *     { token: "Hi", logprob: -1.4, bytes: [72, 105] },
 *   ],
 * };
 * console.log(token.top_logprobs.map((t) => t.token).join(" > ")); // "Hello > Hi"
 * ```
 */
export interface ChatCompletionTokenLogprob extends ChatCompletionTopLogprob {
  /** The most likely tokens at this position. */
  top_logprobs: ChatCompletionTopLogprob[];
}

/**
 * Log probability information of a choice (`chatCompletionChoiceLogProbs`).
 *
 * @example Probability of a whole reply
 * ```ts
 * import type { ChatCompletionLogprobs } from "@aoai/edge";
 * const logprobs: ChatCompletionLogprobs = {
 *   content: [
 *     { token: "Hello", logprob: -0.31, bytes: [72, 101, 108, 108, 111], top_logprobs: [] },
 *     { token: "!", logprob: -0.05, bytes: [33], top_logprobs: [] },
 *   ],
 *   refusal: null,
 * };
 * const sum = (logprobs.content ?? []).reduce((total, t) => total + t.logprob, 0);
 * console.log(Math.exp(sum).toFixed(2)); // "0.70"
 * ```
 */
export interface ChatCompletionLogprobs {
  /** Per-token log probabilities of the content. */
  content: ChatCompletionTokenLogprob[] | null;
  /** Per-token log probabilities of the refusal. */
  refusal?: ChatCompletionTokenLogprob[] | null;
}

/**
 * The assistant message of a reply (`chatCompletionResponseMessage`).
 *
 * @example Keep the reply in the conversation
 * ```ts
 * import {
 *   AzureOpenAI,
 *   type ChatCompletionMessage,
 *   type ChatCompletionMessageParam,
 * } from "@aoai/edge";
 * import { createEmulator } from "@aoai/edge/emulator";
 * const emulator = createEmulator(); // a local stand-in for your resource
 * const client = new AzureOpenAI({
 *   endpoint: "http://emulator.local",
 *   apiKey: emulator.apiKey,
 *   fetch: emulator.fetch,
 * });
 * const messages: ChatCompletionMessageParam[] = [{ role: "user", content: "Hello" }];
 * const res = await client.chat.completions.create({ model: "gpt-4o", messages });
 * const reply: ChatCompletionMessage = res.choices[0].message;
 * messages.push(reply); // the next request sends it back as an assistant message
 * console.log(messages.length, reply.content); // 2 "You said: Hello"
 * ```
 */
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
  /** The spoken reply, when `modalities` asked for audio. */
  audio?: ChatCompletionAudio | null;
}

/**
 * The spoken reply of an audio model (`message.audio`).
 *
 * @example Keep the audio reply's id for the next turn
 * ```ts
 * import type { ChatCompletionAudio, ChatCompletionMessageParam } from "@aoai/edge";
 * const audio: ChatCompletionAudio = {
 *   id: "audio_1",
 *   data: "UklGRg==",
 *   expires_at: 1735689600,
 *   transcript: "Hello!",
 * };
 * const next: ChatCompletionMessageParam = { role: "assistant", audio: { id: audio.id } };
 * console.log(audio.transcript, next.role); // "Hello!" "assistant"
 * ```
 */
export interface ChatCompletionAudio {
  /** ID to send back as the assistant message's `audio.id`. */
  id: string;
  /** Base64 audio in the requested format. */
  data: string;
  /** When the service forgets the audio (for multi-turn use), Unix seconds. */
  expires_at: number;
  /** Transcript of the audio. */
  transcript: string;
}

/**
 * One choice of a chat completion.
 *
 * @example Notice a truncated reply
 * ```ts
 * import type { ChatCompletionChoice } from "@aoai/edge";
 * const choice: ChatCompletionChoice = {
 *   index: 0,
 *   finish_reason: "length",
 *   message: { role: "assistant", content: "Ahoy matey! So ye be wantin' to care for" },
 * };
 * console.log(choice.finish_reason === "length" ? "truncated" : "complete"); // "truncated"
 * ```
 */
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

/**
 * A chat completion reply (`createChatCompletionResponse`).
 *
 * @example Read the reply and its token usage
 * ```ts
 * import { AzureOpenAI, type ChatCompletion } from "@aoai/edge";
 * import { createEmulator } from "@aoai/edge/emulator";
 * const emulator = createEmulator(); // a local stand-in for your resource
 * const client = new AzureOpenAI({
 *   endpoint: "http://emulator.local",
 *   apiKey: emulator.apiKey,
 *   fetch: emulator.fetch,
 * });
 * const completion: ChatCompletion = await client.chat.completions.create({
 *   model: "gpt-4o",
 *   messages: [{ role: "user", content: "Hello" }],
 * });
 * console.log(completion.object, completion.choices[0].finish_reason); // "chat.completion stop"
 * console.log(completion.usage?.total_tokens); // 13
 * ```
 */
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
