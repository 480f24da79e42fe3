/**
 * Audio transcription and translation (`POST …/audio/transcriptions|translations`,
 * multipart): checks the `file` field and the 25 MB limit; answers json, verbose_json
 * (segments and/or words), text, srt or vtt with a deterministic transcript.
 *
 * @module
 */

import type { HandlerContext } from "./_context.ts";
import { documented } from "./_guards.ts";
import { fnv1a } from "./_hash.ts";
import { invalidRequest, jsonResponse, missingParam } from "./_response.ts";
import { tokenize } from "./tokens.ts";

/** The service's upload limit for Whisper: 25 MB. */
export const MAX_AUDIO_BYTES = 25 * 1024 * 1024;
const FORMATS = ["json", "text", "srt", "verbose_json", "vtt"];
/**
 * The audio types the service takes, told by the file name's extension: the REST reference lists
 * flac, mp3, mp4, mpeg, mpga, m4a, ogg, wav and webm; the service's message adds oga.
 */
const AUDIO_TYPES = ["flac", "m4a", "mp3", "mp4", "mpeg", "mpga", "oga", "ogg", "wav", "webm"];
/** Whisper's names that differ from the English name of the ISO-639-1 code. */
const LANGUAGES: Record<string, string> = { my: "myanmar", nn: "nynorsk", mi: "maori" };

/** verbose_json's `language`: the language's English name in lower case, as Whisper gives it. */
function languageName(code: string): string {
  if (LANGUAGES[code]) return LANGUAGES[code];
  try {
    return (new Intl.DisplayNames(["en"], { type: "language" }).of(code) ?? code).toLowerCase();
  } catch {
    return code; // not a language code: echoed
  }
}

/** The 413 answered for uploads over {@link MAX_AUDIO_BYTES}; `size` is the bytes read. */
export function audioTooLarge(size: number): Response {
  return invalidRequest(
    "file",
    `Maximum content size limit (${MAX_AUDIO_BYTES}) exceeded (${size} bytes read). Split the audio into files under 25 MB.`,
    "content_size_limit_exceeded",
    413,
  );
}

/**
 * The size check on a request body of `bytes` (from `content-length` before reading, then as
 * read): the service counts the whole request, the multipart envelope included.
 */
export function checkAudioSize(bytes: number): Response | undefined {
  return bytes > MAX_AUDIO_BYTES ? audioTooLarge(bytes) : undefined;
}

/** Seconds of audio in a WAV header, or undefined when `bytes` is not a WAV file. */
export function wavDuration(bytes: Uint8Array): number | undefined {
  if (bytes.length < 12) return undefined;
  const text = (o: number) => String.fromCharCode(...bytes.subarray(o, o + 4));
  if (text(0) !== "RIFF" || text(8) !== "WAVE") return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let byteRate = 0;
  for (let o = 12; o + 8 <= bytes.length;) {
    const id = text(o);
    const size = view.getUint32(o + 4, true);
    if (id === "fmt " && o + 16 <= bytes.length) byteRate = view.getUint32(o + 16, true);
    if (id === "data") return byteRate > 0 ? size / byteRate : undefined;
    o += 8 + size + (size % 2);
  }
  return undefined;
}

function timestamp(seconds: number, sep: "," | "."): string {
  const ms = Math.round(seconds * 1000);
  const h = Math.floor(ms / 3_600_000);
  const m = Math.floor(ms / 60_000) % 60;
  const s = Math.floor(ms / 1000) % 60;
  const pad = (n: number, w = 2) => String(n).padStart(w, "0");
  return `${pad(h)}:${pad(m)}:${pad(s)}${sep}${pad(ms % 1000, 3)}`;
}

interface Timed {
  text: string;
  start: number;
  end: number;
}

/** Spreads `parts` over `duration` seconds in proportion to their length. */
function spread(parts: string[], duration: number): Timed[] {
  const total = parts.reduce((n, p) => n + p.length, 0) || 1;
  let at = 0;
  return parts.map((text) => {
    const start = at;
    at += (duration * text.length) / total;
    return { text, start: round2(start), end: round2(at) };
  });
}

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}

/** Handles transcription (`task` transcribe) and translation (`task` translate). */
export async function handleTranscription(
  ctx: HandlerContext,
  form: FormData,
  task: "transcribe" | "translate",
): Promise<Response> {
  const file = form.get("file");
  if (file === null) return missingParam("file");
  if (typeof file === "string") {
    return invalidRequest(
      "file",
      "'file' must be an uploaded file (a multipart part with a filename), not a text field.",
      "invalid_type",
    );
  }
  if (file.size > MAX_AUDIO_BYTES) return audioTooLarge(file.size);
  // Without a known extension (a Blob sent without a name is named "blob") the service answers
  // "Unrecognized file format" (Azure/azure-sdk-for-net#40780, vercel/ai#8013).
  const ext = /\.([^.]+)$/.exec(file.name)?.[1].toLowerCase();
  if (ext === undefined || !AUDIO_TYPES.includes(ext)) {
    return invalidRequest(
      "file",
      `Unrecognized file format. Supported formats: [${
        AUDIO_TYPES.map((t) => `'${t}'`).join(", ")
      }]`,
    );
  }
  if (file.size === 0) return invalidRequest("file", "The audio file is empty.", "invalid_value");
  const format = String(form.get("response_format") ?? "json");
  if (!FORMATS.includes(format)) {
    return invalidRequest(
      "response_format",
      `'response_format' must be one of ${FORMATS.join(", ")}.`,
    );
  }
  // Both request schemas type temperature as a number (the form field carries its text).
  const temperature = form.get("temperature");
  if (
    temperature !== null &&
    (typeof temperature !== "string" || !temperature.trim() || !isFinite(Number(temperature)))
  ) {
    return invalidRequest("temperature", "'temperature' must be a number.", "invalid_type");
  }
  // Only the transcription request defines timestamp_granularities[], and of the stored documents
  // only 2024-05-01-preview's: elsewhere it is ignored (neither checked nor acted on), as the
  // documents allow other members. Versions without a stored document take it.
  const defined = task !== "translate" &&
    (!documented(ctx.apiVersion) || ctx.apiVersion === "2024-05-01-preview");
  const granularities = !defined ? [] : [
    ...form.getAll("timestamp_granularities[]"),
    ...form.getAll("timestamp_granularities"),
  ].map(String);
  if (granularities.some((g) => g !== "word" && g !== "segment")) {
    return invalidRequest(
      "timestamp_granularities",
      "Each timestamp granularity must be 'word' or 'segment'.",
    );
  }
  if (granularities.length > 0 && format !== "verbose_json") {
    return invalidRequest(
      "timestamp_granularities",
      "timestamp_granularities requires response_format 'verbose_json'.",
    );
  }
  const name = file.name;
  const header = new Uint8Array(await file.slice(0, 4096).arrayBuffer());
  const duration = Math.max(1, round2(wavDuration(header) ?? file.size / 16_000));
  const source = ctx.options.transcript;
  const text = typeof source === "function"
    ? source({ name, size: file.size, type: file.type, task })
    : source ??
      (task === "transcribe"
        ? `The emulator heard ${name}, ${file.size} bytes. This is a deterministic transcript.`
        : `The emulator translated ${name}, ${file.size} bytes, into English. This is a deterministic translation.`);
  const sentences = text.split(/(?<=[.!?])\s+/).filter((s) => s !== "");
  const segments = spread(sentences, duration);
  if (format === "text") return textResponse(`${text}\n`);
  if (format === "srt") {
    return textResponse(
      segments.map((s, i) =>
        `${i + 1}\n${timestamp(s.start, ",")} --> ${timestamp(s.end, ",")}\n${s.text}\n\n`
      ).join(""),
    );
  }
  if (format === "vtt") {
    return textResponse(
      "WEBVTT\n\n" +
        segments.map((s) =>
          `${timestamp(s.start, ".")} --> ${timestamp(s.end, ".")}\n${s.text}\n\n`
        )
          .join(""),
    );
  }
  if (format === "json") return jsonResponse({ text });
  const language = task === "translate"
    ? "english"
    : languageName(String(form.get("language") ?? "en"));
  const body: Record<string, unknown> = { task, language, duration, text };
  if (granularities.length === 0 || granularities.includes("segment")) {
    body.segments = segments.map((s, id) => ({
      id,
      seek: 0,
      start: s.start,
      end: s.end,
      text: ` ${s.text}`,
      tokens: tokenize(s.text).map((t) => 50364 + (fnv1a(t) % 1000)),
      temperature: 0,
      avg_logprob: -0.25,
      compression_ratio: 1.2,
      no_speech_prob: 0.01,
    }));
  }
  if (granularities.includes("word")) {
    const words = text.split(/\s+/).filter((w) => w !== "").map((w) => w.replace(/[.,!?;:]+$/, ""));
    body.words = spread(words, duration).map((w) => ({ word: w.text, start: w.start, end: w.end }));
  }
  return jsonResponse(body);
}

function textResponse(text: string): Response {
  return new Response(text, { headers: { "content-type": "text/plain; charset=utf-8" } });
}
