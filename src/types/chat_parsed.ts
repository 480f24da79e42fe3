/**
 * What `chat.completions.parse()` resolves to: a chat completion whose messages carry `parsed`
 * and whose tool calls carry `parsed_arguments`, under the official `openai` SDK's names.
 *
 * @module
 */
import type { ChatCompletion, ChatCompletionChoice, ChatCompletionMessage } from "./chat.ts";
import type { ChatCompletionFunctionCall, ChatCompletionMessageToolCall } from "./chat_messages.ts";

/**
 * A tool call's function with its parsed arguments.
 *
 * @example Read a strict tool's parsed arguments
 * ```ts
 * import type { ParsedFunction } from "@aoai/edge";
 * const fn: ParsedFunction = {
 *   name: "get_weather",
 *   arguments: '{"city":"Paris"}',
 *   parsed_arguments: { city: "Paris" },
 * };
 * console.log(fn.parsed_arguments); // { city: "Paris" }
 * ```
 */
export interface ParsedFunction extends ChatCompletionFunctionCall {
  /**
   * The arguments parsed: by the tool's `$parseRaw` (zodFunction tools), with `JSON.parse` for a
   * `strict: true` tool, else `null`.
   */
  parsed_arguments?: unknown;
}

/**
 * A tool call of a parsed completion.
 *
 * @example Dispatch on the tool's name
 * ```ts
 * import type { ParsedFunctionToolCall } from "@aoai/edge";
 * const call: ParsedFunctionToolCall = {
 *   id: "call_1",
 *   type: "function",
 *   function: { name: "lookup", arguments: '{"q":"x"}', parsed_arguments: { q: "x" } },
 * };
 * console.log(call.function.name, call.function.parsed_arguments); // "lookup" { q: "x" }
 * ```
 */
export interface ParsedFunctionToolCall extends ChatCompletionMessageToolCall {
  /** The function called, with its parsed arguments. */
  function: ParsedFunction;
}

/**
 * A reply of a parsed completion.
 *
 * @example Use the parsed content
 * ```ts
 * import type { ParsedChatCompletionMessage } from "@aoai/edge";
 * const message: ParsedChatCompletionMessage<{ celsius: number }> = {
 *   role: "assistant",
 *   content: '{"celsius":21}',
 *   parsed: { celsius: 21 },
 * };
 * console.log(message.parsed?.celsius); // 21
 * ```
 */
export interface ParsedChatCompletionMessage<ParsedT> extends ChatCompletionMessage {
  /**
   * The content parsed for a `json_schema` `response_format` (by its `$parseRaw`, as
   * zodResponseFormat's, else `JSON.parse`); `null` for other formats, no content or a refusal.
   */
  parsed: ParsedT | null;
  /** Tool calls, with `parsed_arguments`. */
  tool_calls?: ParsedFunctionToolCall[];
}

/**
 * A choice of a parsed completion.
 *
 * @example Read the parsed reply of the first choice
 * ```ts
 * import type { ParsedChoice } from "@aoai/edge";
 * const choice: ParsedChoice<string[]> = {
 *   index: 0,
 *   finish_reason: "stop",
 *   message: { role: "assistant", content: '["a"]', parsed: ["a"] },
 * };
 * console.log(choice.message.parsed); // ["a"]
 * ```
 */
export interface ParsedChoice<ParsedT> extends ChatCompletionChoice {
  /** The reply, with `parsed`. */
  message: ParsedChatCompletionMessage<ParsedT>;
}

/**
 * A chat completion from `chat.completions.parse()`.
 *
 * @example Structured outputs with a parser
 * ```ts
 * import { AzureOpenAI, type ParsedChatCompletion } from "@aoai/edge";
 * import { createEmulator } from "@aoai/edge/emulator";
 * const emulator = createEmulator(); // a local stand-in for your resource
 * const client = new AzureOpenAI({
 *   endpoint: "http://emulator.local",
 *   apiKey: emulator.apiKey,
 *   fetch: emulator.fetch,
 * });
 * const schema = {
 *   type: "object",
 *   properties: { celsius: { type: "number" } },
 *   required: ["celsius"],
 *   additionalProperties: false,
 * };
 * const res: ParsedChatCompletion<{ celsius: number }> = await client.chat.completions.parse({
 *   model: "gpt-4o",
 *   messages: [{ role: "user", content: "How warm is it in Paris?" }],
 *   response_format: {
 *     type: "json_schema",
 *     json_schema: { name: "weather", strict: true, schema },
 *     // What zodResponseFormat() adds (not sent): a parser of the content.
 *     $parseRaw: (content: string) => JSON.parse(content) as { celsius: number },
 *   },
 * });
 * console.log(typeof res.choices[0].message.parsed?.celsius); // "number"
 * ```
 */
export interface ParsedChatCompletion<ParsedT> extends ChatCompletion {
  /** The choices, with `message.parsed`. */
  choices: ParsedChoice<ParsedT>[];
}

/**
 * What `message.parsed` holds for request params `P`: the return type of its
 * `response_format.$parseRaw` (zodResponseFormat's), else `unknown` for a `json_schema` format
 * (JSON.parse's value; the SDK types it `null`), else `null`.
 *
 * @example Name the parsed type of a request
 * ```ts
 * import type { ExtractParsedContentFromParams } from "@aoai/edge";
 * type P = { response_format: { $parseRaw(content: string): { ok: boolean } } };
 * const parsed: ExtractParsedContentFromParams<P> = { ok: true };
 * console.log(parsed.ok); // true
 * ```
 */
export type ExtractParsedContentFromParams<P> = P extends
  { response_format: { $parseRaw(content: string): infer T } } ? T
  : P extends { response_format: { type: "json_schema" } } ? unknown
  : null;
