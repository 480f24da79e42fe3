import { AzureOpenAIError } from "../errors/api_error.ts";
import { isRecord } from "../errors/_is_record.ts";
import type { RequestOptions } from "../options.ts";
import type {
  ChatCompletion,
  ChatCompletionCreateParams,
  ChatCompletionMessage,
  ChatCompletionTool,
} from "../types/chat.ts";
import type { ChatCompletionMessageParam } from "../types/chat_messages.ts";
import { ChatCompletionEventStream, type Run } from "./chat_completion_event_stream.ts";

/**
 * A function `runTools()` runs for the model, as the `openai` SDK's `RunnableFunction`: called
 * with the arguments (parsed by `parse` when given, else the JSON text), the runner and the
 * params' `toolContext`; what it returns is sent back (a string as is, anything else as JSON).
 *
 * @example A tool that adds two numbers
 * ```ts
 * import type { RunnableFunction } from "@aoai/edge";
 * const add: RunnableFunction<{ a: number; b: number }> = {
 *   name: "add",
 *   description: "Adds two numbers",
 *   parameters: { type: "object", properties: { a: { type: "number" }, b: { type: "number" } } },
 *   parse: JSON.parse,
 *   function: ({ a, b }) => a + b,
 * };
 * console.log(add.name); // "add"
 * ```
 */
// deno-lint-ignore no-explicit-any
export interface RunnableFunction<Args = any, ToolContext = any> {
  /** Runs the call: its result is the `tool` message's content. */
  function: (
    args: Args,
    runner: ChatCompletionRunner<unknown> | ChatCompletionStreamingRunner<unknown>,
    toolContext: ToolContext,
  ) => unknown;
  /** Parses the arguments' JSON text (e.g. `JSON.parse`); a throw is sent back as its message. */
  parse?: (input: string) => Args | Promise<Args>;
  /** The arguments' JSON schema. */
  parameters?: Record<string, unknown>;
  /** What the function does (for the model). */
  description?: string;
  /** The name the model calls it by (default: the function's own name). */
  name?: string;
  /** Structured outputs for the arguments. */
  strict?: boolean;
}

/**
 * A tool of `runTools()`: a {@linkcode RunnableFunction} as a function tool.
 *
 * @example A tool
 * ```ts
 * import type { RunnableToolFunction } from "@aoai/edge";
 * const tool: RunnableToolFunction<string> = {
 *   type: "function",
 *   function: { name: "echo", parameters: {}, function: (text) => text },
 * };
 * console.log(tool.function.name); // "echo"
 * ```
 */
// deno-lint-ignore no-explicit-any
export interface RunnableToolFunction<Args = any, ToolContext = any> {
  /** Always `function`. */
  type: "function";
  /** The function. */
  function: RunnableFunction<Args, ToolContext>;
}

/**
 * What `chat.completions.runTools()` takes: the params of `create()` with tools to run
 * ({@linkcode RunnableToolFunction}s, or `zodFunction({ …, function })` tools) and an optional
 * `toolContext` passed to each.
 *
 * @example Params
 * ```ts
 * import type { ChatCompletionToolRunnerParams } from "@aoai/edge";
 * const params: ChatCompletionToolRunnerParams = {
 *   model: "gpt-4o",
 *   messages: [{ role: "user", content: "Hi" }],
 *   tools: [{ type: "function", function: { parameters: {}, function: () => "ok" } }],
 * };
 * console.log(params.tools.length); // 1
 * ```
 */
// deno-lint-ignore no-explicit-any
export type ChatCompletionToolRunnerParams<ToolContext = any> =
  & Omit<ChatCompletionCreateParams, "tools">
  & {
    /** The tools the model may call, each with its function. */
    // deno-lint-ignore no-explicit-any
    tools: readonly (RunnableToolFunction<any, ToolContext> | ChatCompletionTool)[];
    /** Passed to each tool's function. */
    toolContext?: ToolContext;
  };

/**
 * The second argument of `chat.completions.runTools()`: request options, and the `openai` SDK's
 * runner options.
 *
 * @example At most three calls of the model
 * ```ts
 * import type { RunnerOptions } from "@aoai/edge";
 * const options: RunnerOptions = { maxChatCompletions: 3 };
 * console.log(options.maxChatCompletions); // 3
 * ```
 */
export interface RunnerOptions extends RequestOptions {
  /** How many completions to ask for at most (default 10). */
  maxChatCompletions?: number;
  /** Awaited after each completion and its tool calls, before the next request or the end. */
  afterCompletion?: (
    completion: ChatCompletion,
    runner: { messages: ChatCompletionMessageParam[]; abort(): void },
  ) => void | Promise<void>;
}

/**
 * What `chat.completions.runTools(params)` returns, as the `openai` SDK's: a
 * {@linkcode ChatCompletionEventStream} that asks the model, runs the tools it calls, sends their
 * results back and asks again until it answers without tool calls (or `maxChatCompletions`), with
 * the SDK's runner events (`message`, `functionToolCall`, `functionToolCallResult`, `content`,
 * `chatCompletion`, `final*`, `totalUsage`, `error`, `abort`, `end`, `connect`). Not streamed:
 * no chunk events; `content` gives each reply's whole text.
 *
 * @example Runs a tool, then gives the answer
 * ```ts
 * import { AzureOpenAI } from "@aoai/edge";
 * import { createEmulator } from "@aoai/edge/emulator";
 * const emulator = createEmulator({
 *   script: ({ body }) =>
 *     (body.messages as { role: string }[]).at(-1)?.role == "tool"
 *       ? { content: "It is sunny" }
 *       : { toolCalls: [{ name: "weather", arguments: { city: "Paris" } }] },
 * });
 * const client = new AzureOpenAI({
 *   endpoint: "http://emulator.local",
 *   apiKey: emulator.apiKey,
 *   fetch: emulator.fetch,
 * });
 * const runner = client.chat.completions.runTools({
 *   model: "gpt-4o",
 *   messages: [{ role: "user", content: "Weather in Paris?" }],
 *   tools: [{
 *     type: "function",
 *     function: {
 *       name: "weather",
 *       parameters: { type: "object", properties: { city: { type: "string" } } },
 *       parse: JSON.parse,
 *       function: ({ city }: { city: string }) => ({ city, sky: "sunny" }),
 *     },
 *   }],
 * });
 * console.log(await runner.finalContent()); // "It is sunny"
 * ```
 */
export class ChatCompletionRunner<ParsedT = null> extends ChatCompletionEventStream<ParsedT> {}

/**
 * What `chat.completions.runTools({ …, stream: true })` returns, as the `openai` SDK's: a
 * {@linkcode ChatCompletionRunner} whose rounds are streamed (each round as `stream()`, with its
 * chunk events; an async iterable of the chunks of every round).
 *
 * @example Print the answer as it comes
 * ```ts
 * import { AzureOpenAI } from "@aoai/edge";
 * import { createEmulator } from "@aoai/edge/emulator";
 * const emulator = createEmulator({
 *   script: ({ body }) =>
 *     (body.messages as { role: string }[]).at(-1)?.role == "tool"
 *       ? { content: "Done" }
 *       : { toolCalls: [{ name: "ping", arguments: {} }] },
 * });
 * const client = new AzureOpenAI({
 *   endpoint: "http://emulator.local",
 *   apiKey: emulator.apiKey,
 *   fetch: emulator.fetch,
 * });
 * const runner = client.chat.completions.runTools({
 *   model: "gpt-4o",
 *   messages: [{ role: "user", content: "Ping" }],
 *   tools: [{ type: "function", function: { name: "ping", parameters: {}, function: () => "pong" } }],
 *   stream: true,
 * }).on("content", (delta) => console.log(delta));
 * console.log(await runner.finalFunctionToolCallResult()); // "pong"
 * ```
 */
export class ChatCompletionStreamingRunner<ParsedT = null>
  extends ChatCompletionEventStream<ParsedT> {
  /**
   * The runner of a body that a streamed runner's `toReadableStream()` wrote, as the SDK's
   * `ChatCompletionStreamingRunner.fromReadableStream()`: see
   * {@linkcode ChatCompletionEventStream.fromReadableStream}.
   */
  declare static fromReadableStream: (
    body: ReadableStream<Uint8Array>,
  ) => ChatCompletionStreamingRunner;
}

type Fn = RunnableFunction & { function: (...args: unknown[]) => unknown };
type Call = { id: string; function: { name: string; arguments: string } };
const where = "chat.completions.runTools: ";
const str = JSON.stringify;

/**
 * Checks `runTools()`' params (a TypeError naming what to fix, nothing sent) and gives the
 * request options and the loop that runs the rounds, as the `openai` SDK's runner.
 * @internal
 */
export function runTools(
  params: ChatCompletionToolRunnerParams,
  options: RunnerOptions = {},
): [RequestOptions, Run] {
  if (!isRecord(params) || !Array.isArray(params.tools)) {
    throw new TypeError(where + "pass a params object with a tools array as the first argument");
  }
  const fns: Record<string, Fn> = {};
  const tools = params.tools.map((tool, i) => {
    const $ = tool as { $parseRaw?: Fn["parse"]; $callback?: Fn["function"] };
    const def = tool?.function;
    // A zodFunction() tool: its parser and its `function` (the callback), strict.
    const fn = ($?.$parseRaw
      ? {
        function: $.$callback,
        name: def.name,
        description: def.description || "",
        parameters: def.parameters,
        parse: $.$parseRaw,
        strict: true,
      }
      : def) as Fn;
    if (typeof fn?.function != "function") {
      throw new TypeError(
        `${where}tools[${i}] (${str(def?.name)}) has no function to run: set ` +
          `tools[${i}].function.function (zodFunction({ …, function }) for a zod tool)`,
      );
    }
    const name = fn.name || fn.function.name;
    fns[name] = fn;
    const { parameters, description, strict } = fn;
    return { type: "function" as const, function: { name, parameters, description, strict } };
  });
  const { maxChatCompletions = 10, afterCompletion, ...rest } = options;
  return [rest, async (round, add, self) => {
    const { tool_choice = "auto", stream, toolContext, ...body } = params;
    const single = (tool_choice as { function?: { name: string } }).function?.name;
    if (!stream && body.n! > 1) {
      throw new AzureOpenAIError(where + "n must be 1 (create() gives more choices)");
    }
    /** The `tool` message answering `call`, and whether its function ran. */
    const run = async (
      { id: tool_call_id, function: { name, arguments: args } }: Call,
    ): Promise<[ChatCompletionMessageParam, unknown?]> => {
      const fn = fns[name];
      const reply = (content: string, ran?: unknown) =>
        [{ role: "tool", tool_call_id, content }, ran] as [ChatCompletionMessageParam, unknown];
      const invalid = `Invalid tool_call: ${str(name)}. `;
      if (!fn) {
        return reply(
          invalid + `Available options are: ${Object.keys(fns).map((n) => str(n)).join(", ")}. ` +
            "Please try again",
        );
      }
      if (single && single != name) {
        return reply(invalid + `${str(single)} requested. Please try again`);
      }
      let input: unknown = args;
      if (typeof fn.parse == "function") {
        try {
          input = await fn.parse(args);
        } catch (error) {
          return reply(error instanceof Error ? error.message : String(error));
        }
      }
      const out = await fn.function(input, self, toolContext);
      return reply(typeof out == "string" ? out : out === undefined ? "undefined" : str(out), 1);
    };
    for (let i = 0; i < maxChatCompletions; i++) {
      const completion = await round({
        ...body,
        tool_choice,
        tools,
        // As the SDK: assistant messages are sent with their request fields only.
        messages: self.messages.map((m) => {
          const { role, audio, content, function_call, name, refusal, tool_calls } = (m ?? {}) as
            & ChatCompletionMessage
            & { name?: string };
          return role == "assistant"
            ? {
              role,
              audio: audio ? { id: audio.id } : undefined,
              content,
              function_call: function_call ?? undefined,
              name,
              refusal: refusal ?? undefined,
              tool_calls: tool_calls?.map(({ id, type, function: { arguments: a, name } }) => ({
                id,
                type,
                function: { arguments: a, name },
              })),
            }
            : m;
        }) as ChatCompletionMessageParam[],
        stream: !!stream,
      });
      const message = completion.choices[0]?.message;
      if (!message) throw new AzureOpenAIError("missing message in ChatCompletion response");
      const calls = (message.tool_calls ?? []) as Call[];
      let done: unknown = !calls.length;
      if (single || params.parallel_tool_calls === false) {
        for (const call of calls) {
          const [result, ran] = await run(call);
          add(result);
          done = single && ran;
          if (done) break;
        }
      } else {
        const all = calls.map(run);
        // Every tool settles before a failure ends the run; results in the calls' order.
        await Promise.allSettled(all);
        for (const [result] of await Promise.all(all)) add(result);
      }
      await afterCompletion?.(completion, self);
      if (done) return;
    }
  }];
}
