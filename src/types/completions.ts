/**
 * Wire types of legacy text completions (`POST /deployments/{deployment-id}/completions`):
 * `createCompletionRequest` and `createCompletionResponse` of `2024-10-21/inference.json`.
 *
 * @module
 */

import type { CompletionUsage, ContentFilterResults, PromptFilterResult } from "./common.ts";
import type { ChatCompletionStreamOptions } from "./chat.ts";

/**
 * Parameters of a text completion. `model` names the deployment.
 *
 * @example Complete a prompt
 * ```ts
 * import type { CompletionCreateParams } from "@aoai/edge";
 * const params: CompletionCreateParams = {
 *   model: "gpt-35-turbo-instruct",
 *   prompt: ["tell me a joke about mango"],
 *   max_tokens: 32,
 *   temperature: 1,
 *   n: 1,
 * };
 * console.log(params.prompt, params.max_tokens); // [ "tell me a joke about mango" ] 32
 * ```
 */
export interface CompletionCreateParams {
  /** Deployment name; defaults to the client's `deployment`. */
  model?: string;
  /**
   * Prompt(s): a string, strings, tokens or token arrays. `null` generates from the
   * start of a new document (`<|endoftext|>`).
   */
  prompt: string | string[] | number[] | number[][] | null;
  /** Max tokens to generate (16 when absent). */
  max_tokens?: number | null;
  /** Sampling temperature, 0 to 2. */
  temperature?: number | null;
  /** Nucleus sampling mass, 0 to 1. */
  top_p?: number | null;
  /** Token ID (as a string key) to bias, -100 to 100. */
  logit_bias?: Record<string, number> | null;
  /** End-user identifier for abuse monitoring. */
  user?: string;
  /** Completions per prompt, 1 to 128. */
  n?: number | null;
  /** Stream the reply as server-sent events. */
  stream?: boolean | null;
  /** Stream options (not in the specs for completions; the OpenAI form). */
  stream_options?: ChatCompletionStreamOptions | null;
  /** Return log probabilities of the `logprobs` (0 to 5) most likely tokens. */
  logprobs?: number | null;
  /** Text after the insertion point (`gpt-3.5-turbo-instruct` only). */
  suffix?: string | null;
  /** Echo the prompt before the completion. */
  echo?: boolean | null;
  /** Up to 4 stop sequences. */
  stop?: string | string[] | null;
  /** Presence penalty, -2 to 2. */
  presence_penalty?: number | null;
  /** Frequency penalty, -2 to 2. */
  frequency_penalty?: number | null;
  /** Generate this many server-side and return the best `n` (0 to 20). Cannot stream. */
  best_of?: number | null;
  /** Best-effort deterministic sampling seed. */
  seed?: number | null;
  /** Undocumented; only in the 2024-02-01 and 2024-05-01-preview request schema. */
  completion_config?: string | null;
}

/**
 * Text completion parameters that ask for a stream (`stream: true`).
 *
 * @example Ask for a stream with usage
 * ```ts
 * import type { CompletionCreateParamsStreaming } from "@aoai/edge";
 * const params: CompletionCreateParamsStreaming = {
 *   model: "gpt-35-turbo-instruct",
 *   prompt: "tell me a joke about mango",
 *   stream: true,
 *   stream_options: { include_usage: true },
 * };
 * console.log(params.stream); // true
 * ```
 */
export interface CompletionCreateParamsStreaming extends CompletionCreateParams {
  /** Stream the reply. */
  stream: true;
}

/**
 * Text completion parameters that ask for one JSON reply.
 *
 * @example Ask for one JSON reply
 * ```ts
 * import type { CompletionCreateParamsNonStreaming } from "@aoai/edge";
 * const params: CompletionCreateParamsNonStreaming = {
 *   model: "gpt-35-turbo-instruct",
 *   prompt: ["tell me a joke about mango"],
 *   max_tokens: 32,
 *   stream: false,
 * };
 * console.log(params.max_tokens); // 32
 * ```
 */
export interface CompletionCreateParamsNonStreaming extends CompletionCreateParams {
  /** Do not stream. */
  stream?: false | null;
}

/**
 * Log probability information of a completion choice.
 *
 * @example Probability of each token
 * ```ts
 * import type { CompletionLogprobs } from "@aoai/edge";
 * const logprobs: CompletionLogprobs = {
 *   tokens: ["The", " head"],
 *   token_logprobs: [-0.105, -0.693],
 *   text_offset: [0, 3],
 * };
 * console.log(logprobs.token_logprobs?.map((p) => Math.exp(p).toFixed(2))); // [ "0.90", "0.50" ]
 * ```
 */
export interface CompletionLogprobs {
  /** The tokens. */
  tokens?: string[];
  /** Log probability of each token. */
  token_logprobs?: number[];
  /** Per position, the most likely tokens and their log probabilities. */
  top_logprobs?: Array<Record<string, number>>;
  /** Character offset of each token in the text. */
  text_offset?: number[];
}

/**
 * Why the model stopped.
 *
 * @example React to a truncated reply
 * ```ts
 * import type { CompletionFinishReason } from "@aoai/edge";
 * const reason: CompletionFinishReason = "length";
 * console.log(reason === "length" ? "raise max_tokens" : reason); // "raise max_tokens"
 * ```
 */
export type CompletionFinishReason = "stop" | "length" | "content_filter";

/**
 * One choice of a text completion.
 *
 * @example Read a choice
 * ```ts
 * import type { CompletionChoice } from "@aoai/edge";
 * const choice: CompletionChoice = {
 *   text: "\n\nWhat do you call a mango who's in charge?\n\nThe head mango.",
 *   index: 0,
 *   finish_reason: "stop",
 *   logprobs: null,
 * };
 * console.log(choice.finish_reason, choice.text.trim().split("\n").at(-1));
 * // "stop" "The head mango."
 * ```
 */
export interface CompletionChoice {
  /** The generated text. */
  text: string;
  /** Index of the choice. */
  index: number;
  /** Log probabilities, or `null` when not requested. */
  logprobs: CompletionLogprobs | null;
  /** Why the model stopped; `null` on stream chunks before the last. */
  finish_reason: CompletionFinishReason | null;
  /** Content filter results of the generated text. */
  content_filter_results?: ContentFilterResults;
}

/**
 * A text completion reply (`createCompletionResponse`).
 *
 * @example Read a completion reply
 * ```ts
 * import type { Completion } from "@aoai/edge";
 * const res: Completion = {
 *   id: "cmpl-7QmVI15qgYVllxK0FtxVGG6ywfzaq",
 *   object: "text_completion",
 *   created: 1686617332,
 *   model: "gpt-35-turbo-instruct",
 *   choices: [{ text: "The head mango.", index: 0, finish_reason: "stop", logprobs: null }],
 *   usage: { completion_tokens: 20, prompt_tokens: 6, total_tokens: 26 },
 * };
 * console.log(res.choices[0].text, res.usage?.total_tokens); // "The head mango." 26
 * ```
 */
export interface Completion {
  /** Completion ID. */
  id: string;
  /** Always `"text_completion"`. */
  object: "text_completion";
  /** Creation time, Unix seconds. */
  created: number;
  /** The model that answered. */
  model: string;
  /** Backend configuration fingerprint. */
  system_fingerprint?: string | null;
  /** The choices. */
  choices: CompletionChoice[];
  /** Token usage. */
  usage?: CompletionUsage;
  /** Content filter results per prompt. */
  prompt_filter_results?: PromptFilterResult[];
}

/**
 * A streamed text completion chunk: the reply shape, except that Azure's first
 * chunk carries only `prompt_filter_results` with `object: ""` and empty `choices`.
 *
 * @example Join the text of a stream
 * ```ts
 * import { AzureOpenAI, type CompletionChunk } from "@aoai/edge";
 * import { createEmulator } from "@aoai/edge/emulator";
 * const emulator = createEmulator(); // a local stand-in for your resource
 * const client = new AzureOpenAI({
 *   endpoint: "http://emulator.local",
 *   apiKey: emulator.apiKey,
 *   fetch: emulator.fetch,
 * });
 * const stream = await client.completions
 *   .create({ model: "gpt-35-turbo-instruct", prompt: "Hi", stream: true });
 * const chunks: CompletionChunk[] = [];
 * for await (const chunk of stream) chunks.push(chunk);
 * console.log(chunks.map((c) => c.choices[0]?.text ?? "").join("")); // "You said: Hi"
 * ```
 */
export interface CompletionChunk {
  /** Completion ID (`""` on the prompt-filter chunk). */
  id: string;
  /** `"text_completion"`, or `""` on the prompt-filter chunk. */
  object: "text_completion" | "";
  /** Creation time, Unix seconds (`0` on the prompt-filter chunk). */
  created: number;
  /** The model (`""` on the prompt-filter chunk). */
  model: string;
  /** Backend configuration fingerprint. */
  system_fingerprint?: string | null;
  /** The choices (fragments of text). */
  choices: CompletionChoice[];
  /** Usage, on the last chunk when `stream_options.include_usage` is set. */
  usage?: CompletionUsage | null;
  /** Content filter results per prompt. */
  prompt_filter_results?: PromptFilterResult[];
}
