import type { ChatCompletion, ChatCompletionChunk } from "../types/mod.ts";
import { ChatCompletionAccumulator } from "./chat_completion_accumulator.ts";
import { feeding, final, Stream } from "./stream.ts";
import type { StreamOptions } from "./stream_options.ts";

/**
 * A streamed chat completion (`client.chat.completions.create({ stream: true })`):
 * an `AsyncIterable<ChatCompletionChunk>` that yields every chunk (including Azure's
 * first chunk with only `prompt_filter_results`, chunks without `delta` and the usage
 * chunk) and ends at `data: [DONE]`, plus {@linkcode ChatCompletionStream.finalChatCompletion},
 * `toReadableStream()`, `response` and cancellation (see {@linkcode Stream}).
 *
 * @example Printing a reply as it arrives, then the totals
 * ```ts
 * import { ChatCompletionStream } from "@aoai/edge";
 *
 * const sse = [
 *   '{"id":"c1","object":"chat.completion.chunk","created":1,"model":"gpt-4o","choices":[{"index":0,"delta":{"role":"assistant","content":"Hi"},"finish_reason":null}]}',
 *   '{"id":"c1","object":"chat.completion.chunk","created":1,"model":"gpt-4o","choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}',
 *   "[DONE]",
 * ].map((data) => `data: ${data}\n\n`).join("");
 * const stream = new ChatCompletionStream(new Response(sse));
 * for await (const chunk of stream) console.log(chunk.choices[0]?.delta?.content ?? "");
 * const final = await stream.finalChatCompletion();
 * console.log(final.choices[0].message.content, final.choices[0].finish_reason); // "Hi stop"
 * ```
 */
export class ChatCompletionStream extends Stream<ChatCompletionChunk> {
  #accumulator: ChatCompletionAccumulator;
  #final: Promise<ChatCompletion> | undefined;

  /**
   * Wraps a 2xx `text/event-stream` chat completions response.
   *
   * @param response The upstream response.
   * @param options See {@linkcode StreamOptions}; `operation` defaults to
   * `"chat.completions.create"`.
   */
  constructor(response: Response, options: StreamOptions<ChatCompletionChunk> = {}) {
    const accumulator = new ChatCompletionAccumulator();
    super(response, feeding(options, "chat.completions.create", accumulator));
    this.#accumulator = accumulator;
  }

  /**
   * Resolves to the whole reply as the non-streaming call returns it (`object:
   * "chat.completion"`), reading the rest of the stream if needed. Works before, during
   * (the loop or `toReadableStream()` still gets every chunk) or after iteration; rejects with the
   * stream's error, with `APIUserAbortError` if the stream was cancelled first, or with
   * `AzureOpenAIError` if no chunk came before `[DONE]` (there is no reply).
   */
  finalChatCompletion(): Promise<ChatCompletion> {
    return this.#final ??= final(this, this.#accumulator);
  }
}
