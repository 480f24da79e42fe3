import type { ClientCore } from "../_internal/core.ts";
import { toBlob } from "../multipart/to_blob.ts";
import { type RequestOptions, SPEECH_API_VERSION } from "../options.ts";
import type {
  SpeechCreateParams,
  Transcription,
  TranscriptionCreateParams,
  TranscriptionVerbose,
  Translation,
  TranslationCreateParams,
  TranslationVerbose,
} from "../types/audio.ts";
import { checkOneOf, checkParams, checkRange, invalid } from "./_validate.ts";

/** Largest audio upload the service accepts (25 MB). */
export const MAX_AUDIO_BYTES = 25 * 1024 * 1024;
/** Longest text-to-speech input, in characters. */
export const MAX_SPEECH_INPUT = 4096;

const TEXT_FORMATS = ["text", "srt", "vtt"];
const FORMATS = ["json", "verbose_json", ...TEXT_FORMATS];

type AudioParams = TranscriptionCreateParams | TranslationCreateParams;

async function uploadForm(op: string, params: AudioParams, deployment: string, v1: boolean) {
  const file = params.file as unknown;
  if (file === undefined || file === null) {
    throw invalid(
      op,
      "file",
      "is required: pass the audio as Blob, File, Uint8Array, ArrayBuffer or ReadableStream",
    );
  }
  const named = typeof (file as { name?: unknown }).name === "string"
    ? (file as { name: string }).name
    : undefined;
  const filename = params.filename ?? named;
  if (!filename) {
    throw invalid(
      op,
      "filename",
      'is required when file has no name (e.g. "speech.mp3"): the service detects the format from it',
    );
  }
  const blob = await toBlob(file as Blob, MAX_AUDIO_BYTES, `${op}: params.file`);
  const form = new FormData();
  form.append("file", blob, filename);
  for (const [key, value] of Object.entries(params)) {
    if (key === "file" || key === "filename" || value === undefined || value === null) continue;
    if (key === "model" && !v1) continue;
    if (key === "model") {
      form.append("model", deployment);
      continue;
    }
    if (Array.isArray(value)) { for (const item of value) form.append(`${key}[]`, String(item)); }
    else form.append(key, String(value));
  }
  if (v1 && !form.has("model")) form.append("model", deployment);
  return form;
}

function checkAudio(op: string, params: AudioParams): void {
  checkParams(op, params);
  const p = params as unknown as Record<string, unknown>;
  checkOneOf(op, p, "response_format", FORMATS);
  checkRange(op, p, "temperature", 0, 1);
  const granularities = p.timestamp_granularities;
  if (granularities !== undefined) {
    if (
      !Array.isArray(granularities) ||
      granularities.some((g) => g !== "word" && g !== "segment")
    ) {
      throw invalid(op, "timestamp_granularities", 'must be an array of "word" and/or "segment"');
    }
  }
}

class AudioUpload {
  #core: ClientCore;
  #op: string;
  #path: string;
  constructor(core: ClientCore, op: string, path: string) {
    this.#core = core;
    this.#op = op;
    this.#path = path;
  }
  async run(params: AudioParams, options?: RequestOptions): Promise<unknown> {
    checkAudio(this.#op, params);
    const deployment = this.#core.resolveDeployment(params.model, this.#op);
    const v1 = (options?.apiVersion ?? this.#core.apiVersion) === "v1";
    const form = await uploadForm(this.#op, params, deployment, v1);
    const format = params.response_format ?? "json";
    const { response } = await this.#core.send({
      operation: this.#op,
      method: "POST",
      scope: "deployment",
      path: this.#path,
      deployment,
      body: form,
      params,
      accept: TEXT_FORMATS.includes(format) ? "text/plain, */*" : "application/json",
      options,
    });
    return TEXT_FORMATS.includes(format) ? await response.text() : await response.json();
  }
}

/** `client.audio.transcriptions`: speech to text in the spoken language. */
export class Transcriptions {
  #upload: AudioUpload;
  /** @internal */
  constructor(core: ClientCore) {
    this.#upload = new AudioUpload(core, "audio.transcriptions.create", "audio/transcriptions");
  }
  /**
   * Transcribes audio (≤ 25 MB). `json` / `verbose_json` give objects; `text` / `srt` / `vtt`
   * give a string.
   *
   * @example Transcribe bytes
   * ```ts
   * import { AzureOpenAI } from "@aoai/edge";
   * import { createEmulator } from "@aoai/edge/emulator";
   * const emulator = createEmulator(); // a local stand-in for your resource
   * const client = new AzureOpenAI({
   *   endpoint: "http://emulator.local",
   *   apiKey: emulator.apiKey,
   *   fetch: emulator.fetch,
   * });
   * const res = await client.audio.transcriptions.create({
   *   model: "whisper",
   *   file: new Uint8Array(32_000), // e.g. await Deno.readFile("hello.wav")
   *   filename: "hello.wav",
   * });
   * console.log(res.text);
   * ```
   */
  create(
    params: TranscriptionCreateParams & { response_format: "text" | "srt" | "vtt" },
    options?: RequestOptions,
  ): Promise<string>;
  /** Overload resolving to `TranscriptionVerbose`. */
  create(
    params: TranscriptionCreateParams & { response_format: "verbose_json" },
    options?: RequestOptions,
  ): Promise<TranscriptionVerbose>;
  /** Overload resolving to `Transcription`. */
  create(
    params: TranscriptionCreateParams & { response_format?: "json" },
    options?: RequestOptions,
  ): Promise<Transcription>;
  /** Overload resolving to `Transcription | TranscriptionVerbose | string`. */
  create(
    params: TranscriptionCreateParams,
    options?: RequestOptions,
  ): Promise<Transcription | TranscriptionVerbose | string>;
  create(
    params: TranscriptionCreateParams,
    options?: RequestOptions,
  ): Promise<Transcription | TranscriptionVerbose | string> {
    return this.#upload.run(params, options) as Promise<Transcription>;
  }
}

/** `client.audio.translations`: speech to English text. */
export class Translations {
  #upload: AudioUpload;
  /** @internal */
  constructor(core: ClientCore) {
    this.#upload = new AudioUpload(core, "audio.translations.create", "audio/translations");
  }
  /**
   * Translates audio (≤ 25 MB) into English text.
   *
   * @example Translate to English
   * ```ts
   * import { AzureOpenAI } from "@aoai/edge";
   * import { createEmulator } from "@aoai/edge/emulator";
   * const emulator = createEmulator(); // a local stand-in for your resource
   * const client = new AzureOpenAI({
   *   endpoint: "http://emulator.local",
   *   apiKey: emulator.apiKey,
   *   fetch: emulator.fetch,
   * });
   * const file = new File([new Uint8Array(16_000)], "a.wav");
   * const res = await client.audio.translations.create({ model: "whisper", file });
   * console.log(res.text);
   * ```
   */
  create(
    params: TranslationCreateParams & { response_format: "text" | "srt" | "vtt" },
    options?: RequestOptions,
  ): Promise<string>;
  /** Overload resolving to `TranslationVerbose`. */
  create(
    params: TranslationCreateParams & { response_format: "verbose_json" },
    options?: RequestOptions,
  ): Promise<TranslationVerbose>;
  /** Overload resolving to `Translation`. */
  create(
    params: TranslationCreateParams & { response_format?: "json" },
    options?: RequestOptions,
  ): Promise<Translation>;
  /** Overload resolving to `Translation | TranslationVerbose | string`. */
  create(
    params: TranslationCreateParams,
    options?: RequestOptions,
  ): Promise<Translation | TranslationVerbose | string>;
  create(
    params: TranslationCreateParams,
    options?: RequestOptions,
  ): Promise<Translation | TranslationVerbose | string> {
    return this.#upload.run(params, options) as Promise<Translation>;
  }
}

/** api-versions that serve text-to-speech (previews from 2024-02-15-preview on, and v1). */
function speechVersion(clientVersion: string): string {
  if (clientVersion === "v1") return clientVersion;
  return /-preview$/.test(clientVersion) && clientVersion >= "2024-02-15-preview"
    ? clientVersion
    : SPEECH_API_VERSION;
}

/** `client.audio.speech`: text to speech. */
export class Speech {
  #core: ClientCore;
  /** @internal */
  constructor(core: ClientCore) {
    this.#core = core;
  }
  /**
   * Synthesises speech; resolves to the `Response` so the audio streams to you.
   *
   * @example Synthesise speech
   * ```ts
   * import { AzureOpenAI } from "@aoai/edge";
   * import { createEmulator } from "@aoai/edge/emulator";
   * const emulator = createEmulator(); // a local stand-in for your resource
   * const client = new AzureOpenAI({
   *   endpoint: "http://emulator.local",
   *   apiKey: emulator.apiKey,
   *   fetch: emulator.fetch,
   * });
   * const res = await client.audio.speech.create({ model: "tts", input: "Hello", voice: "alloy" });
   * const audio = new Uint8Array(await res.arrayBuffer()); // or pipe res.body to a file
   * console.log(res.headers.get("content-type"), audio.byteLength);
   * ```
   */
  async create(params: SpeechCreateParams, options?: RequestOptions): Promise<Response> {
    const op = "audio.speech.create";
    checkParams(op, params);
    const deployment = this.#core.resolveDeployment(params.model, op);
    const p = params as unknown as Record<string, unknown>;
    if (typeof params.input !== "string" || params.input === "") {
      throw invalid(op, "input", "must be a non-empty string");
    }
    if (params.input.length > MAX_SPEECH_INPUT) {
      throw invalid(
        op,
        "input",
        `has ${params.input.length} characters; at most ${MAX_SPEECH_INPUT} (split the text)`,
      );
    }
    checkOneOf(op, p, "voice", ["alloy", "echo", "fable", "onyx", "nova", "shimmer"]);
    if (p.voice === undefined) throw invalid(op, "voice", 'is required (e.g. "alloy")');
    checkOneOf(op, p, "response_format", ["mp3", "opus", "aac", "flac", "wav", "pcm"]);
    checkRange(op, p, "speed", 0.25, 4);
    const apiVersion = speechVersion(this.#core.apiVersion);
    const body: Record<string, unknown> = { ...p, model: deployment };
    const { response } = await this.#core.send({
      operation: op,
      method: "POST",
      scope: "deployment",
      path: "audio/speech",
      deployment,
      apiVersion,
      json: body,
      params,
      stream: true,
      accept: "*/*",
      options,
    });
    return response;
  }
}

/** `client.audio`: transcriptions, translations and speech. */
export class Audio {
  /** Speech to text. */
  readonly transcriptions: Transcriptions;
  /** Speech to English text. */
  readonly translations: Translations;
  /** Text to speech. */
  readonly speech: Speech;
  /** @internal */
  constructor(core: ClientCore) {
    this.transcriptions = new Transcriptions(core);
    this.translations = new Translations(core);
    this.speech = new Speech(core);
  }
}
