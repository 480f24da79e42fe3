// The event names of the openai SDK's ChatCompletionStream, in the order its docs list them:
// shared by the compat switch test and the Deno tests of chat.completions.stream().

/** Every event a chat.completions.stream() emits. */
export const CHAT_STREAM_EVENTS = /** @type {const} */ ([
  "connect",
  "chunk",
  "content",
  "content.delta",
  "content.done",
  "refusal.delta",
  "refusal.done",
  "tool_calls.function.arguments.delta",
  "tool_calls.function.arguments.done",
  "logprobs.content.delta",
  "logprobs.content.done",
  "logprobs.refusal.delta",
  "logprobs.refusal.done",
  "message",
  "functionToolCall",
  "chatCompletion",
  "finalContent",
  "finalMessage",
  "finalChatCompletion",
  "finalFunctionToolCall",
  "totalUsage",
  "error",
  "abort",
  "end",
]);
