/**
 * A rough request token estimate, as Azure's rate limiter counts them before the call: about
 * one token per 4 characters of prompt text, plus the completion budget.
 * @module
 */

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Characters of text in a prompt/input value; token arrays count 4 per token. */
function textChars(value: unknown, depth = 0): number {
  if (depth > 8) return 0;
  if (typeof value === "string") return value.length;
  if (typeof value === "number") return 4;
  if (Array.isArray(value)) {
    let sum = 0;
    for (const item of value) sum += textChars(item, depth + 1);
    return sum;
  }
  return 0;
}

/**
 * Tokens an image part is charged, its size unknown here: 85 at `detail: "low"`, else 765 (a
 * 1024×1024 image at high detail: 85 plus 170 for each of four 512-pixel tiles).
 */
function imageTokens(part: Record<string, unknown>): number {
  const image = part.image_url;
  return isRecord(image) && image.detail === "low" ? 85 : 765;
}

/**
 * Characters of the text of chat messages (content strings, text and refusal parts, tool and
 * function call arguments), plus 4 per token of their image parts.
 */
function messageChars(messages: unknown): number {
  if (!Array.isArray(messages)) return 0;
  let sum = 0;
  for (const message of messages) {
    if (!isRecord(message)) continue;
    const content = message.content;
    if (typeof content === "string") sum += content.length;
    else if (Array.isArray(content)) {
      for (const part of content) {
        if (!isRecord(part)) continue;
        if (typeof part.text === "string") sum += part.text.length;
        if (typeof part.refusal === "string") sum += part.refusal.length;
        // Counted as its tokens, not its URL: a base64 data URL would count thousands.
        if (part.type === "image_url") sum += 4 * imageTokens(part);
      }
    }
    const calls = Array.isArray(message.tool_calls)
      ? message.tool_calls.map((call) => isRecord(call) && call.function)
      : [message.function_call];
    for (const call of calls) {
      const args = isRecord(call) ? call.arguments : "";
      if (typeof args === "string") sum += args.length;
    }
  }
  return sum;
}

/**
 * Estimates the tokens a request will be charged against a tokens-per-minute quota: the
 * characters of `prompt`, `messages` (text content and tool / function call arguments), `input`
 * and the JSON of `tools`, `functions` and `response_format`, divided by 4 (token arrays count
 * one per token; an image part counts 85 tokens at `detail: "low"`, else 765, as a 1024×1024
 * image at high detail), plus `max_tokens` or
 * `max_completion_tokens` (times `n`, or `best_of` for completions). Requests without such
 * fields (e.g. audio uploads) count 0.
 *
 * @example Estimate a chat request
 * ```ts
 * import { estimateRequestTokens } from "@aoai/edge/middleware";
 * const tokens = estimateRequestTokens({
 *   messages: [{ role: "user", content: "x".repeat(400) }],
 *   max_tokens: 50,
 * });
 * console.log(tokens); // 150
 * ```
 */
export function estimateRequestTokens(params: unknown): number {
  if (!isRecord(params)) return 0;
  let chars = messageChars(params.messages) + textChars(params.prompt);
  // Tool and function definitions and a response schema are prompt text too: their JSON.
  for (const extra of [params.tools, params.functions, params.response_format]) {
    if (extra !== undefined) chars += JSON.stringify(extra)?.length ?? 0;
  }
  let tokens = 0;
  const input = params.input;
  if (Array.isArray(input) && input.every((x) => typeof x === "number")) tokens += input.length;
  else if (Array.isArray(input)) {
    for (const item of input) {
      if (Array.isArray(item)) tokens += item.length;
      else chars += textChars(item);
    }
  } else chars += textChars(input);
  tokens += Math.ceil(chars / 4);
  const budget = typeof params.max_completion_tokens === "number"
    ? params.max_completion_tokens
    : typeof params.max_tokens === "number"
    ? params.max_tokens
    : 0;
  const copies = typeof params.best_of === "number"
    ? params.best_of
    : typeof params.n === "number"
    ? params.n
    : 1;
  return tokens + Math.max(0, budget) * Math.max(1, copies);
}
