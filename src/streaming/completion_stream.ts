import type { Completion, CompletionChunk } from "../types/mod.ts";
import { CompletionAccumulator } from "./completion_accumulator.ts";
import { feeding, final, Stream } from "./stream.ts";
import type { StreamOptions } from "./stream_options.ts";

/**
 * A streamed text completion (`client.completions.create({ stream: true })`): an
 * `AsyncIterable<CompletionChunk>` that yields every chunk (including Azure's first
 * chunk with only `prompt_filter_results`) and ends at `data: [DONE]`, plus
 * {@linkcode CompletionStream.finalCompletion}, `toReadableStream()`, `response` and
 * cancellation (see {@linkcode Stream}).
 *
 * @example Reading a streamed completion
 * ```ts
 * import { CompletionStream } from "@aoai/edge";
 *
 * const sse = [
 *   '{"id":"c1","object":"text_completion","created":1,"model":"m","choices":[{"index":0,"text":"Hel","logprobs":null,"finish_reason":null}]}',
 *   '{"id":"c1","object":"text_completion","created":1,"model":"m","choices":[{"index":0,"text":"lo","logprobs":null,"finish_reason":"stop"}]}',
 *   "[DONE]",
 * ].map((data) => `data: ${data}\n\n`).join("");
 * const stream = new CompletionStream(new Response(sse));
 * for await (const chunk of stream) console.log(chunk.choices[0]?.text);
 * console.log((await stream.finalCompletion()).choices[0].text); // "Hello"
 * ```
 */
export class CompletionStream extends Stream<CompletionChunk> {
  #accumulator: CompletionAccumulator;
  #final: Promise<Completion> | undefined;

  /**
   * Wraps a 2xx `text/event-stream` completions response.
   *
   * @param response The upstream response.
   * @param options See {@linkcode StreamOptions}; `operation` defaults to `"completions.create"`.
   */
  constructor(response: Response, options: StreamOptions<CompletionChunk> = {}) {
    const accumulator = new CompletionAccumulator();
    super(response, feeding(options, "completions.create", accumulator));
    this.#accumulator = accumulator;
  }

  /**
   * Resolves to the whole reply as the non-streaming call returns it (`object:
   * "text_completion"`), reading the rest of the stream if needed; works before,
   * during or after iteration. Rejects with the stream's error, with `APIUserAbortError` if
   * the stream was cancelled first, or with `AzureOpenAIError` if no chunk came before
   * `[DONE]` (there is no reply).
   */
  finalCompletion(): Promise<Completion> {
    return this.#final ??= final(this, this.#accumulator);
  }
}
