/**
 * Wire types of audio: transcriptions and translations (Whisper,
 * `createTranscriptionRequest` / `createTranslationRequest` / `audioResponse` /
 * `audioVerboseResponse` of `2024-10-21/inference.json`) and speech (TTS,
 * `createSpeechRequest`, 2024-05-01-preview only).
 *
 * @module
 */

/**
 * An audio upload. Bytes are sent as the multipart `file` field; name it with
 * `filename` beside `file` in the params (a `File` carries its own name).
 */
export type AudioFile = Blob | File | Uint8Array | ArrayBuffer | ReadableStream<Uint8Array>;

/**
 * Reply format of transcriptions and translations. `json` and `verbose_json`
 * reply with an object; `text`, `srt` and `vtt` with plain text.
 */
export type AudioResponseFormat = "json" | "verbose_json" | "text" | "srt" | "vtt";

/** Timestamp detail of a verbose transcription. Preview-only (2024-05-01-preview). */
export type TranscriptionTimestampGranularity = "word" | "segment";

/**
 * Parameters of a transcription (multipart form). `model` names the deployment.
 *
 * @example Transcribe bytes
 * ```ts
 * import type { TranscriptionCreateParams } from "./audio.ts";
 * const params: TranscriptionCreateParams = {
 *   model: "whisper",
 *   file: new Uint8Array([82, 73, 70, 70]),
 *   filename: "file.wav",
 *   response_format: "verbose_json",
 *   language: "en",
 * };
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
  /** Reply format; `"json"` when absent. */
  response_format?: AudioResponseFormat;
  /** Sampling temperature, 0 to 1. */
  temperature?: number;
  /**
   * Timestamp detail (needs `verbose_json`); sent as the form field
   * `timestamp_granularities[]`. Preview-only (2024-05-01-preview).
   */
  timestamp_granularities?: TranscriptionTimestampGranularity[];
}

/**
 * Parameters of a translation into English (multipart form).
 *
 * @example Translate a file
 * ```ts
 * import type { TranslationCreateParams } from "./audio.ts";
 * const params: TranslationCreateParams = {
 *   file: new Blob([new Uint8Array([82, 73, 70, 70])]),
 *   filename: "speech.mp3",
 *   response_format: "text",
 * };
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

/** A transcription reply for `json` (`audioResponse`). */
export interface Transcription {
  /** The transcribed text. */
  text: string;
}

/**
 * One segment of a verbose reply (`audioSegment`). The spec marks every field
 * optional; Whisper sends them all.
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

/** One word of a verbose reply (`audioWord`). Preview-only (2024-05-01-preview). */
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

/** A translation reply for `json` (`audioResponse`). */
export interface Translation {
  /** The English text. */
  text: string;
}

/** A translation reply for `verbose_json` (`audioVerboseResponse`). */
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
 */
export type SpeechVoice =
  | "alloy"
  | "echo"
  | "fable"
  | "onyx"
  | "nova"
  | "shimmer"
  | (string & Record<never, never>);

/** TTS audio format. */
export type SpeechResponseFormat = "mp3" | "opus" | "aac" | "flac" | "wav" | "pcm";

/**
 * Parameters of text-to-speech (`createSpeechRequest`, 2024-05-01-preview; sent as
 * JSON although that spec declares a multipart body). The reply is audio bytes.
 *
 * @example Speak a sentence
 * ```ts
 * import type { SpeechCreateParams } from "./audio.ts";
 * const params: SpeechCreateParams = {
 *   model: "tts",
 *   input: "Hi! What are you going to make?",
 *   voice: "fable",
 *   response_format: "mp3",
 * };
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
}
