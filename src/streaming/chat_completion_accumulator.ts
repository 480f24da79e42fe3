import type {
  ChatCompletion,
  ChatCompletionChunk,
  ChatCompletionChunkChoice,
  ChatCompletionMessage,
  ChatCompletionMessageToolCall,
} from "../types/mod.ts";
import { fold, type FoldChoice } from "./_fold.ts";

interface ChatChoice extends FoldChoice {
  message: ChatCompletionMessage;
}

type FunctionCall = { name: string; arguments: string };

/** Name from the first piece that has one; arguments concatenated. */
function addFunction(target: FunctionCall, piece: Partial<FunctionCall> | undefined): void {
  if (piece) {
    target.name ||= piece.name ?? "";
    if (typeof piece.arguments === "string") target.arguments += piece.arguments;
  }
}

function addChat(choice: ChatChoice, piece: ChatCompletionChunkChoice): void {
  const delta = piece.delta;
  if (!delta) return;
  const message = choice.message;
  if (typeof delta.content === "string") message.content = (message.content ?? "") + delta.content;
  if (typeof delta.refusal === "string") message.refusal = (message.refusal ?? "") + delta.refusal;
  for (const part of delta.tool_calls ?? []) {
    const call: ChatCompletionMessageToolCall = (message.tool_calls ??= [])[part.index ?? 0] ??= {
      id: "",
      type: "function",
      function: { name: "", arguments: "" },
    };
    call.id ||= part.id ?? "";
    if (part.type) call.type = part.type;
    addFunction(call.function, part.function);
  }
  if (delta.function_call) {
    addFunction(message.function_call ??= { name: "", arguments: "" }, delta.function_call);
  }
  if (delta.context) message.context = { ...message.context, ...delta.context };
}

/**
 * Folds the chunks of a streamed chat completion into the `ChatCompletion` the
 * non-streaming call returns: role, content and refusal text, `tool_calls` by index
 * (arguments concatenated; id, type and name from the first piece that has them),
 * legacy `function_call`, logprobs (`content` and `refusal` arrays concatenated),
 * per-choice content filter results (worst verdict per category), `n > 1` choices by
 * index, usage, id / created / model / system_fingerprint and prompt filter results.
 *
 * `ChatCompletionStream.finalChatCompletion()` uses it; use it directly when you
 * consume chunks some other way.
 *
 * @example Accumulating two chunks
 * ```ts
 * import { ChatCompletionAccumulator } from "@aoai/edge";
 *
 * const acc = new ChatCompletionAccumulator();
 * const base = { id: "c1", object: "chat.completion.chunk", created: 1, model: "gpt-4o" } as const;
 * acc.add({ ...base, choices: [{ index: 0, delta: { role: "assistant", content: "Hel" } }] });
 * acc.add({ ...base, choices: [{ index: 0, delta: { content: "lo" }, finish_reason: "stop" }] });
 * console.log(acc.result().choices[0].message.content); // "Hello"
 * ```
 */
export class ChatCompletionAccumulator {
  #fold = fold<ChatChoice, ChatCompletionChunkChoice>(
    "chat.completion",
    (index) => ({
      index,
      message: { role: "assistant", content: null, refusal: null },
      finish_reason: null,
      logprobs: null,
    }),
    addChat,
  );

  /** Adds one parsed chunk (any chunk: prompt-filter-only, usage-only, without `delta`). */
  add(chunk: ChatCompletionChunk): void {
    this.#fold.add(chunk);
  }

  /**
   * The completion so far as one object that each add() updates in place (no copy, as the openai
   * SDK's stream snapshot): `choices` and `tool_calls` are indexed by their `index` (a gap stays a
   * hole). Read it, do not change it; result() gives a copy.
   */
  snapshot(): ChatCompletion {
    return this.#fold.live as unknown as ChatCompletion;
  }

  /** The `chat.completion` object for the chunks added so far (a fresh object each call). */
  result(): ChatCompletion {
    const result = this.#fold.result();
    for (const { message } of result.choices) {
      message.tool_calls &&= message.tool_calls.filter((call) => call);
    }
    return result as unknown as ChatCompletion;
  }
}
