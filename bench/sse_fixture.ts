/**
 * Synthetic Azure OpenAI chat stream used by the SSE benches and the memory script.
 *
 * @module
 */

/** Azure's `content_filter_results` with the four categories all safe, as JSON text. */
export const SAFE_FILTER_JSON =
  `{"hate":{"filtered":false,"severity":"safe"},"self_harm":{"filtered":false,"severity":"safe"},` +
  `"sexual":{"filtered":false,"severity":"safe"},"violence":{"filtered":false,"severity":"safe"}}`;

/** Tokens of the "mixed" text: 1 in 10 has CJK characters, 1 in 10 a Latin-1 letter. */
export const WORDS = [
  " the",
  " quick",
  " brown",
  " fox",
  " jumps",
  " over",
  " lazy",
  " dog",
  "é",
  " 日本",
];
/** Tokens of the ASCII-only (plain English) text. */
const ASCII_WORDS = [
  " the",
  " quick",
  " brown",
  " fox",
  " jumps",
  " over",
  " lazy",
  " dog",
  "s",
  " it",
];

/** Which text the synthetic reply carries. */
export type FixtureText = "mixed" | "ascii";

/**
 * One realistic Azure chat chunk line (`data: {...}\n\n`) whose choice 0 has these `delta`,
 * `finish_reason` and `logprobs` (each JSON text).
 */
export function chatChunkText(delta: string, finish = "null", logprobs = "null"): string {
  return `data: {"choices":[{"content_filter_results":${SAFE_FILTER_JSON},"delta":${delta},` +
    `"finish_reason":${finish},"index":0,"logprobs":${logprobs}}],"created":1727000000,` +
    `"id":"chatcmpl-A9xKxR0YpQkCkq3vqZ1c8Yv3uXyZ","model":"gpt-4o-2024-08-06",` +
    `"object":"chat.completion.chunk","system_fingerprint":"fp_5b26d85e12"}\n\n`;
}

/** One realistic Azure chat chunk line with content, for event number `i`. */
export function chatEventText(i: number, text: FixtureText = "mixed"): string {
  const words = text === "ascii" ? ASCII_WORDS : WORDS;
  return chatChunkText(`{"content":${JSON.stringify(words[i % words.length])}}`);
}

/** The whole synthetic stream (`events` chunks then `data: [DONE]`) as bytes. */
export function chatStreamBytes(events: number, text: FixtureText = "mixed"): Uint8Array {
  const parts: string[] = [];
  for (let i = 0; i < events; i++) parts.push(chatEventText(i, text));
  parts.push("data: [DONE]\n\n");
  return new TextEncoder().encode(parts.join(""));
}

/** Cuts `bytes` into views of `size` bytes (the last one may be shorter). */
export function cut(bytes: Uint8Array, size: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let i = 0; i < bytes.length; i += size) out.push(bytes.subarray(i, i + size));
  return out;
}

/** A `ReadableStream` that yields the given chunks one per pull. */
export function streamOf<T>(chunks: readonly T[]): ReadableStream<T> {
  let i = 0;
  return new ReadableStream<T>({
    pull(controller): void {
      if (i < chunks.length) controller.enqueue(chunks[i++]);
      else controller.close();
    },
  }, { highWaterMark: 0 });
}
