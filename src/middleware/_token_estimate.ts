/**
 * A rough request token estimate, as Azure's rate limiter counts them before the call: about
 * one token per 4 characters of prompt text, plus the completion budget.
 * @module
 */
import { containerSeconds, runSteps } from "./_audio_duration.ts";

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

/** The fewest bytes a second audio is counted at (8 kbit/s, the lowest MP3 bitrate). */
const FLOOR_RATE = 1000;

/**
 * Bytes of audio read to find its length, from where its ID3v2 tag ends ({@link audioStart}):
 * an MP3 frame header after up to 200 bytes of zero padding, and the Xing / Info frame count in
 * the frame after it; a wav header.
 */
export const AUDIO_WINDOW = 256;

/** Layer III bitrates in kbit/s by bitrate index: MPEG-1, then MPEG-2 and 2.5. */
const MP3_KBPS = [
  [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320],
  [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160],
];

/**
 * Where the audio of a file starts: after an ID3v2 tag (and its footer) when `head`, its first 10
 * bytes (a character a byte), is one's header, else 0.
 */
export function audioStart(head: string): number {
  if (!/^ID3[^\xff]{2}[^][\0-\x7f]{4}$/.test(head)) return 0;
  // The tag's size after its header: 4 bytes of 7 bits (syncsafe).
  let size = 0;
  for (let i = 6; i < 10; i++) size = size * 128 + head.charCodeAt(i);
  return 10 + size + (head.charCodeAt(5) & 0x10 ? 10 : 0);
}

/**
 * Seconds of an MP3 (MPEG Layer III) of `bytes` bytes whose first frame header starts `header`
 * (after zero padding): by the Xing / Info or Fraunhofer VBRI frame count when its first frame
 * has one (a VBR file's first frame gives a bitrate for the tag, not for the audio), else at the
 * frame's bitrate, never at more than the highest bitrate of its MPEG version. NaN when no valid
 * header is there.
 */
function mp3Seconds(bytes: number, header: string): number {
  let at = 0;
  while (at < AUDIO_WINDOW - 64 && header.charCodeAt(at) === 0) at++;
  const [b0, b1, b2, b3] = [0, 1, 2, 3].map((i) => header.charCodeAt(at + i));
  const version = b1 >> 3 & 3; // 3: MPEG-1, 2: MPEG-2, 0: MPEG-2.5, 1: reserved
  const kbps = MP3_KBPS[version === 3 ? 0 : 1];
  const rate = [[11025, 12000, 8000], [], [22050, 24000, 16000], [44100, 48000, 32000]][version]
    ?.[b2 >> 2 & 3];
  // Sync, Layer III, a bitrate (not free format or the invalid index 15), a sample rate.
  if (b0 !== 0xff || (b1 & 0xe6) !== 0xe2 || !kbps[b2 >> 4] || !rate) return NaN;
  // The Xing / Info tag follows the side information (and a CRC): 17 or 32 bytes for MPEG-1
  // (mono, else), 9 or 17 for MPEG-2 and 2.5.
  const side = (version === 3 ? [32, 17] : [17, 9])[+(b3 >> 6 === 3)];
  const xing = at + 4 + (b1 & 1 ? 0 : 2) + side;
  const word = (i: number) =>
    header.charCodeAt(i) * 16777216 + (header.charCodeAt(i + 1) << 16 |
      header.charCodeAt(i + 2) << 8 | header.charCodeAt(i + 3));
  const fastest = bytes / (kbps[14] * 125);
  // VBRI (Fraunhofer's encoder) sits 32 bytes after the frame header; its frame count at 14.
  const vbri = at + 36;
  const frames = /^(Xing|Info)$/.test(header.slice(xing, xing + 4)) && word(xing + 4) & 1
    ? word(xing + 8)
    : header.slice(vbri, vbri + 4) === "VBRI"
    ? word(vbri + 14)
    : 0;
  if (frames > 0) return Math.max(fastest, frames * (version === 3 ? 1152 : 576) / rate);
  return bytes / (kbps[b2 >> 4] * 125);
}

/** The highest byte rate a header may claim (192 kHz 16-bit stereo PCM): a floor of seconds. */
const MOST_BYTE_RATE = 384_000;

/**
 * Seconds of a FLAC file of `bytes` bytes whose `header` starts with "fLaC" and its STREAMINFO
 * block (which the format puts first): its total samples over its sample rate, never fewer than
 * the samples' PCM byte rate (at most {@link MOST_BYTE_RATE}) allows for `bytes`. NaN when the
 * header is not one, or does not know its total (0).
 */
function flacSeconds(bytes: number, header: string): number {
  // The block header: type 0 (STREAMINFO), last or not, 34 bytes long.
  if (!/^fLaC[\0\x80]\0\0"/.test(header)) return NaN;
  const c = (i: number) => header.charCodeAt(8 + i);
  // From byte 10 of STREAMINFO: rate (20 bits), channels - 1 (3), bits - 1 (5), samples (36).
  const rate = c(10) << 12 | c(11) << 4 | c(12) >> 4;
  const pcm = rate * ((c(12) >> 1 & 7) + 1) * (((c(12) & 1) << 4 | c(13) >> 4) + 1) / 8;
  const samples = (c(13) & 15) * 2 ** 32 + c(14) * 16777216 + (c(15) << 16 | c(16) << 8 | c(17));
  return samples && rate ? Math.max(samples / rate, bytes / Math.min(pcm, MOST_BYTE_RATE)) : NaN;
}

/**
 * Tokens of `bytes` of audio whose bytes from `start` ({@link audioStart}) are `header` (at
 * least its first {@link AUDIO_WINDOW}, a character a byte): 10 a second (OpenAI: user audio is
 * one token per 100 ms). Its length is `container` seconds when a number (a container's,
 * {@link containerSeconds}), never fewer than {@link MOST_BYTE_RATE} allows for `bytes`, else
 * read from a wav header's byte rate, a FLAC STREAMINFO block's total samples and sample rate, or
 * from an MP3's first frame (its bitrate, or its Xing / Info or VBRI frame count), else counted at
 * 1,000 bytes a second (8 kbit/s, the lowest MP3 bitrate), so other compressed audio is
 * over-counted, never under; no header can make it count more than that. Also the edge app's
 * estimate of a token-billed transcription's upload.
 */
export function audioBytesTokens(
  bytes: number,
  header: string,
  start = 0,
  container = NaN,
): number {
  const most = bytes / FLOOR_RATE;
  let seconds = most;
  if (container >= 0) seconds = Math.max(container, bytes / MOST_BYTE_RATE);
  // RIFF/WAVE with its fmt chunk first (as writers put it): the byte rate is at offset 28.
  else if (!start && /^RIFF[^]{4}WAVEfmt /.test(header)) {
    const r = header.charCodeAt(28) + (header.charCodeAt(29) << 8) +
      header.charCodeAt(30) * 65536 + header.charCodeAt(31) * 16777216;
    seconds = bytes / Math.min(r, MOST_BYTE_RATE);
  } else if (header.startsWith("fLaC")) seconds = flacSeconds(bytes - start, header);
  else seconds = mp3Seconds(bytes - start, header);
  // A rate below the fallback's (0 or absurd) would count more than no header does.
  return Math.ceil((seconds < most ? seconds : most) * 10);
}

/** Bytes `offset` to `offset + length` of base64 `data` from `start`, a character a byte. */
function base64Slice(data: string, start: number, offset: number, length: number): string {
  const from = start + Math.floor(offset / 3) * 4;
  try {
    return atob(data.slice(from, from + Math.ceil((offset % 3 + length) / 3) * 4))
      .slice(offset % 3, offset % 3 + length);
  } catch {
    return ""; // not base64
  }
}

/**
 * Tokens of an uploaded audio file ({@link audioBytesTokens}): only its first 10 bytes and
 * {@link AUDIO_WINDOW} bytes after its ID3v2 tag are read, and a container's headers
 * ({@link containerSeconds}: box and element headers, an Ogg file's last 65,307 bytes).
 */
export async function blobAudioTokens(file: Blob): Promise<number> {
  const read = async (offset: number, length: number) => {
    const bytes = new Uint8Array(await file.slice(offset, offset + length).arrayBuffer());
    let text = "";
    // In pieces: an engine takes only so many arguments.
    for (let i = 0; i < bytes.length; i += 8192) {
      text += String.fromCharCode(...bytes.subarray(i, i + 8192));
    }
    return text;
  };
  const start = audioStart(await read(0, 10));
  const header = await read(start, AUDIO_WINDOW);
  let seconds = NaN;
  if (!start) {
    const steps = containerSeconds(file.size, header);
    let step = steps.next("");
    while (!step.done) step = steps.next(await read(...step.value));
    seconds = step.value;
  }
  return audioBytesTokens(file.size, header, start, seconds);
}

/** Tokens of an `input_audio` part ({@link audioBytesTokens}): only its headers are decoded. */
function audioTokens(audio: unknown): number {
  const data = isRecord(audio) && audio.data;
  if (typeof data !== "string") return 0;
  const start = base64Start(data);
  const bytes = base64Bytes(data, start);
  const head = base64Slice(data, start, 0, 10);
  const from = audioStart(head);
  const header = base64Slice(data, start, from, AUDIO_WINDOW);
  const seconds = from ? NaN : runSteps(
    containerSeconds(bytes, header),
    (offset, length) => base64Slice(data, start, offset, length),
  );
  return audioBytesTokens(bytes, header, from, seconds);
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
 * header's byte rate, a FLAC STREAMINFO block, an MP3's first frame (its bitrate, or its Xing /
 * Info or VBRI frame count; after an ID3v2 tag), an MP4's `mvhd`, an Ogg Opus or Vorbis file's
 * last granule position or a WebM's Info Duration, at least 1,000 bytes a second, else at 8
 * kbit/s; a `file` part 1,536 for each page, at least one, plus its `file_data` characters / 4,
 * at most 1,500 a page when its pages can be counted), plus `max_tokens` or
 * `max_completion_tokens` (times `n`, or `best_of` for completions; NaN or infinite values count
 * as absent). Requests without such fields (e.g. audio uploads) count 0. Media payloads are never decoded whole: an audio header is read from
 * at most 266 bytes (a container's from its box or element headers, 16 bytes at a time, and an
 * Ogg file's last 65,307) and PDF pages are counted in the base64 text.
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
