import type { ClientCore } from "../_internal/core.ts";
import type { RequestOptions } from "../options.ts";
import { ChatCompletionStream } from "../streaming/chat_completion_stream.ts";
import type {
  ChatCompletion,
  ChatCompletionCreateParams,
  ChatCompletionCreateParamsNonStreaming,
  ChatCompletionCreateParamsStreaming,
} from "../types/chat.ts";
import { checkOneOf, checkParams, checkRange, invalid, wireBody } from "./_validate.ts";

const ROLES = ["system", "developer", "user", "assistant", "tool", "function"];

function checkChatParams(op: string, params: Record<string, unknown>): void {
  const messages = params.messages;
  if (!Array.isArray(messages) || messages.length === 0) {
    throw invalid(op, "messages", "must be a non-empty array of { role, content } messages");
  }
  messages.forEach((m, i) => {
    const role = (m as { role?: unknown } | null)?.role;
    if (typeof role !== "string" || !ROLES.includes(role)) {
      throw invalid(op, `messages[${i}].role`, `must be one of ${ROLES.join(", ")}`);
    }
  });
  checkRange(op, params, "temperature", 0, 2);
  checkRange(op, params, "top_p", 0, 1);
  checkRange(op, params, "n", 1, 128, true);
  checkRange(op, params, "top_logprobs", 0, 20, true);
  checkRange(op, params, "presence_penalty", -2, 2);
  checkRange(op, params, "frequency_penalty", -2, 2);
  const format = params.response_format as { type?: unknown } | undefined;
  if (format !== undefined && format !== null) {
    checkOneOf(op, format as Record<string, unknown>, "type", [
      "text",
      "json_object",
      "json_schema",
    ]);
  }
}

/** `client.chat.completions`: chat completions, plain or streamed. */
export class ChatCompletions {
  #core: ClientCore;

  /** @internal */
  constructor(core: ClientCore) {
    this.#core = core;
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
  ): Promise<ChatCompletionStream>;
  /** Overload resolving to `ChatCompletion`. */
  create(
    params: ChatCompletionCreateParamsNonStreaming,
    options?: RequestOptions,
  ): Promise<ChatCompletion>;
  /** Overload resolving to `ChatCompletion | ChatCompletionStream`. */
  create(
    params: ChatCompletionCreateParams,
    options?: RequestOptions,
  ): Promise<ChatCompletion | ChatCompletionStream>;
  async create(
    params: ChatCompletionCreateParams,
    options?: RequestOptions,
  ): Promise<ChatCompletion | ChatCompletionStream> {
    const op = "chat.completions.create";
    checkParams(op, params);
    const deployment = this.#core.resolveDeployment(params.model, op);
    checkChatParams(op, params as unknown as Record<string, unknown>);
    const version = options?.apiVersion ?? this.#core.apiVersion;
    const stream = params.stream === true;
    const result = await this.#core.send({
      operation: op,
      method: "POST",
      scope: "deployment",
      path: "chat/completions",
      deployment,
      json: wireBody({ ...params, model: deployment }, version),
      params,
      stream,
      accept: stream ? "text/event-stream" : "application/json",
      options,
    });
    if (stream) {
      return new ChatCompletionStream(result.response, {
        controller: result.controller,
        idleTimeoutMs: result.idleTimeoutMs,
      });
    }
    return await result.response.json() as ChatCompletion;
  }
}

/** `client.chat`: groups chat resources. */
export class Chat {
  /** Chat completions. */
  readonly completions: ChatCompletions;
  /** @internal */
  constructor(core: ClientCore) {
    this.completions = new ChatCompletions(core);
  }
}
