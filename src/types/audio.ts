/**
 * Wire types of audio: transcriptions and translations (Whisper,
 * `createTranscriptionRequest` / `createTranslationRequest` / `audioResponse` /
 * `audioVerboseResponse` of `2024-10-21/inference.json`) and speech (TTS,
 * `createSpeechRequest`, 2024-05-01-preview only).
 *
 * @module
 */
import type { UploadInput } from "../multipart/to_blob.ts";

/**
 * An audio upload: any {@link UploadInput} (a Blob or File, bytes, a ReadableStream, a fetch
 * `Response`, a Node or Bun `fs.ReadStream` or another async iterable of chunks). Bytes are sent
 * as the multipart `file` field; name it with `filename` beside `file` in the params (a `File`
 * carries its own name, a Response its URL's last path segment, an fs.ReadStream its path's
 * basename).
 *
 * @example Three ways to pass audio
 * ```ts
 * import type { AudioFile, TranscriptionCreateParams } from "@aoai/edge";
 * const bytes = new Uint8Array([82, 73, 70, 70]); // the first bytes of a .wav file
 * const files: AudioFile[] = [bytes, new Blob([bytes]), new File([bytes], "hello.wav")];
 * const params: TranscriptionCreateParams = { file: files[0], filename: "hello.wav" };
 * console.log(files.length, params.filename); // 3 "hello.wav"
 * ```
 */
export type AudioFile = UploadInput;

/**
 * Reply format of transcriptions and translations. `json` and `verbose_json`
 * reply with an object; `text`, `srt` and `vtt` with plain text.
 *
 * @example Subtitles as SRT text
 * ```ts
 * import { type AudioResponseFormat, AzureOpenAI } from "@aoai/edge";
 * import { createEmulator } from "@aoai/edge/emulator";
 * const emulator = createEmulator(); // a local stand-in for your resource
 * const client = new AzureOpenAI({
 *   endpoint: "http://emulator.local",
 *   apiKey: emulator.apiKey,
 *   fetch: emulator.fetch,
 * });
 * const response_format: AudioResponseFormat = "srt";
 * const file = new File([new Uint8Array(32_000)], "hello.wav");
 * const srt = await client.audio.transcriptions
 *   .create({ model: "whisper", file, response_format });
 * console.log(srt.split("\n")[1]); // "00:00:00,000 --> 00:00:01,090"
 * ```
 */
export type AudioResponseFormat = "json" | "verbose_json" | "text" | "srt" | "vtt";

/**
 * Timestamp detail of a verbose transcription. Preview-only (2024-05-01-preview). Any other
 * string is sent as given, for granularities newer models add.
 *
 * @example Ask for word timings
 * ```ts
 * import type { TranscriptionCreateParams, TranscriptionTimestampGranularity } from "@aoai/edge";
 * const granularities: TranscriptionTimestampGranularity[] = ["word", "segment"];
 * const params: TranscriptionCreateParams = {
 *   file: new Uint8Array([82, 73, 70, 70]),
 *   filename: "hello.wav",
 *   response_format: "verbose_json",
 *   timestamp_granularities: granularities,
 * };
 * console.log(params.timestamp_granularities); // [ "word", "segment" ]
 * ```
 */
export type TranscriptionTimestampGranularity =
  | "word"
  | "segment"
  | (string & Record<never, never>);

/**
 * Parameters of a transcription (multipart form). `model` names the deployment.
 *
 * @example Transcribe bytes
 * ```ts
 * import type { TranscriptionCreateParams } from "@aoai/edge";
 * const params: TranscriptionCreateParams = {
 *   model: "whisper",
 *   file: new Uint8Array([82, 73, 70, 70]),
 *   filename: "file.wav",
 *   response_format: "verbose_json",
 *   language: "en",
 * };
 * console.log(params.filename, params.response_format); // file.wav verbose_json
 * ```
 */
export interface TranscriptionCreateParams {
  /** The audio. */
  file: AudioFile;
  /** File name sent with the upload (its extension tells the format). */
  filename?: string;
  /** Deployment name; defaults to the client's `deployment`. */
  model?: string;
  /** ISO-639-1 language of the audio. */
  language?: string;
  /** Text to guide the style or continue a previous segment (same language). */
  prompt?: string;
  /**
   * Reply format; `"json"` when absent. gpt-4o-transcribe models take `json` and `text`;
   * gpt-4o-transcribe-diarize also `diarized_json` (an object with speaker segments).
   */
  response_format?: AudioResponseFormat | "diarized_json";
  /** Sampling temperature, 0 to 1. */
  temperature?: number;
  /**
   * Timestamp detail (needs `verbose_json`); sent as the form field
   * `timestamp_granularities[]`. Preview-only (2024-05-01-preview).
   */
  timestamp_granularities?: TranscriptionTimestampGranularity[];
  /** More to return: `"logprobs"` (gpt-4o-transcribe models); sent as `include[]`. */
  include?: "logprobs"[];
  /**
   * `true`: the reply is a stream of {@link TranscriptionStreamEvent}s (gpt-4o-transcribe
   * models; Whisper deployments answer 400), sent as the form field `stream`.
   */
  stream?: boolean | null;
  /**
   * How the audio is cut into chunks (gpt-4o-transcribe models; gpt-4o-transcribe-diarize needs
   * it for audio over 30 s): `"auto"`, or server-side voice activity detection, sent as the
   * fields `chunking_strategy[type]`, `chunking_strategy[threshold]`, ... as the openai SDK does.
   */
  chunking_strategy?: "auto" | {
    /** Server-side voice activity detection. */
    type: "server_vad";
    /** Milliseconds of audio kept before detected speech. */
    prefix_padding_ms?: number;
    /** Milliseconds of silence that end speech. */
    silence_duration_ms?: number;
    /** Activation threshold, 0 to 1 (higher needs louder audio). */
    threshold?: number;
  };
}

/**
 * Parameters of a streamed transcription: `stream: true`.
 *
 * @example Ask for a stream
 * ```ts
 * import type { TranscriptionCreateParamsStreaming } from "@aoai/edge";
 * const params: TranscriptionCreateParamsStreaming = {
 *   model: "gpt-4o-transcribe",
 *   file: new File([new Uint8Array(32_000)], "call.wav"),
 *   stream: true,
 * };
 * console.log(params.stream); // true
 * ```
 */
export type TranscriptionCreateParamsStreaming = TranscriptionCreateParams & { stream: true };

/**
 * Parameters of a transcription answered in one reply: `stream` absent, `false` or `null`.
 *
 * @example A plain transcription
 * ```ts
 * import type { TranscriptionCreateParamsNonStreaming } from "@aoai/edge";
 * const params: TranscriptionCreateParamsNonStreaming = {
 *   model: "whisper",
 *   file: new File([new Uint8Array(32_000)], "call.wav"),
 * };
 * console.log(params.stream ?? false); // false
 * ```
 */
export type TranscriptionCreateParamsNonStreaming = TranscriptionCreateParams & {
  stream?: false | null;
};

/**
 * Parameters of a translation into English (multipart form).
 *
 * @example Translate a file
 * ```ts
 * import type { TranslationCreateParams } from "@aoai/edge";
 * const params: TranslationCreateParams = {
 *   file: new Blob([new Uint8Array([82, 73, 70, 70])]),
 *   filename: "speech.mp3",
 *   response_format: "text",
 * };
 * console.log(params.filename, params.response_format); // speech.mp3 text
 * ```
 */
export interface TranslationCreateParams {
  /** The audio. */
  file: AudioFile;
  /** File name sent with the upload (its extension tells the format). */
  filename?: string;
  /** Deployment name; defaults to the client's `deployment`. */
  model?: string;
  /** Text to guide the style (in English). */
  prompt?: string;
  /** Reply format; `"json"` when absent. */
  response_format?: AudioResponseFormat;
  /** Sampling temperature, 0 to 1. */
  temperature?: number;
}

/**
 * A transcription reply for `json` (`audioResponse`).
 *
 * @example Read the text
 * ```ts
 * import type { Transcription } from "@aoai/edge";
 * const res: Transcription = { text: "Hello, how are you today?" };
 * console.log(res.text.split(" ").length); // 5
 * ```
 */
export interface Transcription {
  /** The transcribed text. */
  text: string;
  /** Log probabilities of the text's tokens (`include: ["logprobs"]`, gpt-4o-transcribe models). */
  logprobs?: TranscriptionLogprob[];
  /** What the request was billed for (gpt-4o-transcribe models: tokens). */
  usage?: TranscriptionUsage;
}

/**
 * The log probability of one token of a transcript (`include: ["logprobs"]`).
 *
 * @example The probability of a token
 * ```ts
 * import type { TranscriptionLogprob } from "@aoai/edge";
 * const lp: TranscriptionLogprob = { token: "Hello", bytes: [72, 101, 108, 108, 111], logprob: 0 };
 * console.log(Math.exp(lp.logprob ?? -Infinity)); // 1
 * ```
 */
export interface TranscriptionLogprob {
  /** The token. */
  token?: string;
  /** Its UTF-8 bytes. */
  bytes?: number[];
  /** Its log probability. */
  logprob?: number;
}

/**
 * Usage of a transcription: tokens (gpt-4o-transcribe models) or seconds of audio.
 *
 * @example Tokens billed
 * ```ts
 * import type { TranscriptionUsage } from "@aoai/edge";
 * const usage: TranscriptionUsage = {
 *   type: "tokens",
 *   input_tokens: 14,
 *   input_token_details: { text_tokens: 0, audio_tokens: 14 },
 *   output_tokens: 45,
 *   total_tokens: 59,
 * };
 * const billed = (u: TranscriptionUsage) => u.type === "tokens" ? u.total_tokens : u.seconds;
 * console.log(billed(usage)); // 59
 * ```
 */
export type TranscriptionUsage = {
  /** Billed by tokens. */
  type: "tokens";
  /** Input tokens billed. */
  input_tokens: number;
  /** Of the input tokens, audio and text (the prompt). */
  input_token_details?: { audio_tokens?: number; text_tokens?: number };
  /** Tokens generated. */
  output_tokens: number;
  /** Input plus output tokens. */
  total_tokens: number;
} | {
  /** Billed by the audio's duration. */
  type: "duration";
  /** Seconds of audio. */
  seconds: number;
};

/**
 * A piece of a streamed transcript; the pieces joined make the text.
 *
 * @example Join the pieces
 * ```ts
 * import type { TranscriptionTextDeltaEvent } from "@aoai/edge";
 * const events: TranscriptionTextDeltaEvent[] = [
 *   { type: "transcript.text.delta", delta: "Hello" },
 *   { type: "transcript.text.delta", delta: " world." },
 * ];
 * console.log(events.map((e) => e.delta).join("")); // "Hello world."
 * ```
 */
export interface TranscriptionTextDeltaEvent {
  /** Always `"transcript.text.delta"`. */
  type: "transcript.text.delta";
  /** The text added. */
  delta: string;
  /** Log probabilities of the delta's tokens (`include: ["logprobs"]`). */
  logprobs?: TranscriptionLogprob[];
  /** The diarized segment the delta belongs to (gpt-4o-transcribe-diarize). */
  segment_id?: string;
}

/**
 * The last event of a streamed transcript: the whole text, with the usage.
 *
 * @example Read the totals
 * ```ts
 * import type { TranscriptionTextDoneEvent } from "@aoai/edge";
 * const done: TranscriptionTextDoneEvent = {
 *   type: "transcript.text.done",
 *   text: "Hello world.",
 *   usage: { type: "tokens", input_tokens: 20, output_tokens: 3, total_tokens: 23 },
 * };
 * console.log(done.text, done.usage?.total_tokens); // "Hello world." 23
 * ```
 */
export interface TranscriptionTextDoneEvent {
  /** Always `"transcript.text.done"`. */
  type: "transcript.text.done";
  /** The whole transcript. */
  text: string;
  /** Log probabilities of its tokens (`include: ["logprobs"]`). */
  logprobs?: TranscriptionLogprob[];
  /** Tokens billed. */
  usage?: Extract<TranscriptionUsage, { type: "tokens" }>;
}

/**
 * A finished segment of a diarized stream (gpt-4o-transcribe-diarize with
 * `response_format: "diarized_json"`): who spoke, when.
 *
 * @example Caption a segment
 * ```ts
 * import type { TranscriptionTextSegmentEvent } from "@aoai/edge";
 * const s: TranscriptionTextSegmentEvent = {
 *   type: "transcript.text.segment",
 *   id: "seg_0",
 *   start: 0,
 *   end: 1.5,
 *   speaker: "A",
 *   text: "Hello.",
 * };
 * console.log(`${s.speaker}: ${s.text}`); // "A: Hello."
 * ```
 */
export interface TranscriptionTextSegmentEvent {
  /** Always `"transcript.text.segment"`. */
  type: "transcript.text.segment";
  /** The segment's id (deltas name it in `segment_id`). */
  id: string;
  /** Start, seconds. */
  start: number;
  /** End, seconds. */
  end: number;
  /** Speaker label. */
  speaker: string;
  /** The segment's text. */
  text: string;
}

/**
 * An event of a streamed transcription (`audio.transcriptions.create({ stream: true })`):
 * deltas, diarized segments, then `transcript.text.done`.
 *
 * @example Stream a transcript
 * ```ts
 * import { AzureOpenAI, type TranscriptionStreamEvent } from "@aoai/edge";
 * import { createEmulator } from "@aoai/edge/emulator";
 * const emulator = createEmulator({
 *   deployments: [{ name: "gpt-4o-transcribe", model: "gpt-4o-transcribe" }],
 * });
 * const client = new AzureOpenAI({
 *   endpoint: "http://emulator.local",
 *   apiKey: emulator.apiKey,
 *   fetch: emulator.fetch,
 * });
 * const stream = await client.audio.transcriptions.create({
 *   model: "gpt-4o-transcribe",
 *   file: new File([new Uint8Array(32_000)], "call.wav"),
 *   stream: true,
 * });
 * let text = "";
 * for await (const event of stream as AsyncIterable<TranscriptionStreamEvent>) {
 *   if (event.type === "transcript.text.delta") text += event.delta;
 *   else if (event.type === "transcript.text.done") console.log(text === event.text); // true
 * }
 * ```
 */
export type TranscriptionStreamEvent =
  | TranscriptionTextDeltaEvent
  | TranscriptionTextSegmentEvent
  | TranscriptionTextDoneEvent;

/**
 * One segment of a verbose reply (`audioSegment`). The spec marks every field
 * optional; Whisper sends them all.
 *
 * @example Caption timing of a segment
 * ```ts
 * import type { TranscriptionSegment } from "@aoai/edge";
 * const segment: TranscriptionSegment = {
 *   id: 0,
 *   seek: 0,
 *   start: 0,
 *   end: 2.4,
 *   text: " Hello, how are you today?",
 *   tokens: [50364, 2425, 11, 577, 366, 291, 965, 30, 50484],
 *   temperature: 0,
 *   avg_logprob: -0.21,
 *   compression_ratio: 0.79,
 *   no_speech_prob: 0.01,
 * };
 * console.log(`${segment.start}s-${segment.end}s:${segment.text}`);
 * // "0s-2.4s: Hello, how are you today?"
 * ```
 */
export interface TranscriptionSegment {
  /** Segment identifier. */
  id: number;
  /** Seek offset of the segment. */
  seek: number;
  /** Start time, seconds. */
  start: number;
  /** End time, seconds. */
  end: number;
  /** Segment text. */
  text: string;
  /** Token IDs of the text. */
  tokens: number[];
  /** Temperature used. */
  temperature: number;
  /** Average log probability. */
  avg_logprob: number;
  /** Compression ratio. */
  compression_ratio: number;
  /** Probability of no speech. */
  no_speech_prob: number;
}

/**
 * One word of a verbose reply (`audioWord`). Preview-only (2024-05-01-preview).
 *
 * @example Duration of a word
 * ```ts
 * import type { TranscriptionWord } from "@aoai/edge";
 * const word: TranscriptionWord = { word: "Hello", start: 0, end: 0.42 };
 * console.log(word.word, word.end - word.start); // "Hello" 0.42
 * ```
 */
export interface TranscriptionWord {
  /** The word. */
  word: string;
  /** Start time, seconds. */
  start: number;
  /** End time, seconds. */
  end: number;
}

/**
 * A transcription reply for `verbose_json` (`audioVerboseResponse`). The spec marks
 * only `text` required; `task`, `language` and `duration` come with every
 * verbose_json reply.
 *
 * @example Transcribe with word timings
 * ```ts
 * import { AzureOpenAI, type TranscriptionVerbose } from "@aoai/edge";
 * import { createEmulator } from "@aoai/edge/emulator";
 * const emulator = createEmulator(); // a local stand-in for your resource
 * const client = new AzureOpenAI({
 *   endpoint: "http://emulator.local",
 *   apiKey: emulator.apiKey,
 *   fetch: emulator.fetch,
 *   apiVersion: "2024-05-01-preview", // its document defines timestamp_granularities
 * });
 * const file = new File([new Uint8Array(32_000)], "hello.wav");
 * const res: TranscriptionVerbose = await client.audio.transcriptions.create({
 *   model: "whisper",
 *   file,
 *   response_format: "verbose_json",
 *   timestamp_granularities: ["word"],
 * });
 * console.log(res.task, res.duration, res.words?.[0]);
 * // "transcribe" 2 { word: "The", start: 0, end: 0.09 }
 * ```
 */
export interface TranscriptionVerbose {
  /** Always `"transcribe"`. */
  task: "transcribe";
  /** Detected or given language. */
  language: string;
  /** Audio duration, seconds. */
  duration: number;
  /** The transcribed text. */
  text: string;
  /** Segments with timings. */
  segments?: TranscriptionSegment[];
  /** Words with timings (`timestamp_granularities: ["word"]`). Preview-only. */
  words?: TranscriptionWord[];
}

/**
 * A translation reply for `json` (`audioResponse`).
 *
 * @example Read the English text
 * ```ts
 * import type { Translation } from "@aoai/edge";
 * const res: Translation = { text: "Good morning, everyone." };
 * console.log(res.text); // "Good morning, everyone."
 * ```
 */
export interface Translation {
  /** The English text. */
  text: string;
}

/**
 * A translation reply for `verbose_json` (`audioVerboseResponse`).
 *
 * @example Source language and length of a translation
 * ```ts
 * import type { TranslationVerbose } from "@aoai/edge";
 * const res: TranslationVerbose = {
 *   task: "translate",
 *   language: "german",
 *   duration: 1.9,
 *   text: "Good morning, everyone.",
 * };
 * console.log(`${res.language}, ${res.duration}s: ${res.text}`);
 * // "german, 1.9s: Good morning, everyone."
 * ```
 */
export interface TranslationVerbose {
  /** Always `"translate"`. */
  task: "translate";
  /** Language of the input audio. */
  language: string;
  /** Audio duration, seconds. */
  duration: number;
  /** The English text. */
  text: string;
  /** Segments with timings. */
  segments?: TranscriptionSegment[];
}

/**
 * A TTS voice: the spec's six, or any other name the deployment knows (newer ones such as
 * gpt-4o-mini-tts also have `ash`, `ballad`, `coral`, `sage`, `verse`, ...).
 *
 * @example Pick a voice
 * ```ts
 * import type { SpeechCreateParams, SpeechVoice } from "@aoai/edge";
 * const voice: SpeechVoice = "nova";
 * const params: SpeechCreateParams = { model: "tts", input: "Your order has shipped.", voice };
 * console.log(params.voice); // "nova"
 * ```
 */
export type SpeechVoice =
  | "alloy"
  | "echo"
  | "fable"
  | "onyx"
  | "nova"
  | "shimmer"
  | "ash"
  | "ballad"
  | "coral"
  | "sage"
  | "verse"
  | "marin"
  | "cedar"
  | (string & Record<never, never>);

/**
 * TTS audio format. Any other string is sent as given, for formats newer models add.
 *
 * @example Content type of each format
 * ```ts
 * import type { SpeechResponseFormat } from "@aoai/edge";
 * const types: Record<SpeechResponseFormat, string> = {
 *   mp3: "audio/mpeg",
 *   opus: "audio/opus",
 *   aac: "audio/aac",
 *   flac: "audio/flac",
 *   wav: "audio/wav",
 *   pcm: "audio/pcm",
 * };
 * console.log(types.opus); // "audio/opus"
 * ```
 */
export type SpeechResponseFormat =
  | "mp3"
  | "opus"
  | "aac"
  | "flac"
  | "wav"
  | "pcm"
  | (string & Record<never, never>);

/**
 * Parameters of text-to-speech (`createSpeechRequest`, 2024-05-01-preview; sent as
 * JSON although that spec declares a multipart body). The reply is audio bytes.
 *
 * @example Speak a sentence
 * ```ts
 * import type { SpeechCreateParams } from "@aoai/edge";
 * const params: SpeechCreateParams = {
 *   model: "tts",
 *   input: "Hi! What are you going to make?",
 *   voice: "fable",
 *   response_format: "mp3",
 * };
 * console.log(params.voice, params.input.length); // fable 31
 * ```
 */
export interface SpeechCreateParams {
  /** Deployment name; defaults to the client's `deployment`. */
  model?: string;
  /** Text to speak, at most 4096 characters. */
  input: string;
  /** Voice. */
  voice: SpeechVoice;
  /** Audio format; `"mp3"` when absent. */
  response_format?: SpeechResponseFormat;
  /** Speed, 0.25 to 4.0; 1.0 when absent. */
  speed?: number;
  /** How to speak: tone, accent, pace (gpt-4o-mini-tts). */
  instructions?: string;
  /** `"audio"` (the bytes, the default) or `"sse"` (server-sent events; gpt-4o-mini-tts). */
  stream_format?: "audio" | "sse";
}
