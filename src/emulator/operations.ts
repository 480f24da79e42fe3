/**
 * The table of deployment operations: path suffix → kind, label, body type, handler.
 *
 * @module
 */

import type { HandlerContext } from "./_context.ts";
import { chatTokenEstimate, handleChat } from "./chat.ts";
import { completionsTokenEstimate, handleCompletions } from "./completions.ts";
import { embeddingTokens, handleEmbeddings } from "./embeddings.ts";
import { handleImages } from "./images.ts";
import { handleSpeech } from "./speech.ts";
import { checkAudioSize, handleTranscription } from "./transcription.ts";
import type { DeploymentKind } from "./options.ts";

/** One operation the emulator serves. */
export interface Operation {
  /** The deployment kind that supports it. */
  kind: DeploymentKind;
  /** Name used in 429 messages and the log, e.g. `ChatCompletions_Create`. */
  label: string;
  /**
   * Name the service's 400 `OperationNotSupported` message uses, e.g. `chatCompletion` ("The
   * chatCompletion operation does not work with the specified model, …").
   */
  name: string;
  /** `json` bodies are parsed as objects; `form` bodies as multipart. */
  body: "json" | "form";
  /** Token estimate for rate limiting. */
  tokens: (body: Record<string, unknown>, apiVersion: string) => number;
  /**
   * Whether the operation exists on a (known) api-version; absent: on every version. On the
   * others the route answers 404 Resource not found, like any path the version lacks.
   */
  inVersion?: (apiVersion: string) => boolean;
  /** Optional size check of the body's bytes (declared, before reading; then as read). */
  checkSize?: (bytes: number) => Response | undefined;
  /** Produces the response. */
  handle: (ctx: HandlerContext, body: Record<string, unknown> | FormData) => Promise<Response>;
}

function json(
  fn: (ctx: HandlerContext, body: Record<string, unknown>) => Response | Promise<Response>,
): Operation["handle"] {
  return (ctx, body) => {
    if (body instanceof FormData) throw new TypeError("expected a JSON body");
    return Promise.resolve(fn(ctx, body));
  };
}

function form(
  fn: (ctx: HandlerContext, body: FormData) => Promise<Response>,
): Operation["handle"] {
  return (ctx, body) => {
    if (!(body instanceof FormData)) throw new TypeError("expected a multipart body");
    return fn(ctx, body);
  };
}

/**
 * Text to speech is in the preview documents from 2024-02-15-preview on (2024-05-01-preview
 * has `/deployments/{deployment-id}/audio/speech`); the GA documents (2024-02-01, 2024-06-01,
 * 2024-10-21) have no such path.
 */
export function speechInVersion(apiVersion: string): boolean {
  return /^\d{4}-\d\d-\d\d-preview$/.test(apiVersion) && apiVersion >= "2024-02-15-preview";
}

/** Operations by path suffix (after `/deployments/{d}/` or `/v1/`). */
export const OPERATIONS: Record<string, Operation> = {
  "chat/completions": {
    kind: "chat",
    label: "ChatCompletions_Create",
    name: "chatCompletion",
    body: "json",
    tokens: chatTokenEstimate,
    handle: json(handleChat),
  },
  "completions": {
    kind: "completions",
    label: "Completions_Create",
    name: "completion",
    body: "json",
    tokens: completionsTokenEstimate,
    handle: json(handleCompletions),
  },
  "images/generations": {
    kind: "images",
    label: "ImageGenerations_Create",
    name: "imageGenerations",
    body: "json",
    tokens: () => 0,
    handle: json(handleImages),
  },
  "audio/transcriptions": {
    kind: "transcription",
    label: "Transcriptions_Create",
    name: "audioTranscription",
    body: "form",
    tokens: () => 0,
    checkSize: checkAudioSize,
    handle: form((ctx, body) => handleTranscription(ctx, body, "transcribe")),
  },
  "audio/translations": {
    kind: "transcription",
    label: "Translations_Create",
    name: "audioTranslation",
    body: "form",
    tokens: () => 0,
    checkSize: checkAudioSize,
    handle: form((ctx, body) => handleTranscription(ctx, body, "translate")),
  },
  "audio/speech": {
    kind: "speech",
    label: "Speech_Create",
    name: "audioSpeech",
    body: "json",
    inVersion: speechInVersion,
    tokens: () => 0,
    handle: json(handleSpeech),
  },
  "embeddings": {
    kind: "embeddings",
    label: "Embeddings_Create",
    name: "embeddings",
    body: "json",
    tokens: embeddingTokens,
    handle: json(handleEmbeddings),
  },
};
