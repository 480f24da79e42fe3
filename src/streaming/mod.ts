/**
 * Typed streams over Azure OpenAI `text/event-stream` responses: {@linkcode Stream},
 * {@linkcode ChatCompletionStream} and {@linkcode CompletionStream}, and the
 * accumulators that turn chunks back into the non-streaming reply.
 *
 * @example Accumulating a streamed chat reply
 * ```ts
 * import { ChatCompletionStream } from "@aoai/edge";
 *
 * const chunk = '{"id":"c1","object":"chat.completion.chunk","created":1,"model":"m","choices":[]}';
 * const stream = new ChatCompletionStream(new Response(`data: ${chunk}\n\ndata: [DONE]\n\n`));
 * console.log((await stream.finalChatCompletion()).object); // "chat.completion"
 * ```
 *
 * @module
 */
export { ChatCompletionAccumulator } from "./chat_completion_accumulator.ts";
export { ChatCompletionStream } from "./chat_completion_stream.ts";
export {
  ChatCompletionEventStream,
  type ChatCompletionStreamEvents,
  type ChatCompletionStreamParams,
} from "./chat_completion_event_stream.ts";
export {
  ChatCompletionRunner,
  ChatCompletionStreamingRunner,
  type ChatCompletionToolRunnerParams,
  type RunnableFunction,
  type RunnableToolFunction,
  type RunnerOptions,
} from "./chat_completion_runner.ts";
export { CompletionAccumulator } from "./completion_accumulator.ts";
export { CompletionStream } from "./completion_stream.ts";
export { Stream } from "./stream.ts";
export type { StreamOptions } from "./stream_options.ts";
