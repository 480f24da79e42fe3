import type { ClientCore } from "../_internal/core.ts";
import type { RequestOptions } from "../options.ts";
import { CompletionStream } from "../streaming/completion_stream.ts";
import type {
  Completion,
  CompletionCreateParams,
  CompletionCreateParamsNonStreaming,
  CompletionCreateParamsStreaming,
} from "../types/completions.ts";
import { checkParams, checkRange, invalid, wireBody } from "./_validate.ts";

/** `client.completions`: legacy text completions, plain or streamed. */
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
  ): Promise<CompletionStream>;
  /** Overload resolving to `Completion`. */
  create(params: CompletionCreateParamsNonStreaming, options?: RequestOptions): Promise<Completion>;
  /** Overload resolving to `Completion | CompletionStream`. */
  create(
    params: CompletionCreateParams,
    options?: RequestOptions,
  ): Promise<Completion | CompletionStream>;
  async create(
    params: CompletionCreateParams,
    options?: RequestOptions,
  ): Promise<Completion | CompletionStream> {
    const op = "completions.create";
    checkParams(op, params);
    const deployment = this.#core.resolveDeployment(params.model, op);
    const prompt: unknown = params.prompt;
    if (
      prompt !== undefined && prompt !== null && typeof prompt !== "string" &&
      !Array.isArray(prompt)
    ) {
      throw invalid(op, "prompt", "must be a string, an array of strings or token arrays");
    }
    if (Array.isArray(prompt) && prompt.length === 0) {
      throw invalid(op, "prompt", "must not be an empty array");
    }
    const p = params as unknown as Record<string, unknown>;
    checkRange(op, p, "temperature", 0, 2);
    checkRange(op, p, "top_p", 0, 1);
    checkRange(op, p, "n", 1, 128, true);
    checkRange(op, p, "logprobs", 0, 5, true);
    checkRange(op, p, "best_of", 0, 128, true);
    const version = options?.apiVersion ?? this.#core.apiVersion;
    const stream = params.stream === true;
    const result = await this.#core.send({
      operation: op,
      method: "POST",
      scope: "deployment",
      path: "completions",
      deployment,
      json: wireBody({ ...params, model: deployment }, version),
      params,
      stream,
      accept: stream ? "text/event-stream" : "application/json",
      options,
    });
    if (stream) {
      return new CompletionStream(result.response, {
        controller: result.controller,
        idleTimeoutMs: result.idleTimeoutMs,
      });
    }
    return await result.response.json() as Completion;
  }
}
