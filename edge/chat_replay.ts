/**
 * Replaying a finished chat completion as a chat completion SSE stream (Azure chunk shape), for
 * cached completions asked for with `stream: true`.
 *
 * @module
 */

const encoder = new TextEncoder();

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Splits text into word-sized pieces (each word with its trailing space) that join back to it. */
export function splitForStream(text: string): string[] {
  const pieces = text.match(/\s*\S+\s*|\s+/g) ?? [];
  if (pieces.length <= 256) return pieces;
  // Long replies: group so a replay stays a few hundred events.
  const size = Math.ceil(pieces.length / 256);
  const grouped: string[] = [];
  for (let i = 0; i < pieces.length; i += size) grouped.push(pieces.slice(i, i + size).join(""));
  return grouped;
}

/**
 * The chunks that stream `completion` (a `chat.completion` object): a first chunk with only
 * `prompt_filter_results` (when present), per choice a role chunk, content pieces, tool
 * calls by index and a final chunk with `finish_reason`, then a usage chunk when asked for (the
 * others then carry `usage: null`, as the service streams them; zeros when the completion has no
 * `usage`).
 * Concatenating the deltas gives back the completion's messages.
 *
 * @example Replay a cached completion
 * ```ts
 * import { completionToChunks } from "@aoai/edge/edge";
 * const chunks = completionToChunks({
 *   id: "c1", object: "chat.completion", created: 1, model: "gpt-4o",
 *   choices: [{ index: 0, message: { role: "assistant", content: "Hi there" }, finish_reason: "stop" }],
 * }, { includeUsage: false });
 * console.log(chunks.length); // 4: role, "Hi ", "there", finish
 * ```
 */
export function completionToChunks(
  completion: Record<string, unknown>,
  options: { includeUsage: boolean },
): Record<string, unknown>[] {
  const base = {
    id: completion.id ?? "",
    object: "chat.completion.chunk",
    created: completion.created ?? 0,
    model: completion.model ?? "",
    system_fingerprint: completion.system_fingerprint ?? null,
  };
  const chunks: Json[] = [];
  if (completion.prompt_filter_results !== undefined) {
    // The live service sends this chunk with empty id / object / model; the spec's chunk schema
    // requires `object: "chat.completion.chunk"`, and a miss relayed from the emulator has it.
    chunks.push({ ...base, choices: [], prompt_filter_results: completion.prompt_filter_results });
  }
  const choices = Array.isArray(completion.choices) ? completion.choices : [];
  for (const [position, raw] of choices.entries()) {
    const choice = isObject(raw) ? raw : {};
    const index = typeof choice.index === "number" ? choice.index : position;
    const message = isObject(choice.message) ? choice.message : {};
    const one = (delta: Json, extra: Json = {}): Json => ({
      ...base,
      choices: [{ index, delta, finish_reason: null, logprobs: null, ...extra }],
    });
    // A message without text (tool calls only) keeps content null; On Your Data's `context`
    // (citations, intent) rides on the first delta, as the service streams it.
    const first: Json = {
      role: message.role ?? "assistant",
      content: typeof message.content === "string" ? "" : null,
    };
    if (isObject(message.context)) first.context = message.context;
    chunks.push(one(first));
    if (typeof message.content === "string") {
      for (const piece of splitForStream(message.content)) chunks.push(one({ content: piece }));
    }
    if (typeof message.refusal === "string") chunks.push(one({ refusal: message.refusal }));
    if (Array.isArray(message.tool_calls)) {
      for (const [i, call] of message.tool_calls.entries()) {
        if (isObject(call)) chunks.push(one({ tool_calls: [{ index: i, ...call }] }));
      }
    }
    if (isObject(message.function_call)) {
      chunks.push(one({ function_call: message.function_call }));
    }
    const last: Json = {
      finish_reason: choice.finish_reason ?? "stop",
      logprobs: choice.logprobs ?? null,
    };
    if (choice.content_filter_results !== undefined) {
      last.content_filter_results = choice.content_filter_results;
    }
    chunks.push({ ...base, choices: [{ index, delta: {}, ...last }] });
  }
  if (options.includeUsage) {
    // The service gives every other chunk `usage: null` (the stream_options contract).
    for (const chunk of chunks) chunk.usage = null;
    // A completion without usage (a hit reports usage 0) still gets its usage chunk.
    const usage = isObject(completion.usage)
      ? completion.usage
      : { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 };
    chunks.push({ ...base, choices: [], usage });
  }
  return chunks;
}

/**
 * Streams a completion as SSE bytes: one `data: {chunk}` event per chunk of
 * {@link completionToChunks}, then `data: [DONE]`.
 *
 * @example Build a replay response
 * ```ts
 * import { completionToSse } from "@aoai/edge/edge";
 * const body = completionToSse({ choices: [{ index: 0, message: { content: "ok" } }] }, {
 *   includeUsage: false,
 * });
 * const text = await new Response(body).text();
 * console.log(text.endsWith("data: [DONE]\n\n")); // true
 * ```
 */
export function completionToSse(
  completion: Record<string, unknown>,
  options: { includeUsage: boolean },
): ReadableStream<Uint8Array> {
  const chunks = completionToChunks(completion, options);
  let i = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (i < chunks.length) {
        controller.enqueue(encoder.encode(`data: ${JSON.stringify(chunks[i++])}\n\n`));
      } else {
        controller.enqueue(encoder.encode("data: [DONE]\n\n"));
        controller.close();
      }
    },
  });
}
