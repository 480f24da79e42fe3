/**
 * Audio transcription and translation (`POST …/audio/transcriptions|translations`,
 * multipart): checks the `file` field, the 25 MB limit, one part per one-value field, and
 * `temperature` between 0 and 1; answers json, verbose_json
 * (segments and/or words), text, srt or vtt with a deterministic transcript. Deployments of
 * gpt-4o-transcribe / gpt-4o-mini-transcribe take json (with include[]=logprobs) and text;
 * gpt-4o-transcribe-diarize takes json, text and diarized_json. Those three models also stream
 * (`stream=true`): `transcript.text.delta` events whose deltas make the text, then
 * `transcript.text.done` with the text and the token usage, which their json replies carry too;
 * Whisper deployments answer 400 to `stream=true`.
 *
 * @module
 */

import type { HandlerContext } from "./_context.ts";
import { documented } from "./_guards.ts";
import { fnv1a } from "./_hash.ts";
import { invalidRequest, isRecord, jsonResponse, missingParam } from "./_response.ts";
import { chatLogprobs } from "./reply.ts";
import { sseResponse } from "./sse_stream.ts";
import { tokenize } from "./tokens.ts";

/** The service's upload limit for Whisper: 25 MB. */
export const MAX_AUDIO_BYTES = 25 * 1024 * 1024;
const FORMATS = ["json", "text", "srt", "verbose_json", "vtt"];
/**
 * The audio types the service takes, told by the file name's extension: the REST reference lists
 * flac, mp3, mp4, mpeg, mpga, m4a, ogg, wav and webm; the service's message adds oga.
 */
const AUDIO_TYPES = ["flac", "m4a", "mp3", "mp4", "mpeg", "mpga", "oga", "ogg", "wav", "webm"];
/** The one-value fields of the transcription request; the translation's are all but language. */
const ONE_VALUE = ["file", "prompt", "response_format", "temperature", "language"];
/** Whisper's names that differ from the English name of the ISO-639-1 code. */
const LANGUAGES: Record<string, string> = { my: "myanmar", nn: "nynorsk", mi: "maori" };

/**
 * verbose_json's `language`: the English name, in lower case, of the tag's base language, as
 * Whisper gives it (en-US is "english", not Intl's "american english"; zh-Hant is "chinese").
 */
function languageName(tag: string): string {
  try {
    const code = new Intl.Locale(tag).language;
    return LANGUAGES[code] ??
      (new Intl.DisplayNames(["en"], { type: "language" }).of(code) ?? code).toLowerCase();
  } catch {
    return tag; // not a language tag: echoed
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

/**
 * The gpt-4o transcription models, which answer unlike Whisper: "diarize" for
 * gpt-4o-transcribe-diarize, "gpt-4o" for gpt-4o-transcribe and gpt-4o-mini-transcribe (dated
 * names too); undefined for Whisper.
 */
function modelFamily(model: string): "gpt-4o" | "diarize" | undefined {
  const m = model.toLowerCase();
  if (!m.startsWith("gpt-") || !m.includes("transcribe")) return undefined;
  return m.includes("diarize") ? "diarize" : "gpt-4o";
}

/** Whether a chunking_strategy field is 'auto' or server_vad (as its [type] member or JSON). */
function isStrategy(value: FormDataEntryValue): boolean {
  if (typeof value !== "string") return false;
  if (value === "auto" || value === "server_vad") return true;
  try {
    const parsed = JSON.parse(value);
    return parsed === "auto" || (isRecord(parsed) && parsed.type === "server_vad");
  } catch {
    return false;
  }
}

/** Handles transcription (`task` transcribe) and translation (`task` translate). */
export async function handleTranscription(
  ctx: HandlerContext,
  form: FormData,
  task: "transcribe" | "translate",
): Promise<Response> {
  // The request schemas' one-value fields (timestamp_granularities[] is their one array): sent
  // twice, the form is no body they describe; sent as a file, a text field is of the wrong type.
  for (const name of task === "translate" ? ONE_VALUE.slice(0, -1) : ONE_VALUE) {
    const values = form.getAll(name);
    if (values.length > 1) {
      return invalidRequest(
        name,
        `'${name}' must be sent once; the form has ${values.length} '${name}' parts.`,
      );
    }
    if (name !== "file" && typeof values[0] === "object") {
      return invalidRequest(
        name,
        `'${name}' must be a text field, not a file part.`,
        "invalid_type",
      );
    }
  }
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
  const model = ctx.deployment.model;
  const family = modelFamily(model);
  if (family) {
    // The service's answer to verbose_json on these models (openai/openai-dotnet#401; on Azure,
    // Azure/azure-rest-api-specs#38741 for gpt-4o-transcribe-diarize). The SDK's response_format
    // doc: json only for gpt-4o(-mini)-transcribe (the service also takes text, as its message
    // says); json, text and diarized_json for gpt-4o-transcribe-diarize.
    const allowed = family === "diarize" ? ["json", "text", "diarized_json"] : ["json", "text"];
    if (!allowed.includes(format)) {
      const names = allowed.map((f) => `'${f}'`);
      return invalidRequest(
        "response_format",
        `response_format '${format}' is not compatible with model '${model}'. Use ${
          names.slice(0, -1).join(", ")
        } or ${names[names.length - 1]} instead.`,
        "unsupported_value",
      );
    }
  } else if (!FORMATS.includes(format)) {
    return invalidRequest(
      "response_format",
      `'response_format' must be one of ${FORMATS.join(", ")}.`,
    );
  }
  // The SDK's `stream` doc: "Streaming is not supported for the whisper-1 model"; Azure answers
  // a Whisper deployment's stream=true with a 400.
  const stream = form.get("stream") === "true";
  if (stream && (!family || task === "translate")) {
    return invalidRequest(
      "stream",
      `Streaming is not supported for model '${model}'${
        task === "translate" ? " on translations" : ""
      }.`,
      "unsupported_value",
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
  // Its range: "between 0 and 1" in both schemas' descriptions of every stored document and in
  // the REST reference (the documents write no minimum / maximum).
  if (temperature !== null && (Number(temperature) < 0 || Number(temperature) > 1)) {
    return invalidRequest(
      "temperature",
      `'temperature' must be between 0 and 1 (got ${temperature}).`,
    );
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
  // chunking_strategy (the SDK's TranscriptionCreateParams): 'auto' or a server_vad object, which
  // the SDK's multipart encoding sends as chunking_strategy[type]=server_vad, [threshold]=...
  const strategy = form.get("chunking_strategy") ?? form.get("chunking_strategy[type]");
  if (strategy !== null && !isStrategy(strategy)) {
    return invalidRequest(
      "chunking_strategy",
      "'chunking_strategy' must be 'auto' or an object with type 'server_vad'.",
    );
  }
  const include = [...form.getAll("include[]"), ...form.getAll("include")].map(String);
  if (family === "diarize") {
    // The SDK's TranscriptionCreateParams: include "not supported when using
    // gpt-4o-transcribe-diarize", prompt likewise, timestamp_granularities "not available for
    // gpt-4o-transcribe-diarize", and chunking_strategy "Required when using
    // gpt-4o-transcribe-diarize for inputs longer than 30 seconds".
    const unsupported = include.length > 0
      ? "include"
      : (form.get("prompt") ?? "") !== ""
      ? "prompt"
      : form.has("timestamp_granularities[]") || form.has("timestamp_granularities")
      ? "timestamp_granularities"
      : undefined;
    if (unsupported) {
      return invalidRequest(
        unsupported,
        `'${unsupported}' is not supported with model '${model}'.`,
        "unsupported_parameter",
      );
    }
    if (strategy === null && duration > 30) {
      return invalidRequest(
        "chunking_strategy",
        `'chunking_strategy' is required with model '${model}' for audio longer than 30 seconds (${duration} s).`,
      );
    }
  }
  const source = ctx.options.transcript;
  const text = typeof source === "function"
    ? source({ name, size: file.size, type: file.type, task })
    : source ??
      (task === "transcribe"
        ? `The emulator heard ${name}, ${file.size} bytes. This is a deterministic transcript.`
        : `The emulator translated ${name}, ${file.size} bytes, into English. This is a deterministic translation.`);
  const sentences = text.split(/(?<=[.!?])\s+/).filter((s) => s !== "");
  const segments = spread(sentences, duration);
  // The SDK's Transcription.logprobs: "Only returned with the models gpt-4o-transcribe and
  // gpt-4o-mini-transcribe if logprobs is added to the include array" (json only; and streams).
  const logprobs = family === "gpt-4o" && include.includes("logprobs") &&
      (stream || format === "json")
    ? chatLogprobs(tokenize(text), 0).map(({ token, bytes, logprob }) => ({
      token,
      bytes,
      logprob,
    }))
    : undefined;
  // Token usage, as the gpt-4o-transcribe models report it (Transcription.Tokens).
  const usage = family && tokenUsage(duration, String(form.get("prompt") ?? ""), text);
  const speakers = () => {
    // The SDK's TranscriptionDiarized and TranscriptionDiarizedSegment: speakers are the
    // known_speaker_names[] given, otherwise A, B, ...
    const names = [...form.getAll("known_speaker_names[]"), ...form.getAll("known_speaker_names")]
      .map(String);
    return segments.map((s, i) => ({
      type: "transcript.text.segment",
      id: `seg_${i}`,
      start: s.start,
      end: s.end,
      speaker: names.length > 0 ? names[i % names.length] : String.fromCharCode(65 + (i % 2)),
      text: s.text,
    }));
  };
  if (stream) {
    return sseResponse(
      ctx,
      transcriptEvents(
        text,
        ctx.options.chunkSize,
        logprobs,
        usage as Record<string, unknown>,
        family === "diarize" ? speakers() : undefined,
        format === "diarized_json",
      ),
      true,
    );
  }
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
  if (format === "json") {
    // The SDK's include doc: logprobs "only works with response_format set to json and only with
    // the models gpt-4o-transcribe, gpt-4o-mini-transcribe"; Transcription.Logprob is
    // { token, bytes, logprob }. Whisper ignores it. The gpt-4o models add their usage (the
    // service's reply: { text, usage: { type: "tokens", input_tokens, input_token_details,
    // output_tokens, total_tokens } }, as in openai/openai-dotnet#819).
    return jsonResponse({ text, logprobs, usage: usage || undefined });
  }
  if (format === "diarized_json") {
    return jsonResponse({ task: "transcribe", duration, text, segments: speakers(), usage });
  }
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

/**
 * The token usage of a gpt-4o transcription: audio tokens at 10 a second (OpenAI's audio input
 * rate, one token per 100 ms), the prompt's text tokens, and the transcript's tokens as output.
 */
function tokenUsage(duration: number, prompt: string, text: string): Record<string, unknown> {
  const audio = Math.ceil(duration * 10);
  const promptTokens = tokenize(prompt).length;
  const input = audio + promptTokens;
  const output = tokenize(text).length;
  return {
    type: "tokens",
    input_tokens: input,
    input_token_details: { text_tokens: promptTokens, audio_tokens: audio },
    output_tokens: output,
    total_tokens: input + output,
  };
}

/**
 * The events of a streamed transcription (the SDK's TranscriptionStreamEvent): deltas of
 * `chunkSize` tokens that join into `text` (each with its tokens' logprobs when asked; with its
 * segment's id for gpt-4o-transcribe-diarize, whose `diarized_json` stream also sends each
 * segment once its deltas are out), then `transcript.text.done` with the text, logprobs and
 * usage.
 */
function* transcriptEvents(
  text: string,
  chunkSize: number,
  logprobs: Record<string, unknown>[] | undefined,
  usage: Record<string, unknown>,
  segments: Record<string, unknown>[] | undefined,
  segmentEvents: boolean,
): Generator<Record<string, unknown>> {
  // The text cut after each sentence's trailing blanks: the pieces join into the text exactly.
  const pieces = segments ? text.split(/(?<=[.!?]\s+)(?=\S)/) : [text];
  let at = 0;
  for (const [i, piece] of pieces.entries()) {
    const tokens = tokenize(piece);
    for (let k = 0; k < tokens.length; k += chunkSize) {
      yield {
        type: "transcript.text.delta",
        delta: tokens.slice(k, k + chunkSize).join(""),
        logprobs: logprobs?.slice(at + k, at + k + chunkSize),
        segment_id: segments?.[Math.min(i, segments.length - 1)].id,
      };
    }
    at += tokens.length;
    if (segmentEvents && segments?.[i]) yield segments[i];
  }
  yield { type: "transcript.text.done", text, logprobs, usage };
}

function textResponse(text: string): Response {
  return new Response(text, { headers: { "content-type": "text/plain; charset=utf-8" } });
}
