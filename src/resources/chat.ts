import type { ClientCore } from "../_internal/core.ts";
import type { RequestOptions } from "../options.ts";
import { ChatCompletionStream } from "../streaming/chat_completion_stream.ts";
import {
  ChatCompletionEventStream,
  type ChatCompletionStreamParams,
} from "../streaming/chat_completion_event_stream.ts";
import {
  ChatCompletionRunner,
  ChatCompletionStreamingRunner,
  type ChatCompletionToolRunnerParams,
  type RunnerOptions,
  runTools,
} from "../streaming/chat_completion_runner.ts";
import type {
  ChatCompletion,
  ChatCompletionCreateParams,
  ChatCompletionCreateParamsNonStreaming,
  ChatCompletionCreateParamsStreaming,
} from "../types/chat.ts";
import type { ExtractParsedContentFromParams, ParsedChatCompletion } from "../types/chat_parsed.ts";
import { call, invalid, type Rule } from "./_call.ts";
import { type APIPromise, apiPromise } from "./api_promise.ts";
import { parsed } from "./chat_parse.ts";

/** Sampling fields that chat and completions share. */
export const SAMPLING: Record<string, Rule> = {
  temperature: [0, 2],
  top_p: [0, 1],
  n: [1, 128, 1],
};

/**
 * Checks `params` against `rules` and sends a chat or completions call; with `stream: true`
 * resolves to a stream of type `S`.
 */
export function createMaybeStream<S>(
  core: ClientCore,
  operation: string,
  path: string,
  params: { stream?: boolean | null },
  options: RequestOptions | undefined,
  rules: Record<string, Rule>,
  Stream: new (
    response: Response,
    options: { controller?: AbortController; idleTimeoutMs?: number; signal?: AbortSignal },
  ) => S,
): APIPromise<unknown> {
  const streamed = params?.stream === true;
  return apiPromise(
    call(
      core,
      operation,
      path,
      params,
      options,
      rules,
      () => streamed && { stream: true, accept: "text/event-stream" },
    ),
    (result) =>
      streamed
        // The stream takes over the link to the caller's signal and drops it when it ends.
        ? (result.unlink(), new Stream(result.response, { ...result, signal: options?.signal }))
        : result.data,
  );
}

/**
 * `client.chat.completions`: chat completions, plain or streamed.
 *
 * @example Stream the answer
 * ```ts
 * import { AzureOpenAI, type ChatCompletions } from "@aoai/edge";
 * import { createEmulator } from "@aoai/edge/emulator";
 * const emulator = createEmulator(); // a local stand-in for your resource
 * const client = new AzureOpenAI({
 *   endpoint: "http://emulator.local",
 *   apiKey: emulator.apiKey,
 *   fetch: emulator.fetch,
 * });
 * const completions: ChatCompletions = client.chat.completions;
 * const stream = await completions.create({
 *   model: "gpt-4o",
 *   messages: [{ role: "user", content: "Hello" }],
 *   stream: true,
 * });
 * let text = "";
 * for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? "";
 * console.log(text); // "You said: Hello"
 * ```
 */
export class ChatCompletions {
  #core: ClientCore;
  /** Scrubs the client's credentials from an error the client raises itself (a parser's). */
  #scrub: (err: unknown) => unknown;

  /** @internal */
  constructor(core: ClientCore) {
    this.#core = core;
    this.#scrub = (err) => core.scrub(err);
  }

  /**
   * Creates a chat completion; with `stream: true` resolves to a {@link ChatCompletionStream}.
   *
   * @example Ask and print
   * ```ts
   * import { AzureOpenAI } from "@aoai/edge";
   * import { createEmulator } from "@aoai/edge/emulator";
   * const emulator = createEmulator(); // a local stand-in for your resource
   * const client = new AzureOpenAI({
   *   endpoint: "http://emulator.local",
   *   apiKey: emulator.apiKey,
   *   fetch: emulator.fetch,
   * });
   * const res = await client.chat.completions.create({
   *   model: "gpt-4o",
   *   messages: [{ role: "user", content: "Hello" }],
   * });
   * console.log(res.choices[0].message.content);
   * ```
   */
  create(
    params: ChatCompletionCreateParamsStreaming,
    options?: RequestOptions,
  ): APIPromise<ChatCompletionStream>;
  /** Overload resolving to `ChatCompletion`. */
  create(
    params: ChatCompletionCreateParamsNonStreaming,
    options?: RequestOptions,
  ): APIPromise<ChatCompletion>;
  /** Overload resolving to `ChatCompletion | ChatCompletionStream`. */
  create(
    params: ChatCompletionCreateParams,
    options?: RequestOptions,
  ): APIPromise<ChatCompletion | ChatCompletionStream>;
  create(
    params: ChatCompletionCreateParams,
    options?: RequestOptions,
  ): APIPromise<ChatCompletion | ChatCompletionStream> {
    return createMaybeStream(
      this.#core,
      "chat.completions.create",
      "chat/completions",
      params,
      options,
      {
        ...SAMPLING,
        top_logprobs: [0, 20, 1],
        presence_penalty: [-2, 2],
        frequency_penalty: [-2, 2],
        // No response_format.type or role list: newer api-versions add values (developer).
        messages: (messages, op) => {
          if (!Array.isArray(messages) || !messages.length) {
            return "must be a non-empty array of { role, content } messages";
          }
          const i = messages.findIndex((m) => typeof m?.role != "string" || !m.role);
          if (i >= 0) {
            throw invalid(op, `messages[${i}].role`, 'must be a non-empty string (e.g. "user")');
          }
        },
      },
      ChatCompletionStream,
    ) as APIPromise<ChatCompletion | ChatCompletionStream>;
  }

  /**
   * Creates a chat completion (not streamed) and parses it, as the `openai` SDK's `parse()`:
   * each choice's `message.parsed` is the content parsed for a `json_schema` `response_format`
   * (by its `$parseRaw`, as zodResponseFormat's, else `JSON.parse`; `null` for other formats or a
   * refusal), each tool call's `function.parsed_arguments` its arguments parsed (by the tool's
   * `$parseRaw`, as zodFunction's, else `JSON.parse`). Throws a `TypeError` for `stream: true`
   * and `AzureOpenAIError` for a tool without `strict: true`; rejects with
   * `LengthFinishReasonError` or `ContentFilterFinishReasonError` when a choice was
   * cut by the token limit or the content filter. `$parseRaw` and `$brand` are not sent.
   *
   * @example Structured outputs from a JSON schema
   * ```ts
   * import { AzureOpenAI } from "@aoai/edge";
   * import { createEmulator } from "@aoai/edge/emulator";
   * const emulator = createEmulator(); // a local stand-in for your resource
   * const client = new AzureOpenAI({
   *   endpoint: "http://emulator.local",
   *   apiKey: emulator.apiKey,
   *   fetch: emulator.fetch,
   * });
   * const res = await client.chat.completions.parse({
   *   model: "gpt-4o",
   *   messages: [{ role: "user", content: "Name a city." }],
   *   response_format: {
   *     type: "json_schema",
   *     json_schema: {
   *       name: "city",
   *       strict: true,
   *       schema: {
   *         type: "object",
   *         properties: { name: { type: "string" } },
   *         required: ["name"],
   *         additionalProperties: false,
   *       },
   *     },
   *   },
   * });
   * const city = res.choices[0].message.parsed as { name: string };
   * console.log(typeof city.name); // "string"
   * ```
   */
  parse<
    P extends ChatCompletionCreateParamsNonStreaming,
    T = ExtractParsedContentFromParams<P>,
  >(params: P, options?: RequestOptions): APIPromise<ParsedChatCompletion<T>> {
    return parsed(params, (p) => this.create(p as P, options), this.#scrub);
  }

  /**
   * Streams a chat completion as the `openai` SDK's `stream()` helper: a
   * {@linkcode ChatCompletionEventStream} (returned at once, not a promise) that emits the SDK's
   * events (`content`, `chunk`, `tool_calls.function.arguments.done`, `finalContent`, …), is an
   * async iterable of chunks and has `finalChatCompletion()`, `finalContent()`, `finalMessage()`,
   * `finalFunctionToolCall()`, `totalUsage()`, `done()` and `abort()`; `parsed` and
   * `parsed_arguments` for the SDK's zod helpers, as `parse()` gives them.
   *
   * @example Listen for text, then read the whole reply
   * ```ts
   * import { AzureOpenAI } from "@aoai/edge";
   * import { createEmulator } from "@aoai/edge/emulator";
   * const emulator = createEmulator(); // a local stand-in for your resource
   * const client = new AzureOpenAI({
   *   endpoint: "http://emulator.local",
   *   apiKey: emulator.apiKey,
   *   fetch: emulator.fetch,
   * });
   * let text = "";
   * const stream = client.chat.completions
   *   .stream({ model: "gpt-4o", messages: [{ role: "user", content: "Hello" }] })
   *   .on("content", (delta) => text += delta);
   * console.log(await stream.finalContent(), text); // "You said: Hello" twice
   * ```
   */
  stream<P extends ChatCompletionStreamParams, T = ExtractParsedContentFromParams<P>>(
    params: P,
    options?: RequestOptions,
  ): ChatCompletionEventStream<T> {
    return new ChatCompletionEventStream(
      params,
      (p, o) => this.create(p as ChatCompletionCreateParamsStreaming, o),
      options,
      undefined,
      undefined,
      this.#scrub,
    );
  }

  /**
   * Runs tools for the model as the `openai` SDK's `runTools()`: asks, runs the tools it calls
   * (`tools` of the SDK's runnable shape `{ type: "function", function: { function, parse?,
   * parameters, name?, description?, strict? } }`, or `zodFunction({ …, function })`), sends the
   * results back as `tool` messages (a string as is, anything else as JSON; a `parse` error's
   * message), and asks again until the model answers without tool calls or
   * `options.maxChatCompletions` (default 10) completions were made. Returns at once a
   * {@linkcode ChatCompletionRunner} (a {@linkcode ChatCompletionStreamingRunner} for
   * `stream: true`) with the SDK's events, `final*()`, `done()`, `abort()` and `messages`. A tool
   * that throws ends the run with that error. A tool without a function to run (or params that are
   * no object) throws a `TypeError` at the call; nothing is sent.
   *
   * @example Let the model call a function
   * ```ts
   * import { AzureOpenAI } from "@aoai/edge";
   * import { createEmulator } from "@aoai/edge/emulator";
   * // A local stand-in for your resource: it calls get_time, then answers with the result.
   * const emulator = createEmulator({
   *   script: ({ body }) => {
   *     const last = (body.messages as { role: string; content: string }[]).at(-1);
   *     return last?.role == "tool"
   *       ? { content: `It is ${last.content}` }
   *       : { toolCalls: [{ name: "get_time", arguments: { city: "Paris" } }] };
   *   },
   * });
   * const client = new AzureOpenAI({
   *   endpoint: "http://emulator.local",
   *   apiKey: emulator.apiKey,
   *   fetch: emulator.fetch,
   * });
   * const runner = client.chat.completions.runTools({
   *   model: "gpt-4o",
   *   messages: [{ role: "user", content: "What time is it in Paris?" }],
   *   tools: [{
   *     type: "function",
   *     function: {
   *       name: "get_time",
   *       description: "The time in a city",
   *       parameters: { type: "object", properties: { city: { type: "string" } } },
   *       parse: JSON.parse,
   *       function: ({ city }: { city: string }) => `12:00 in ${city}`,
   *     },
   *   }],
   * }).on("functionToolCallResult", (result) => console.log(result)); // "12:00 in Paris"
   * console.log(await runner.finalContent()); // "It is 12:00 in Paris"
   * console.log(runner.messages.length); // 4: user, assistant's call, tool, assistant
   * ```
   */
  runTools<
    P extends ChatCompletionToolRunnerParams & { stream: true },
    T = ExtractParsedContentFromParams<P>,
  >(params: P, options?: RunnerOptions): ChatCompletionStreamingRunner<T>;
  /** Overload returning a {@linkcode ChatCompletionRunner} (not streamed). */
  runTools<P extends ChatCompletionToolRunnerParams, T = ExtractParsedContentFromParams<P>>(
    params: P,
    options?: RunnerOptions,
  ): ChatCompletionRunner<T>;
  runTools(
    params: ChatCompletionToolRunnerParams,
    options?: RunnerOptions,
  ): ChatCompletionRunner<unknown> {
    return new (params?.stream ? ChatCompletionStreamingRunner : ChatCompletionRunner)(
      params as ChatCompletionStreamParams,
      (p, o) => this.create(p, o),
      ...runTools(params, options),
      undefined,
      this.#scrub,
    );
  }
}

/**
 * `client.chat`: groups chat resources.
 *
 * @example Pass the chat resource around
 * ```ts
 * import { AzureOpenAI, type Chat } from "@aoai/edge";
 * import { createEmulator } from "@aoai/edge/emulator";
 * const emulator = createEmulator(); // a local stand-in for your resource
 * const client = new AzureOpenAI({
 *   endpoint: "http://emulator.local",
 *   apiKey: emulator.apiKey,
 *   fetch: emulator.fetch,
 * });
 * async function ask(chat: Chat, question: string): Promise<string | null> {
 *   const messages = [{ role: "user" as const, content: question }];
 *   const res = await chat.completions.create({ model: "gpt-4o", messages });
 *   return res.choices[0].message.content;
 * }
 * console.log(await ask(client.chat, "Hi")); // "You said: Hi"
 * ```
 */
export class Chat {
  /** Chat completions. */
  declare readonly completions: ChatCompletions;
  /** @internal */
  constructor(core: ClientCore) {
    this.completions = new ChatCompletions(core);
  }
}
