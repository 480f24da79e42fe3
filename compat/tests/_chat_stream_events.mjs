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

/**
 * Every final helper of a chat.completions.stream() or runTools() stream, each settled through
 * `json` (a value) or `errorOf` (a rejection), and its `messages` and ended / errored / aborted.
 */
export async function finalsOf(stream, json, errorOf) {
  const settle = (promise) => promise.then(json, errorOf);
  return {
    done: await settle(stream.done()),
    finalChatCompletion: await settle(stream.finalChatCompletion()),
    finalContent: await settle(stream.finalContent()),
    finalMessage: await settle(stream.finalMessage()),
    finalFunctionToolCall: await settle(stream.finalFunctionToolCall()),
    finalFunctionToolCallResult: await settle(stream.finalFunctionToolCallResult()),
    totalUsage: await settle(stream.totalUsage()),
    allChatCompletions: json(stream.allChatCompletions()),
    messages: json(stream.messages),
    state: [stream.ended, stream.errored, stream.aborted],
    // The SDK's snapshot lives from a round's first chunk to its end (then undefined).
    // (its text, refusal and tool call arguments: fields both build alike).
    snapshot: stream.currentChatCompletionSnapshot?.choices.map(({ message: m }) => [
      m.content ?? null,
      m.refusal || null,
      m.tool_calls?.map((t) => t.function.arguments) ?? null,
    ]) ?? null,
  };
}

/**
 * `events` with each `chunk` event's snapshot cut to what both clients' snapshots agree on (ours
 * is our accumulator's completion so far): each choice's text, refusal, partial `parsed`, finish
 * reason and tool calls with their partial `parsed_arguments`.
 */
export function withSnapshotSummaries(events) {
  return events.map(([name, args]) => {
    if (name != "chunk") return [name, args];
    const [chunk, snapshot] = args;
    return [name, [
      chunk,
      snapshot.choices.map((c) => ({
        index: c.index,
        content: c.message.content || null,
        refusal: c.message.refusal || null,
        parsed: c.message.parsed,
        finish_reason: c.finish_reason,
        tool_calls: c.message.tool_calls?.map((
          { function: f },
        ) => [f.name, f.arguments, f.parsed_arguments]),
      })),
    ]];
  });
}
