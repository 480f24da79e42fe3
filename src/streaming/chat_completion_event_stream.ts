import {
  APIUserAbortError,
  AzureOpenAIError,
  ContentFilterFinishReasonError,
  LengthFinishReasonError,
} from "../errors/api_error.ts";
import { messageOf } from "../errors/_message_of.ts";
import { isRecord } from "../errors/_is_record.ts";
import { onAbort } from "../middleware/_abort.ts";
import type { RequestOptions } from "../options.ts";
import { parseCompletion, read } from "../resources/chat_parse.ts";
import type {
  ChatCompletion,
  ChatCompletionCreateParams,
  ChatCompletionMessage,
} from "../types/chat.ts";
import type { ChatCompletionMessageParam } from "../types/chat_messages.ts";
import type {
  ParsedChatCompletion,
  ParsedChatCompletionMessage,
  ParsedFunction,
} from "../types/chat_parsed.ts";
import type {
  ChatCompletionChunk,
  ChatCompletionTokenLogprob,
  CompletionUsage,
} from "../types/mod.ts";
import { ChatCompletionAccumulator } from "./chat_completion_accumulator.ts";
import { ChatCompletionStream } from "./chat_completion_stream.ts";
import { LEFT } from "./stream.ts";
import { partialParse, type PartialParseState } from "./partial_json.ts";

/**
 * What `chat.completions.stream()` takes: the params of `create()`, without `stream: false`.
 *
 * @example Params kept for a streamed call
 * ```ts
 * import type { ChatCompletionStreamParams } from "@aoai/edge";
 * const params: ChatCompletionStreamParams = {
 *   model: "gpt-4o",
 *   messages: [{ role: "user", content: "Hi" }],
 * };
 * console.log(params.messages.length); // 1
 * ```
 */
export type ChatCompletionStreamParams = Omit<ChatCompletionCreateParams, "stream"> & {
  stream?: true;
};

/**
 * The events of a {@linkcode ChatCompletionEventStream} and their listeners' arguments, as the
 * `openai` SDK's `ChatCompletionStreamEvents`. `ParsedT` is what a `zodResponseFormat()` parses.
 *
 * @example A listener typed by its event
 * ```ts
 * import type { ChatCompletionStreamEvents } from "@aoai/edge";
 * const onDone: ChatCompletionStreamEvents["content.done"] = ({ content }) => console.log(content);
 * onDone({ content: "Hi", parsed: null }); // "Hi"
 * ```
 */
export interface ChatCompletionStreamEvents<ParsedT = null> {
  /** The response's headers came (before the first chunk). */
  connect: () => void;
  /** Every chunk, with the completion so far (`currentChatCompletionSnapshot`). */
  chunk: (chunk: ChatCompletionChunk, snapshot: ChatCompletion) => void;
  /** A choice's new text and its text so far. */
  content: (contentDelta: string, contentSnapshot: string) => void;
  /** As `content`, with `parsed`: the partial parse of the text so far (see the class). */
  "content.delta": (props: { delta: string; snapshot: string; parsed: unknown | null }) => void;
  /** A choice's text is whole (its finish reason or a tool call came). */
  "content.done": (props: { content: string; parsed: ParsedT | null }) => void;
  /** A choice's new refusal text and its refusal so far. */
  "refusal.delta": (props: { delta: string; snapshot: string }) => void;
  /** A choice's refusal is whole. */
  "refusal.done": (props: { refusal: string }) => void;
  /** A tool call's new arguments text, its arguments so far and their partial parse. */
  "tool_calls.function.arguments.delta": (props: {
    name: string;
    index: number;
    arguments: string;
    parsed_arguments: unknown;
    arguments_delta: string;
  }) => void;
  /** A tool call's arguments are whole (the next call or the finish reason came). */
  "tool_calls.function.arguments.done": (props: {
    name: string;
    index: number;
    arguments: string;
    parsed_arguments: unknown;
  }) => void;
  /** A chunk's content logprobs and the choice's so far. */
  "logprobs.content.delta": (props: {
    content: ChatCompletionTokenLogprob[];
    snapshot: ChatCompletionTokenLogprob[];
  }) => void;
  /** A choice's content logprobs are whole. */
  "logprobs.content.done": (props: { content: ChatCompletionTokenLogprob[] }) => void;
  /** A chunk's refusal logprobs and the choice's so far. */
  "logprobs.refusal.delta": (props: {
    refusal: ChatCompletionTokenLogprob[];
    snapshot: ChatCompletionTokenLogprob[];
  }) => void;
  /** A choice's refusal logprobs are whole. */
  "logprobs.refusal.done": (props: { refusal: ChatCompletionTokenLogprob[] }) => void;
  /** The reply's first choice's message, at the end. */
  message: (message: ParsedChatCompletionMessage<ParsedT>) => void;
  /** Each function call of that message. */
  functionToolCall: (functionCall: ParsedFunction) => void;
  /** A tool's result (`runTools()`: the content of each `tool` message added). */
  functionToolCallResult: (content: string) => void;
  /** The whole completion, at the end. */
  chatCompletion: (completion: ParsedChatCompletion<ParsedT>) => void;
  /** As `finalContent()` resolves to (not emitted for empty or null content). */
  finalContent: (contentSnapshot: string) => void;
  /** As `finalMessage()` resolves to. */
  finalMessage: (message: ParsedChatCompletionMessage<ParsedT>) => void;
  /** As `finalChatCompletion()` resolves to. */
  finalChatCompletion: (completion: ParsedChatCompletion<ParsedT>) => void;
  /** As `finalFunctionToolCall()` resolves to (not emitted when there is none). */
  finalFunctionToolCall: (functionCall: ParsedFunction) => void;
  /** As `finalFunctionToolCallResult()` resolves to (not emitted when there is none). */
  finalFunctionToolCallResult: (content: string) => void;
  /** As `totalUsage()` resolves to (only when the reply had usage). */
  totalUsage: (usage: CompletionUsage) => void;
  /** The call or the stream failed (typed errors; not emitted for an abort). */
  error: (error: AzureOpenAIError) => void;
  /** The stream was aborted (`abort()`, `controller`, `options.signal`). */
  abort: (error: AzureOpenAIError) => void;
  /** Last event, after an error or abort too. */
  end: () => void;
}

type Listeners = Record<string, [(...args: never[]) => unknown, unknown][]>;
type Message = ChatCompletionMessage & {
  parsed?: unknown;
  tool_calls?: { function: ParsedFunction }[];
};
type Snapshot = ChatCompletion & { choices: { message: Message }[] };
type Format = { $parseRaw?: (text: string) => unknown };
type Completion = ParsedChatCompletion<never>;
/**
 * Runs the rounds of a stream or runner (default: one streamed round of its params): `round`
 * sends params (streamed for `stream: true`) and adds the completion and its message, `add` adds a
 * message (`runTools()`' tool results).
 * @internal
 */
export type Run = (
  round: (params: ChatCompletionCreateParams) => Promise<Completion>,
  add: (message: ChatCompletionMessageParam) => void,
  self: ChatCompletionEventStream<unknown>,
) => Promise<unknown>;
const DONE: IteratorReturnResult<undefined> = { done: true, value: undefined };
const encoder = new TextEncoder();
/**
 * The `object` of a message record, as the SDK's: a chunk-shaped line a streamed runner's
 * `toReadableStream()` writes for each tool message, with the record's JSON after it.
 */
const RECORD = "chat.completion.chunk.message:";

/**
 * What `client.chat.completions.stream(params, options?)` returns, as the `openai` SDK's
 * `ChatCompletionStream` (there, the class of that name; ours of that name is `create()`'s
 * stream, which this one reads): it starts the call at once (on the next macrotask), emits the
 * SDK's events with the SDK's arguments in the SDK's order (see
 * {@linkcode ChatCompletionStreamEvents}), and is an async iterable of the chunks that come after
 * the loop starts. `finalChatCompletion()` and the other `final*()` wait for the end and reject
 * with the typed error (`APIUserAbortError` after an abort). As in the SDK, an `error` or `abort`
 * that nothing listens to and nothing awaits (`done()`, `emitted()`, a `final*()`) is an unhandled
 * rejection.
 *
 * With a `zodResponseFormat()` format `content.done` and the final message carry `parsed`, with
 * `zodFunction()` or `strict: true` tools `tool_calls.function.arguments.done` and the final tool
 * calls carry `parsed_arguments`; `content.delta`'s `parsed` and
 * `tool_calls.function.arguments.delta`'s `parsed_arguments` (and the snapshot's) are the SDK's
 * partial parse of the text so far (`null` for whitespace; undefined without such a format or tool,
 * or while the choice has a refusal). A choice cut by the token limit or the content filter then
 * fails the stream with `LengthFinishReasonError` / `ContentFilterFinishReasonError`.
 *
 * @example Print a reply as it comes, then use the whole of it
 * ```ts
 * import { AzureOpenAI } from "@aoai/edge";
 * import { createEmulator } from "@aoai/edge/emulator";
 * const emulator = createEmulator(); // a local stand-in for your resource
 * const client = new AzureOpenAI({
 *   endpoint: "http://emulator.local",
 *   apiKey: emulator.apiKey,
 *   fetch: emulator.fetch,
 * });
 * const stream = client.chat.completions
 *   .stream({ model: "gpt-4o", messages: [{ role: "user", content: "Hello" }] })
 *   .on("content", (delta) => console.log(delta));
 * const completion = await stream.finalChatCompletion();
 * console.log(completion.choices[0].message.content); // "You said: Hello"
 * ```
 */
export class ChatCompletionEventStream<ParsedT = null>
  implements AsyncIterable<ChatCompletionChunk> {
  /** Aborting it aborts the call or the stream (as `abort()`). */
  readonly controller: AbortController = new AbortController();
  /** The request's messages, then the reply's message (the SDK's runner `messages`). */
  declare readonly messages: (ChatCompletionMessageParam | ParsedChatCompletionMessage<ParsedT>)[];
  #on: Listeners = {};
  #ended: unknown;
  /** "error" or "abort" once the stream failed. */
  #failed: unknown;
  /** done(), emitted() or a final*() was called: an error is not an unhandled rejection. */
  #caught: unknown;
  #end: Promise<void>;
  #settle!: (error?: unknown) => void;
  #all: ParsedChatCompletion<ParsedT>[] = [];
  #snapshot: Snapshot | undefined;

  /** @internal */
  constructor(
    params: ChatCompletionStreamParams,
    create: (params: ChatCompletionCreateParams, options: RequestOptions) => PromiseLike<
      ChatCompletionStream | ChatCompletion
    >,
    options?: RequestOptions,
    run: Run = (round) => round({ ...params, stream: true }),
    page?: unknown,
    scrub: (err: unknown) => unknown = (err) => err,
  ) {
    // No params object: a TypeError at the call, as parse() gives for what it refuses; anything
    // else wrong is create()'s to say (an `error` event, done() rejects), before any request.
    if (!isRecord(params)) {
      throw new TypeError("chat.completions.stream: pass a params object as the first argument");
    }
    // As the SDK's runner: a message without content gets `content: null`.
    for (const m of this.messages = [...params.messages ?? []]) {
      if (isRecord(m) && !("content" in m)) m.content = null;
    }
    (this.#end = new Promise<void>((resolve, reject) =>
      this.#settle = (error) => error ? reject(error) : resolve()
    )).catch(() => {});
    const unhook = onAbort(options?.signal, () => this.abort());
    this.on("end", unhook);
    const format = params.response_format as Format;
    const auto = format?.$parseRaw || params.tools?.some((t) => t.function?.strict);
    /** The streamed completion under way (none before its first chunk). */
    let acc: ChatCompletionAccumulator | undefined;
    /** Per choice: which `*.done` events went out, and the tool call under way (`t`). */
    let states: Record<string, unknown>[];
    const emit = this.#emit.bind(this);
    const toolOf = (name: string) => params.tools?.find((t) => t.function?.name == name);
    /** Emits a choice's `*.done` events not yet sent, then its current tool call's `arguments.done`. */
    const done = (
      { message, logprobs }: Snapshot["choices"][number],
      state: Record<string, unknown>,
      i = state.t as number,
    ) => {
      for (const from of [message, logprobs]) {
        for (const key of ["content", "refusal"] as const) {
          const event = (from == message ? "" : "logprobs.") + key + ".done";
          const value = from?.[key];
          if (value && !state[event]) {
            state[event] = 1;
            emit(event, {
              [key]: value,
              ...event == "content.done" && { parsed: read(format, 0, value as string) },
            });
          }
        }
      }
      const fn = message.tool_calls?.[i]?.function;
      if (fn && !state[i]) {
        state[i] = 1;
        const tool = toolOf(fn.name);
        emit("tool_calls.function.arguments.done", {
          name: fn.name,
          index: i,
          arguments: fn.arguments,
          parsed_arguments: read(tool, tool?.function.strict, fn.arguments),
        });
      }
    };
    const chunk = (chunk: ChatCompletionChunk) => {
      // A page reading a runner's relay, as the SDK's: a message record or a new chunk id ends the
      // completion under way (the record's tool_call_ids restore its calls' ids), then a record
      // adds its message.
      if (page) {
        const record = JSON.parse(chunk.object?.split(RECORD)[1] ?? 0);
        const now = acc?.snapshot();
        if (now && (record || chunk.id && now.id && chunk.id != now.id)) {
          const calls = now.choices[0]?.message.tool_calls;
          (record.tool_call_ids as string[])?.map((id, i) =>
            calls?.[i] && id && (calls[i].id = id)
          );
          end();
        }
        if (record) return add(record.message);
      }
      if (!acc) acc = new ChatCompletionAccumulator(), states = [];
      acc.add(chunk);
      // Updated in place (a copy per chunk made a reply with logprobs quadratic: 51 s for 4,000).
      const snapshot = this.#snapshot = acc.snapshot() as Snapshot;
      // As the SDK: a cut choice fails the stream when it would be parsed, before its chunk; the
      // text so far is parsed (a throw fails the stream too) for the delta events and snapshot.
      if (auto) {
        for (const { finish_reason: reason, index, delta } of chunk.choices) {
          if (reason == "length") throw new LengthFinishReasonError();
          if (reason == "content_filter") throw new ContentFilterFinishReasonError();
          const { message } = snapshot.choices[index ?? 0];
          // Where the parses of the text (`p`) and of each tool call's arguments (`p0`...) stopped:
          // each reads on from there (re-reading the text so far made a long answer quadratic).
          const parses = (states[index] ??= {}) as Record<string, PartialParseState>;
          if (delta?.content && !message.refusal && format?.$parseRaw) {
            message.parsed = message.content!.trim()
              ? partialParse(message.content!, parses.p ??= {})
              : null;
          }
          for (const { index: i, function: fn } of delta?.tool_calls ?? []) {
            const call = message.tool_calls![i].function;
            if (fn?.arguments && toolOf(call.name)?.function.strict) {
              call.parsed_arguments = partialParse(call.arguments, parses["p" + i] ??= {});
            }
          }
        }
      }
      emit("chunk", chunk, snapshot);
      for (const { index, delta, logprobs } of chunk.choices) {
        const choice = snapshot.choices[index ?? 0];
        const { message } = choice;
        const state = states[index] ??= {};
        for (const key of ["content", "refusal"] as const) {
          const text = delta?.[key], snapshot = message[key];
          if (text != null && snapshot) {
            if (key == "content") emit(key, text, snapshot);
            emit(key + ".delta", {
              delta: text,
              snapshot,
              ...key == "content" && { parsed: message.parsed },
            });
          }
        }
        for (const key of ["content", "refusal"] as const) {
          if (logprobs?.[key] != null) {
            emit("logprobs." + key + ".delta", {
              [key]: logprobs[key],
              snapshot: choice.logprobs?.[key] ?? [],
            });
          }
        }
        if (choice.finish_reason) done(choice, state);
        for (const { index: i } of delta?.tool_calls ?? []) {
          if (state.t !== i) done(choice, state);
          state.t = i;
        }
        for (const { index: i, function: fn } of delta?.tool_calls ?? []) {
          const call = message.tool_calls?.[i]?.function;
          if (call) {
            emit("tool_calls.function.arguments.delta", {
              name: call.name,
              index: i,
              arguments: call.arguments,
              parsed_arguments: call.parsed_arguments,
              arguments_delta: fn?.arguments ?? "",
            });
          }
        }
      }
    };
    /** Adds `message`: `message`, then `functionToolCallResult` or each `functionToolCall`. */
    const add = (message: ChatCompletionMessageParam) => {
      this.messages.push(message);
      emit("message", message);
      if (message.role == "tool") {
        if (message.content) emit("functionToolCallResult", message.content);
      } else {
        for (const { function: fn } of (message as Message).tool_calls ?? []) {
          emit("functionToolCall", fn);
        }
      }
    };
    /** Adds `completion` (`whole`: not streamed): `chatCompletion`, then its message. */
    const finish = (completion: Completion, whole?: unknown) => {
      // As the SDK: a tool call without an id gets one, which its result then names.
      for (const { message } of completion.choices) {
        for (const call of message.tool_calls ?? []) call.id ||= "call_" + crypto.randomUUID();
      }
      this.#all.push(completion);
      emit("chatCompletion", completion);
      const message = completion.choices[0]?.message;
      if (message) {
        add(message);
        if (whole && message.content) emit("content", message.content);
      }
      return completion;
    };
    /** Ends the streamed completion under way and adds it. */
    const end = () => {
      const completion = acc!.result() as Completion;
      // As the SDK's: the snapshot is the round's under way (none once it ended).
      this.#snapshot = acc = undefined;
      for (const { finish_reason, index, message } of completion.choices) {
        if (!finish_reason) {
          throw new AzureOpenAIError(`missing finish_reason for choice ${index}`);
        }
        message.parsed = null;
      }
      if (auto) parseCompletion(completion, params);
      return finish(completion);
    };
    const round = async (p: ChatCompletionCreateParams) => {
      const res = await create(p, { ...options, signal: this.controller.signal });
      emit("connect");
      if (p.stream) {
        for await (const piece of res as ChatCompletionStream) chunk(piece);
        // As the SDK: aborted after the body's end was read (a reply read whole) is aborted too.
        if (this.controller.signal.aborted) {
          throw new APIUserAbortError("chat.completions.stream was aborted");
        }
        // Rejects for a stream without chunks.
        await (res as ChatCompletionStream).finalChatCompletion();
        // A page whose body ended with a message record: its last completion was added (and a
        // page's run reads no round's value).
        return (acc && end())!;
      }
      // Not streamed (runTools()): parsed by the request's params, as the SDK's runner does.
      return finish(parseCompletion(res as ChatCompletion, p), 1);
    };
    // At once, after the caller's synchronous step (its listeners get every event). The SDK's
    // waits for a timer: 1-2.4 ms idle per call, most of a non-streamed runTools() call.
    queueMicrotask(async () => {
      try {
        await run(round, add, this as never);
        const completion = this.#all.at(-1);
        if (completion) emit("finalChatCompletion", completion);
        emit("finalMessage", this.#message());
        const content = this.#message().content;
        if (content) emit("finalContent", content);
        const call = this.#call();
        if (call) emit("finalFunctionToolCall", call);
        const result = this.#result();
        if (result != null) emit("finalFunctionToolCallResult", result);
        if (this.#all.some((c) => c.usage)) emit("totalUsage", this.#usage());
      } catch (error) {
        // As the SDK's: any AbortError (a tool's own fetch under the controller) is an abort.
        const abort = (error as Error)?.name == "AbortError";
        // Scrubbed by the client: a parser's error may quote a credential the reply echoed.
        emit(
          abort || error instanceof APIUserAbortError ? "abort" : "error",
          scrub(
            error instanceof AzureOpenAIError
              ? error
              : new (abort ? APIUserAbortError : AzureOpenAIError)(messageOf(error), {
                cause: error,
              }),
          ),
        );
      }
      // Outside the try, as the SDK's: a throwing end listener is an unhandled rejection.
      emit("end");
    });
  }

  /** The completion so far, one object updated in place by each chunk, as the SDK's. */
  get currentChatCompletionSnapshot(): ChatCompletion | undefined {
    return this.#snapshot;
  }

  /** Adds `listener` for `event` (called each time); returns this stream. */
  on<E extends keyof ChatCompletionStreamEvents<ParsedT>>(
    event: E,
    listener: ChatCompletionStreamEvents<ParsedT>[E],
  ): this {
    (this.#on[event] ??= []).push([listener as never, 0]);
    return this;
  }

  /** Removes one `listener` of `event` (added by `on()` or `once()`); returns this stream. */
  off<E extends keyof ChatCompletionStreamEvents<ParsedT>>(
    event: E,
    listener: ChatCompletionStreamEvents<ParsedT>[E],
  ): this {
    const list = this.#on[event];
    // Not found: -1 >>> 0 is past the end, where splice() removes nothing.
    list?.splice(list.findIndex(([l]) => l === listener) >>> 0, 1);
    return this;
  }

  /** Adds `listener` for the next `event` only; returns this stream. */
  once<E extends keyof ChatCompletionStreamEvents<ParsedT>>(
    event: E,
    listener: ChatCompletionStreamEvents<ParsedT>[E],
  ): this {
    (this.#on[event] ??= []).push([listener as never, 1]);
    return this;
  }

  /**
   * Resolves to the first argument of the next `event`; rejects if `error` comes first (the
   * promise of an event that never comes never settles, as the SDK's).
   */
  emitted<E extends keyof ChatCompletionStreamEvents<ParsedT>>(
    event: E,
  ): Promise<Parameters<ChatCompletionStreamEvents<ParsedT>[E]>[0]> {
    this.#caught = 1;
    return new Promise((resolve, reject) => {
      if (event != "error") this.once("error", reject);
      this.once(event, resolve as never);
    });
  }

  /** Resolves at the end; rejects with the stream's error (`APIUserAbortError` if aborted). */
  done(): Promise<void> {
    this.#caught = 1;
    return this.#end.then();
  }

  /** Aborts the call or the stream: `abort` (with `APIUserAbortError`), then `end`. */
  abort(): void {
    // With a reason made elsewhere: one made here (by abort()) holds this stream through its call
    // sites, and the request's signal that it ends in was never collected, nor this stream.
    this.controller.abort(LEFT);
  }

  /** The whole completion (with `parsed` and `parsed_arguments`, see the class). */
  async finalChatCompletion(): Promise<ParsedChatCompletion<ParsedT>> {
    await this.done();
    return this.#all.at(-1)!;
  }

  /** The last assistant message's content (`null` for none). */
  async finalContent(): Promise<string | null> {
    await this.done();
    return this.#message().content;
  }

  /**
   * The last assistant message (the reply's, else the request's last); rejects when there is
   * none.
   */
  async finalMessage(): Promise<ParsedChatCompletionMessage<ParsedT>> {
    await this.done();
    return this.#message();
  }

  /** The last function call of the last assistant message that has calls, or undefined. */
  async finalFunctionToolCall(): Promise<ParsedFunction | undefined> {
    await this.done();
    return this.#call();
  }

  /**
   * The content of the last `tool` message that answers a tool call of an assistant message, or
   * undefined (`runTools()`).
   */
  async finalFunctionToolCallResult(): Promise<string | undefined> {
    await this.done();
    return this.#result();
  }

  /** The completions so far (one per round). */
  allChatCompletions(): ParsedChatCompletion<ParsedT>[] {
    return [...this.#all];
  }

  /** The `end` event came (after an error or abort too). */
  get ended(): boolean {
    return !!this.#ended;
  }

  /** The stream failed or was aborted. */
  get errored(): boolean {
    return !!this.#failed;
  }

  /** The stream was aborted. */
  get aborted(): boolean {
    return this.#failed == "abort";
  }

  /**
   * The replies' token counts summed (zeros without usage: for a stream set
   * `stream_options.include_usage`).
   */
  async totalUsage(): Promise<CompletionUsage> {
    await this.done();
    return this.#usage();
  }

  /**
   * The chunks that come after the loop starts; leaving the loop early aborts the stream. An
   * error or abort rejects `next()` once the chunks queued before it were yielded (the SDK's
   * iterator hands it only to a `next()` already waiting, so a busy loop ended as if whole).
   */
  [Symbol.asyncIterator](): AsyncIterator<ChatCompletionChunk>;
  // With `records` (toReadableStream()), a message record after each tool message too.
  [Symbol.asyncIterator](records?: unknown): AsyncIterator<ChatCompletionChunk> {
    const queue: ChatCompletionChunk[] = [];
    const readers: [(result: IteratorResult<ChatCompletionChunk>) => void, (e: unknown) => void][] =
      [];
    /** DONE, or the error or abort the stream ended in. */
    let over: unknown;
    const end = (error?: unknown) => {
      over ??= error ?? DONE;
      for (const [resolve, reject] of readers.splice(0)) error ? reject(error) : resolve(DONE);
    };
    // No chunk yet (not streamed, or taken after a round's chunks): a record without their id.
    let last = {} as ChatCompletionChunk, ids: string[] | undefined;
    const push = (value: ChatCompletionChunk) => {
      const reader = readers.shift();
      reader ? reader[0]({ value, done: false }) : queue.push(value);
    };
    this.on("chunk", (value) => push(last = value)).on("end", end).on("abort", end).on(
      "error",
      end,
    );
    // As the SDK's streamed runner: the record names the last assistant message's call ids.
    if (records) {
      this.on("message", (message: ChatCompletionMessageParam) => {
        if (message.role != "tool") {
          ids = (message as Message & { tool_calls?: { id: string }[] }).tool_calls?.map((call) =>
            call.id
          );
        } else {
          push({
            id: last.id,
            choices: [],
            created: last.created,
            model: last.model,
            object: RECORD + JSON.stringify({
              type: "message",
              message,
              ...ids && { tool_call_ids: ids },
            }),
          } as never);
        }
      });
    }
    return {
      next: () =>
        queue.length
          ? Promise.resolve({ value: queue.shift()!, done: false })
          : over
          ? over == DONE ? Promise.resolve(DONE) : Promise.reject(over)
          : new Promise((resolve, reject) => readers.push([resolve, reject])),
      return: () => (this.abort(), Promise.resolve(DONE)),
    };
  }

  /**
   * The chunks that come after the call as JSON lines, one chunk per line, as the SDK's writes
   * them, and (`runTools()`, as the SDK's streamed runner) after each tool message a message
   * record: a chunk-shaped line whose `object` is `chat.completion.chunk.message:` and the JSON of
   * `{ type: "message", message, tool_call_ids }`. A page reads it with
   * {@linkcode ChatCompletionEventStream.fromReadableStream} (or the SDK's
   * `ChatCompletionStream.fromReadableStream()`). An error errors it; cancelling it aborts.
   */
  toReadableStream(): ReadableStream<Uint8Array> {
    const it = (this as unknown as { [Symbol.asyncIterator](records: 1): AsyncIterator<unknown> })
      [Symbol.asyncIterator](1);
    return new ReadableStream({
      async pull(controller) {
        const { done, value } = await it.next();
        done
          ? controller.close()
          : controller.enqueue(encoder.encode(JSON.stringify(value) + "\n"));
      },
      cancel: () => void it.return!(),
    }, { highWaterMark: 0 });
  }

  /**
   * The event stream of a body that `toReadableStream()` wrote (the page a server relays it
   * to), as the SDK's `ChatCompletionStream.fromReadableStream()`: JSON lines (ours or the SDK's)
   * or an event stream. A runner's relay gives each round as its own completion (a message record
   * or a new chunk id ends one) and its tool messages (`message`, `messages`);
   * `ChatCompletionStreamingRunner.fromReadableStream()` gives a runner. `abort()` cancels the
   * body.
   *
   * @example On the page: the reply as it streams
   * ```ts
   * import { ChatCompletionEventStream } from "@aoai/edge";
   *
   * const chunk = (delta: object, finish_reason: string | null = null) =>
   *   JSON.stringify({ id: "c1", object: "chat.completion.chunk", created: 1, model: "m",
   *     choices: [{ index: 0, delta, finish_reason }] }) + "\n";
   * // On the server: new Response(stream.toReadableStream()); on the page, its body:
   * const body = new Response(chunk({ role: "assistant", content: "Hi" }) + chunk({}, "stop")).body!;
   * const stream = ChatCompletionEventStream.fromReadableStream(body)
   *   .on("content", (delta) => console.log(delta)); // "Hi"
   * console.log(await stream.finalContent()); // "Hi"
   * ```
   */
  static fromReadableStream(body: ReadableStream<Uint8Array>): ChatCompletionEventStream {
    return new this(
      { messages: [] } as never,
      (_, { signal }) => Promise.resolve(new ChatCompletionStream(new Response(body), { signal })),
      undefined,
      undefined,
      1,
    );
  }

  #emit(event: string, ...args: unknown[]): void {
    if (this.#ended) return;
    const list = this.#on[event];
    if (list) this.#on[event] = list.filter(([, once]) => !once);
    if (event == "end") this.#ended = 1, this.#settle();
    // Failed and settled before the listeners (errored / aborted are true in them, as the SDK's),
    // and `end` after them even if one throws: no awaiter is left pending.
    const failed = event == "abort" || event == "error";
    if (failed) {
      this.#failed = event;
      if (!this.#caught && !list?.length) Promise.reject(args[0]);
      this.#settle(args[0]);
    }
    try {
      list?.forEach(([listener]) => listener(...args as never[]));
    } finally {
      if (failed) this.#emit("end");
    }
  }

  #message(): ParsedChatCompletionMessage<ParsedT> {
    const message = this.messages.findLast((m) => m.role == "assistant");
    if (!message) {
      throw new AzureOpenAIError(
        "stream ended without producing a ChatCompletionMessage with role=assistant",
      );
    }
    return {
      ...message,
      content: message.content ?? null,
      refusal: message.refusal ?? null,
    } as never;
  }

  #call(): ParsedFunction | undefined {
    return (this.messages.findLast((m) => (m as Message).tool_calls?.length) as Message)
      ?.tool_calls?.at(-1)?.function;
  }

  #result(): string | undefined {
    const calls = this.messages.flatMap((m) => (m as Message).tool_calls ?? []) as unknown as {
      id: string;
    }[];
    return (this.messages.findLast((m) =>
      m.role == "tool" && typeof m.content == "string" &&
      calls.some((c) => c.id == m.tool_call_id)
    ) as { content?: string })?.content;
  }

  #usage(): CompletionUsage {
    const usage: Record<string, number> = {
      completion_tokens: 0,
      prompt_tokens: 0,
      total_tokens: 0,
    };
    for (const c of this.#all) {
      for (const key in usage) usage[key] += c.usage?.[key as "total_tokens"] ?? 0;
    }
    return usage as never;
  }
}
