import type { ClientCore } from "../_internal/core.ts";
import type { RequestOptions } from "../options.ts";
import { CompletionStream } from "../streaming/completion_stream.ts";
import type {
  Completion,
  CompletionCreateParams,
  CompletionCreateParamsNonStreaming,
  CompletionCreateParamsStreaming,
} from "../types/completions.ts";
import type { APIPromise } from "./api_promise.ts";
import { createMaybeStream, SAMPLING } from "./chat.ts";

/**
 * `client.completions`: legacy text completions, plain or streamed.
 *
 * @example Stream a legacy completion
 * ```ts
 * import { AzureOpenAI, type Completions } from "@aoai/edge";
 * import { createEmulator } from "@aoai/edge/emulator";
 * const emulator = createEmulator(); // a local stand-in for your resource
 * const client = new AzureOpenAI({
 *   endpoint: "http://emulator.local",
 *   apiKey: emulator.apiKey,
 *   fetch: emulator.fetch,
 * });
 * const completions: Completions = client.completions;
 * const stream = await completions.create({
 *   model: "gpt-35-turbo-instruct",
 *   prompt: "Write a tagline for an ice cream shop.",
 *   max_tokens: 16,
 *   stream: true,
 * });
 * let text = "";
 * for await (const chunk of stream) text += chunk.choices[0]?.text ?? "";
 * console.log(text); // "You said: Write a tagline for an ice cream shop."
 * ```
 */
export class Completions {
  #core: ClientCore;

  /** @internal */
  constructor(core: ClientCore) {
    this.#core = core;
  }

  /**
   * Creates a completion; with `stream: true` resolves to a {@link CompletionStream}.
   *
   * @example Complete a prompt
   * ```ts
   * import { AzureOpenAI } from "@aoai/edge";
   * import { createEmulator } from "@aoai/edge/emulator";
   * const emulator = createEmulator(); // a local stand-in for your resource
   * const client = new AzureOpenAI({
   *   endpoint: "http://emulator.local",
   *   apiKey: emulator.apiKey,
   *   fetch: emulator.fetch,
   * });
   * const res = await client.completions.create({ model: "gpt-35-turbo-instruct", prompt: "Hi" });
   * console.log(res.choices[0].text);
   * ```
   */
  create(
    params: CompletionCreateParamsStreaming,
    options?: RequestOptions,
  ): APIPromise<CompletionStream>;
  /** Overload resolving to `Completion`. */
  create(
    params: CompletionCreateParamsNonStreaming,
    options?: RequestOptions,
  ): APIPromise<Completion>;
  /** Overload resolving to `Completion | CompletionStream`. */
  create(
    params: CompletionCreateParams,
    options?: RequestOptions,
  ): APIPromise<Completion | CompletionStream>;
  create(
    params: CompletionCreateParams,
    options?: RequestOptions,
  ): APIPromise<Completion | CompletionStream> {
    return createMaybeStream(
      this.#core,
      "completions.create",
      "completions",
      params,
      options,
      {
        ...SAMPLING,
        logprobs: [0, 5, 1],
        best_of: [0, 128, 1],
        prompt: (prompt) =>
          prompt != null && typeof prompt !== "string" && (
            !Array.isArray(prompt)
              ? "must be a string, an array of strings or token arrays"
              : !prompt.length && "must not be an empty array"
          ),
      },
      CompletionStream,
    ) as APIPromise<Completion | CompletionStream>;
  }
}
