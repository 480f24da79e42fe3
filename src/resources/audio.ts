import type { ClientCore } from "../_internal/core.ts";
import { eachField } from "../_internal/each_field.ts";
import { nameOf, toBlob, uploadProblem } from "../multipart/to_blob.ts";
import { type RequestOptions, SPEECH_API_VERSION } from "../options.ts";
import type {
  SpeechCreateParams,
  Transcription,
  TranscriptionCreateParams,
  TranscriptionCreateParamsNonStreaming,
  TranscriptionCreateParamsStreaming,
  TranscriptionStreamEvent,
  TranscriptionVerbose,
  Translation,
  TranslationCreateParams,
  TranslationVerbose,
} from "../types/audio.ts";
import { unlinkOnEnd } from "../_internal/on_body_end.ts";
import { call, invalid } from "./_call.ts";
import { type APIPromise, apiPromise } from "./api_promise.ts";
import { Stream } from "../streaming/stream.ts";

/**
 * Largest audio upload the service accepts: 25 MB of 1024 × 1024 bytes, counted over the whole
 * multipart request (the file, the other form fields and the wrapping), so the largest file is a
 * few hundred bytes smaller. Uploads whose request would be larger are refused before sending
 * with `UploadTooLargeError`.
 *
 * @example Check a file's size before uploading it
 * ```ts
 * import { MAX_AUDIO_BYTES } from "@aoai/edge";
 * const file = new File([new Uint8Array(480_000)], "meeting.wav", { type: "audio/wav" });
 * console.log(MAX_AUDIO_BYTES); // 26214400 (25 MB)
 * console.log(file.size <= MAX_AUDIO_BYTES); // true: small enough for one request
 * ```
 */
export const MAX_AUDIO_BYTES = 25 * 1024 * 1024;
/**
 * Longest text-to-speech input, in characters (code points: an emoji counts once).
 *
 * @example Split long text into speech-sized parts
 * ```ts
 * import { MAX_SPEECH_INPUT } from "@aoai/edge";
 * const text = "The quick brown fox jumps over the lazy dog 🦊. ".repeat(150); // 7,050 characters
 * // By code point, as the limit counts: text.slice() could cut an emoji in half.
 * const chars = Array.from(text);
 * const parts: string[] = [];
 * for (let i = 0; i < chars.length; i += MAX_SPEECH_INPUT) {
 *   parts.push(chars.slice(i, i + MAX_SPEECH_INPUT).join(""));
 * }
 * console.log(MAX_SPEECH_INPUT, parts.length, parts.join("") === text); // 4096 2 true
 * ```
 */
export const MAX_SPEECH_INPUT = 4096;

/**
 * Uploads audio as multipart form data to `audio/{kind}`; text formats resolve to a string,
 * `stream: true` (transcriptions only) to a `Stream` of events.
 */
function upload(
  core: ClientCore,
  kind: string,
  params: TranscriptionCreateParams | TranslationCreateParams,
  options: RequestOptions | undefined,
): APIPromise<unknown> {
  const op = `audio.${kind}.create`;
  const streamed = (params as TranscriptionCreateParams)?.stream === true;
  return apiPromise(
    call(core, op, `audio/${kind}`, params, options, {
      // No response_format check: newer models add formats (gpt-4o-transcribe-diarize's
      // diarized_json); the service checks it against the deployment's model.
      temperature: [0, 1],
      stream: () =>
        streamed && kind == "translations" &&
        "is not supported: translations do not stream; transcriptions do (gpt-4o-transcribe models)",
      // null leaves the field out, as for every other form field.
      timestamp_granularities: (g) =>
        g != null && !Array.isArray(g) && 'must be an array (e.g. ["word", "segment"])',
      file: uploadProblem,
    }, async (_, model) => {
      const { file, filename: name, ...fields } = params;
      const filename = name ?? nameOf(file);
      if (typeof filename !== "string" || !filename) {
        throw invalid(
          op,
          "filename",
          'is required when file has no name (e.g. "speech.mp3")',
        );
      }
      const body = new FormData();
      // First an empty file of the same name and type, to measure the rest of the request.
      body.append("file", new Blob([], { type: (file as Blob).type }), filename);
      // As the openai SDK's multipart encoding sends them: arrays as `key[]`, objects (e.g.
      // chunking_strategy's server_vad config) one field per member as `key[member]`.
      for (const [key, value] of Object.entries({ ...fields, model })) {
        eachField(key, value, (name, leaf) => leaf != null && body.append(name, String(leaf)));
      }
      // Azure's limit counts the whole request: the other fields and the multipart wrapping too.
      const rest = (await new Response(body).blob()).size;
      body.set(
        "file",
        await toBlob(
          file,
          MAX_AUDIO_BYTES - rest,
          `${op}: params.file (plus the form's ${rest} bytes: at most ${MAX_AUDIO_BYTES} bytes in all)`,
          options?.signal,
        ),
        filename,
      );
      // Text formats answer with plain text; a stream (any format) with events.
      return {
        json: undefined,
        body,
        ...streamed
          ? { stream: true, accept: "text/event-stream" }
          : ["text", "srt", "vtt"].includes(fields.response_format as string) &&
            { accept: "text/plain, */*", read: "text" },
      };
    }),
    // As chat's streams: the stream takes over the link to the caller's signal.
    (result) =>
      streamed
        ? (result.unlink(),
          new Stream(result.response, { ...result, signal: options?.signal, operation: op }))
        : result.data,
  );
}

/**
 * `client.audio.transcriptions`: speech to text in the spoken language.
 *
 * @example Subtitles as SRT text
 * ```ts
 * import { AzureOpenAI, type Transcriptions } from "@aoai/edge";
 * import { createEmulator } from "@aoai/edge/emulator";
 * const emulator = createEmulator(); // a local stand-in for your resource
 * const client = new AzureOpenAI({
 *   endpoint: "http://emulator.local",
 *   apiKey: emulator.apiKey,
 *   fetch: emulator.fetch,
 * });
 * const transcriptions: Transcriptions = client.audio.transcriptions;
 * const file = new File([new Uint8Array(32_000)], "clip.wav");
 * const srt = await transcriptions.create({ model: "whisper", file, response_format: "srt" });
 * console.log(typeof srt); // "string"
 * ```
 */
export class Transcriptions {
  #core: ClientCore;
  /** @internal */
  constructor(core: ClientCore) {
    this.#core = core;
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
   *   file: new Uint8Array(32_000), // e.g. the bytes of hello.wav
   *   filename: "hello.wav",
   * });
   * console.log(res.text);
   * ```
   */
  create(
    params: TranscriptionCreateParamsNonStreaming & { response_format: "text" | "srt" | "vtt" },
    options?: RequestOptions,
  ): APIPromise<string>;
  /** Overload resolving to `TranscriptionVerbose`. */
  create(
    params: TranscriptionCreateParamsNonStreaming & { response_format: "verbose_json" },
    options?: RequestOptions,
  ): APIPromise<TranscriptionVerbose>;
  /** Overload resolving to `Transcription`. */
  create(
    params: TranscriptionCreateParamsNonStreaming & { response_format?: "json" },
    options?: RequestOptions,
  ): APIPromise<Transcription>;
  /**
   * Overload resolving to a `Stream` of {@link TranscriptionStreamEvent}s (gpt-4o-transcribe
   * models): `transcript.text.delta` pieces, then `transcript.text.done` with the whole text and
   * usage. Iterate it, relay it (`toReadableStream()`), or cancel it (`signal`, `abort()`);
   * `streamIdleTimeoutMs` bounds each wait for an event.
   */
  create(
    params: TranscriptionCreateParamsStreaming,
    options?: RequestOptions,
  ): APIPromise<Stream<TranscriptionStreamEvent>>;
  /** Overload resolving to `Transcription | TranscriptionVerbose | string`. */
  create(
    params: TranscriptionCreateParamsNonStreaming,
    options?: RequestOptions,
  ): APIPromise<Transcription | TranscriptionVerbose | string>;
  /** Overload resolving to any of the above. */
  create(
    params: TranscriptionCreateParams,
    options?: RequestOptions,
  ): APIPromise<Transcription | TranscriptionVerbose | string | Stream<TranscriptionStreamEvent>>;
  create(
    params: TranscriptionCreateParams,
    options?: RequestOptions,
  ): APIPromise<Transcription | TranscriptionVerbose | string | Stream<TranscriptionStreamEvent>> {
    return upload(this.#core, "transcriptions", params, options) as APIPromise<Transcription>;
  }
}

/**
 * `client.audio.translations`: speech to English text.
 *
 * @example Translate with details
 * ```ts
 * import { AzureOpenAI, type Translations } from "@aoai/edge";
 * import { createEmulator } from "@aoai/edge/emulator";
 * const emulator = createEmulator(); // a local stand-in for your resource
 * const client = new AzureOpenAI({
 *   endpoint: "http://emulator.local",
 *   apiKey: emulator.apiKey,
 *   fetch: emulator.fetch,
 * });
 * const translations: Translations = client.audio.translations;
 * const file = new File([new Uint8Array(32_000)], "interview.wav");
 * const params = { model: "whisper", file, response_format: "verbose_json" as const };
 * const res = await translations.create(params);
 * console.log(res.language, res.duration > 0); // "english" true
 * ```
 */
export class Translations {
  #core: ClientCore;
  /** @internal */
  constructor(core: ClientCore) {
    this.#core = core;
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
  ): APIPromise<string>;
  /** Overload resolving to `TranslationVerbose`. */
  create(
    params: TranslationCreateParams & { response_format: "verbose_json" },
    options?: RequestOptions,
  ): APIPromise<TranslationVerbose>;
  /** Overload resolving to `Translation`. */
  create(
    params: TranslationCreateParams & { response_format?: "json" },
    options?: RequestOptions,
  ): APIPromise<Translation>;
  /** Overload resolving to `Translation | TranslationVerbose | string`. */
  create(
    params: TranslationCreateParams,
    options?: RequestOptions,
  ): APIPromise<Translation | TranslationVerbose | string>;
  create(
    params: TranslationCreateParams,
    options?: RequestOptions,
  ): APIPromise<Translation | TranslationVerbose | string> {
    return upload(this.#core, "translations", params, options) as APIPromise<Translation>;
  }
}

/**
 * `client.audio.speech`: text to speech.
 *
 * @example Speech as WAV
 * ```ts
 * import { AzureOpenAI, type Speech } from "@aoai/edge";
 * import { createEmulator } from "@aoai/edge/emulator";
 * const emulator = createEmulator(); // a local stand-in for your resource
 * const client = new AzureOpenAI({
 *   endpoint: "http://emulator.local",
 *   apiKey: emulator.apiKey,
 *   fetch: emulator.fetch,
 * });
 * const speech: Speech = client.audio.speech;
 * const res = await speech.create({
 *   model: "tts",
 *   input: "Welcome!",
 *   voice: "nova",
 *   response_format: "wav",
 * });
 * const audio = new Uint8Array(await res.arrayBuffer());
 * console.log(res.headers.get("content-type"), audio.byteLength > 0); // "audio/wav" true
 * ```
 */
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
  create(params: SpeechCreateParams, options?: RequestOptions): APIPromise<Response> {
    const version = this.#core.apiVersion;
    return apiPromise(
      call(
        this.#core,
        "audio.speech.create",
        "audio/speech",
        params,
        options,
        {
          // No response_format check: newer models may add formats.
          speed: [0.25, 4],
          // The limit counts characters (code points), not UTF-16 code units.
          input: (input) =>
            typeof input !== "string" || !input
              ? "must be a non-empty string"
              : input.length > MAX_SPEECH_INPUT && (input = [...input].length) > MAX_SPEECH_INPUT &&
                `has ${input} characters; at most ${MAX_SPEECH_INPUT} (split the text)`,
          // Any name: deployments differ in their voices (gpt-4o-mini-tts has more than the six).
          voice: (voice) =>
            (typeof voice !== "string" || !voice) &&
            `${voice == null ? "is required" : "must be a non-empty string"} (e.g. "alloy")`,
        },
        (deployment) => ({
          // Text-to-speech is served by previews from 2024-02-15-preview on, and by v1.
          apiVersion:
            version === "v1" || /-preview$/.test(version) && version >= "2024-02-15-preview"
              ? version
              : SPEECH_API_VERSION,
          json: { ...params, model: deployment },
          stream: true,
          accept: "*/*",
        }),
      ),
      ({ response, unlink, idleTimeoutMs, controller }) =>
        unlinkOnEnd(
          response,
          options?.signal,
          unlink,
          "audio.speech.create",
          idleTimeoutMs,
          controller,
        ),
    );
  }
}

/**
 * `client.audio`: transcriptions, translations and speech.
 *
 * @example Round-trip text through speech and back
 * ```ts
 * import { type Audio, AzureOpenAI } from "@aoai/edge";
 * import { createEmulator } from "@aoai/edge/emulator";
 * const emulator = createEmulator(); // a local stand-in for your resource
 * const client = new AzureOpenAI({
 *   endpoint: "http://emulator.local",
 *   apiKey: emulator.apiKey,
 *   fetch: emulator.fetch,
 * });
 * async function roundTrip(audio: Audio, text: string): Promise<string> {
 *   const speech = await audio.speech.create({ model: "tts", input: text, voice: "alloy" });
 *   const file = new File([await speech.arrayBuffer()], "speech.mp3");
 *   return (await audio.transcriptions.create({ model: "whisper", file })).text;
 * }
 * console.log(typeof (await roundTrip(client.audio, "Hello"))); // "string"
 * ```
 */
export class Audio {
  /** Speech to text. */
  declare readonly transcriptions: Transcriptions;
  /** Speech to English text. */
  declare readonly translations: Translations;
  /** Text to speech. */
  declare readonly speech: Speech;
  /** @internal */
  constructor(core: ClientCore) {
    this.transcriptions = new Transcriptions(core);
    this.translations = new Translations(core);
    this.speech = new Speech(core);
  }
}
