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
 * The most an image at high detail costs, its size unknown here: 1,536 tokens, the cap of the
 * 32-pixel patch rule (GPT-4.1 and later), above the 512-pixel tile rule's 1,445 (85 + 170 for
 * each of 8 tiles: an image scaled into 2048×2048, then to 768 pixels on its short side).
 */
const IMAGE = 1536;

/** The most text tokens a PDF page is counted: 6,000 characters, a page of dense text. */
const PAGE_TEXT = 1500;

const B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/** Tokens an image part is charged: 85 at `detail: "low"`, else {@link IMAGE}. */
function imageTokens(part: Record<string, unknown>): number {
  const image = part.image_url;
  return isRecord(image) && image.detail === "low" ? 85 : IMAGE;
}

/** Where the base64 of `data` starts: after a data URL's comma, else at 0. */
function base64Start(data: string): number {
  return data.startsWith("data:") ? data.indexOf(",") + 1 : 0;
}

/** Bytes of base64 `data` from `start`, without decoding it. */
function base64Bytes(data: string, start: number): number {
  let n = data.length;
  while (n > start && data[n - 1] === "=") n--;
  return Math.floor((n - start) * 3 / 4);
}

/**
 * Tokens of `bytes` of audio: 10 a second (OpenAI: user audio is one token per 100 ms), its length
 * at the byte rate of a wav header in `header` (its first bytes, a character a byte), else at 1,000
 * bytes a second (8 kbit/s, the lowest MP3 bitrate), so richer audio is over-counted, never under.
 * Also the edge app's estimate of a token-billed transcription's upload.
 */
export function audioBytesTokens(bytes: number, header: string): number {
  let rate = 1000;
  // RIFF/WAVE with its fmt chunk first (as writers put it): the byte rate is at offset 28.
  if (/^RIFF[^]{4}WAVEfmt /.test(header)) {
    const r = header.charCodeAt(28) + (header.charCodeAt(29) << 8) +
      header.charCodeAt(30) * 65536 + header.charCodeAt(31) * 16777216;
    // A rate below the fallback's (0 or absurd) would count more than no header does.
    if (r > rate) rate = Math.min(r, 384_000);
  }
  return Math.ceil(bytes / rate * 10);
}

/** Tokens of an `input_audio` part ({@link audioBytesTokens}): only its header is decoded. */
function audioTokens(audio: unknown): number {
  const data = isRecord(audio) && audio.data;
  if (typeof data !== "string") return 0;
  const start = base64Start(data);
  let header = "";
  try {
    header = atob(data.slice(start, start + 44));
  } catch { /* not base64 */ }
  return audioBytesTokens(base64Bytes(data, start), header);
}

/**
 * How the base64 of `/Page` followed by a byte below 0x40 (a PDF delimiter, not `s` of `/Pages`
 * nor a letter of `/PageLabels`) reads when `/Page` starts at byte k = 0, 1, 2 of a 3-byte group:
 * the characters fully inside it, their offset in their 4-character group, and the character
 * after them, whose bits above `shift` are the end of `/Page` and the next byte's top two bits.
 */
const PAGE = [0, 1, 2].map((k) => {
  const b64 = btoa("\0".repeat(k) + "/Page\0");
  const first = Math.ceil(8 * k / 6);
  const end = Math.floor(8 * (k + 5) / 6);
  const shift = 6 * (end + 1) - 8 * (k + 5) - 2;
  return { text: b64.slice(first, end), first, last: B64.indexOf(b64[end]) >> shift, shift };
});

/** Counts the `/Page` objects of a PDF's base64 from `start`, searched as base64: no decoding. */
function pdfPages(data: string, start: number): number {
  let pages = 0;
  for (const { text, first, last, shift } of PAGE) {
    for (let at = data.indexOf(text, start); at >= 0; at = data.indexOf(text, at + 1)) {
      if ((at - start) % 4 === first && B64.indexOf(data[at + text.length]) >> shift === last) {
        pages++;
      }
    }
  }
  return pages;
}

/**
 * Tokens of a `file` part (a PDF): the model gets each page's text and an image of it (OpenAI's
 * PDF guide), counted as {@link IMAGE} for each `/Type /Page` in it (at least one; an uploaded
 * `file_id` counts one page) plus the characters of `file_data` / 4, at most {@link PAGE_TEXT}
 * a page when its pages are seen (its page objects not compressed).
 */
function fileTokens(file: unknown): number {
  const data = isRecord(file) && typeof file.file_data === "string" ? file.file_data : "";
  const pages = pdfPages(data, base64Start(data));
  const text = Math.ceil(data.length / 4);
  return (pages ? Math.min(text, pages * PAGE_TEXT) : text) + Math.max(1, pages) * IMAGE;
}

/**
 * Characters of the text of chat messages (content strings, text and refusal parts, tool and
 * function call arguments), plus 4 per token of their image, audio and file parts.
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
        if (part.type === "input_audio") sum += 4 * audioTokens(part.input_audio);
        if (part.type === "file") sum += 4 * fileTokens(part.file);
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
 * one per token; an image part counts 85 tokens at `detail: "low"`, else 1,536, the most an
 * image at high detail costs; an `input_audio` part 10 tokens a second, its length from a wav
 * header's byte rate (at least 1,000 bytes a second), else at 8 kbit/s; a `file` part 1,536 for
 * each page, at least one, plus its `file_data` characters / 4, at most 1,500 a page when its
 * pages can be counted), plus `max_tokens` or `max_completion_tokens` (times `n`, or `best_of`
 * for completions; NaN or infinite values count as absent). Requests without such fields (e.g.
 * audio uploads) count 0. Media payloads are never decoded whole: a wav header is read from the
 * first characters and PDF pages are counted in the base64 text.
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
  // NaN or an infinite number (never sent: JSON has none) counts as absent, never as NaN.
  const num = (value: unknown, fallback: number) =>
    Number.isFinite(value) ? value as number : fallback;
  const budget = num(params.max_completion_tokens, num(params.max_tokens, 0));
  const copies = num(params.best_of, num(params.n, 1));
  return tokens + Math.max(0, budget) * Math.max(1, copies);
}
