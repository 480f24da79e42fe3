/**
 * Wire types of image generation: DALL-E 3 (`POST /deployments/{deployment-id}/images/generations`,
 * `imageGenerationsRequest` / `generateImagesResponse` of `2024-10-21/inference.json`) and
 * the DALL-E 2 preview long-running operation (`POST /images/generations:submit`,
 * `GET|DELETE /operations/images/{id}`, api-version 2023-06-01-preview; those paths are
 * in none of the three stored specs, the shapes follow the REST reference and the
 * 2023-09-01-preview examples).
 *
 * @module
 */

import type { ContentFilterResults } from "./common.ts";

/**
 * Image size. `256x256` and `512x512` are DALL-E 2 only (2024-05-01-preview enum);
 * `1536x1024`, `1024x1536` and `auto` are gpt-image-1's; any other string is sent as given
 * (the service checks the size against the deployment's model).
 *
 * @example A landscape image
 * ```ts
 * import type { ImageGenerateParams, ImageSize } from "@aoai/edge";
 * const size: ImageSize = "1792x1024";
 * const params: ImageGenerateParams = { model: "dall-e-3", prompt: "a lighthouse at dusk", size };
 * console.log(params.size?.split("x").map(Number)); // [ 1792, 1024 ]
 * ```
 */
export type ImageSize =
  | "256x256"
  | "512x512"
  | "1024x1024"
  | "1792x1024"
  | "1024x1792"
  | "1536x1024"
  | "1024x1536"
  | "auto"
  | (string & Record<never, never>);

/**
 * Image quality: `standard` / `hd` for DALL-E 3, `low` / `medium` / `high` / `auto` for
 * gpt-image-1.
 *
 * @example Ask for finer detail
 * ```ts
 * import type { ImageGenerateParams, ImageQuality } from "@aoai/edge";
 * const quality: ImageQuality = "hd";
 * const params: ImageGenerateParams = { prompt: "a detailed map of a fantasy city", quality };
 * console.log(params.quality); // "hd"
 * ```
 */
export type ImageQuality = "standard" | "hd" | "low" | "medium" | "high" | "auto";

/**
 * Image style (DALL-E 3). Any other string is sent as given: the spec's enum is open
 * (`x-ms-enum` `modelAsString`), and the service checks it against the deployment's model.
 *
 * @example A more realistic look
 * ```ts
 * import type { ImageGenerateParams, ImageStyle } from "@aoai/edge";
 * const style: ImageStyle = "natural";
 * const params: ImageGenerateParams = { prompt: "a bowl of ripe mangoes on a table", style };
 * console.log(params.style); // "natural"
 * ```
 */
export type ImageStyle = "vivid" | "natural" | (string & Record<never, never>);

/**
 * How generated images are returned. Any other string is sent as given (the spec's enum is
 * open: `x-ms-enum` `modelAsString`).
 *
 * @example Get the image bytes inline
 * ```ts
 * import type { ImageGenerateParams, ImageResponseFormat } from "@aoai/edge";
 * const response_format: ImageResponseFormat = "b64_json"; // URLs expire after 24 hours
 * const params: ImageGenerateParams = { prompt: "a red fox in the snow", response_format };
 * console.log(params.response_format); // "b64_json"
 * ```
 */
export type ImageResponseFormat = "url" | "b64_json" | (string & Record<never, never>);

/**
 * Parameters of an image generation (DALL-E 3 or gpt-image-1). `model` names the deployment.
 *
 * @example Generate one image
 * ```ts
 * import type { ImageGenerateParams } from "@aoai/edge";
 * const params: ImageGenerateParams = {
 *   model: "dall-e-3",
 *   prompt: "In the style of WordArt, Microsoft Clippy wearing a cowboy hat.",
 *   n: 1,
 *   style: "natural",
 *   quality: "standard",
 * };
 * console.log(params.model, params.style, params.quality); // dall-e-3 natural standard
 * ```
 */
export interface ImageGenerateParams {
  /** Deployment name; defaults to the client's `deployment`. */
  model?: string;
  /** Description of the image, at most 4000 characters. */
  prompt: string;
  /** Number of images; DALL-E 3 accepts only 1, gpt-image-1 1 to 10. */
  n?: number;
  /** Image size; `"1024x1024"` when absent. */
  size?: ImageSize;
  /** `"url"` (default) or `"b64_json"`. */
  response_format?: ImageResponseFormat;
  /** End-user identifier for abuse monitoring. */
  user?: string;
  /** Quality; `"standard"` when absent. */
  quality?: ImageQuality;
  /** Style; `"vivid"` when absent (DALL-E 3). */
  style?: ImageStyle;
  /** Image file format (gpt-image-1); `"png"` when absent. */
  output_format?: "png" | "jpeg" | "webp";
  /** Compression, 0 to 100, of a `jpeg` or `webp` image (gpt-image-1). */
  output_compression?: number;
  /** Background (gpt-image-1); `transparent` needs `png` or `webp`. */
  background?: "transparent" | "opaque" | "auto";
  /** Content moderation strictness (gpt-image-1). */
  moderation?: "low" | "auto";
}

/**
 * One generated image (`imageResult`).
 *
 * @example Read a generated image
 * ```ts
 * import type { Image } from "@aoai/edge";
 * const image: Image = {
 *   url: "https://dalletipusw2.blob.core.windows.net/private/images/generated_00.png",
 *   revised_prompt: "A vivid, natural representation of Microsoft Clippy wearing a cowboy hat.",
 *   content_filter_results: { hate: { filtered: false, severity: "safe" } },
 * };
 * console.log(image.url ?? image.b64_json?.slice(0, 16), image.revised_prompt);
 * ```
 */
export interface Image {
  /** Temporary URL of the image (`response_format: "url"`). */
  url?: string;
  /** Base64 of the image (`response_format: "b64_json"`). */
  b64_json?: string;
  /** The prompt after the service revised it (DALL-E 3). */
  revised_prompt?: string;
  /** Content filter results of the image (`dalleContentFilterResults`). */
  content_filter_results?: ContentFilterResults;
  /** Content filter results of the prompt (`dalleFilterResults`). */
  prompt_filter_results?: ContentFilterResults;
}

/**
 * An image generation reply (`generateImagesResponse`).
 *
 * @example Generate an image
 * ```ts
 * import { AzureOpenAI, type ImagesResponse } from "@aoai/edge";
 * import { createEmulator } from "@aoai/edge/emulator";
 * const emulator = createEmulator(); // a local stand-in for your resource
 * const client = new AzureOpenAI({
 *   endpoint: "http://emulator.local",
 *   apiKey: emulator.apiKey,
 *   fetch: emulator.fetch,
 * });
 * const res: ImagesResponse = await client.images.generate({ model: "dall-e-3", prompt: "a fox" });
 * console.log(res.data.length, new Date(res.created * 1000).toISOString(), res.data[0].url);
 * ```
 */
export interface ImagesResponse {
  /** Creation time, Unix seconds. */
  created: number;
  /** The images. */
  data: Image[];
  /** Token usage (gpt-image-1). */
  usage?: ImagesUsage;
  /** The background used (gpt-image-1). */
  background?: "transparent" | "opaque";
  /** The file format of the images (gpt-image-1). */
  output_format?: "png" | "jpeg" | "webp";
  /** The quality used (gpt-image-1). */
  quality?: ImageQuality;
  /** The size used (gpt-image-1). */
  size?: ImageSize;
}

/**
 * Token usage of a gpt-image-1 generation (`usage` of the reply).
 *
 * @example Count the image tokens of a reply
 * ```ts
 * import type { ImagesResponse, ImagesUsage } from "@aoai/edge";
 * const usage: ImagesUsage = {
 *   input_tokens: 50,
 *   input_tokens_details: { text_tokens: 50, image_tokens: 0 },
 *   output_tokens: 4160,
 *   total_tokens: 4210,
 * };
 * const res: ImagesResponse = { created: 1, data: [{ b64_json: "iVBORw0KGgo=" }], usage };
 * console.log(res.usage?.output_tokens); // 4160
 * ```
 */
export interface ImagesUsage {
  /** Tokens of the prompt (text and input images). */
  input_tokens: number;
  /** The prompt's tokens by kind. */
  input_tokens_details?: { text_tokens: number; image_tokens: number };
  /** Tokens of the generated images. */
  output_tokens: number;
  /** Input plus output tokens. */
  total_tokens: number;
}

/**
 * Parameters of a DALL-E 2 preview batch (`POST /openai/images/generations:submit`).
 *
 * @example Four small DALL-E 2 images
 * ```ts
 * import type { ImageSubmitParams } from "@aoai/edge";
 * const params: ImageSubmitParams = { prompt: "a watercolor lighthouse", n: 4, size: "512x512" };
 * console.log(params.n); // 4
 * ```
 */
export interface ImageSubmitParams {
  /** Description of the image, at most 1000 characters. */
  prompt: string;
  /** Number of images, 1 to 5. */
  n?: number;
  /** Image size; `"1024x1024"` when absent. */
  size?: "256x256" | "512x512" | "1024x1024";
  /** End-user identifier for abuse monitoring. */
  user?: string;
}

/**
 * Status of a DALL-E 2 operation; `canceled` means it timed out. Open: the body is handed on
 * as sent, and `generateAndWait()` reads the end statuses in any case and polls on one it does
 * not know, so a status in another case or a newer one is typed too.
 *
 * @example Is the operation over?
 * ```ts
 * import type { ImageOperationStatus } from "@aoai/edge";
 * const ended: ImageOperationStatus[] = ["succeeded", "failed", "canceled", "deleted"];
 * const status: ImageOperationStatus = "running";
 * console.log(ended.includes(status) ? "done" : "poll again"); // "poll again"
 * ```
 */
export type ImageOperationStatus =
  | "notRunning"
  | "running"
  | "succeeded"
  | "canceled"
  | "failed"
  | "deleted"
  | (string & Record<never, never>);

/**
 * The error of a failed DALL-E 2 operation (Azure core error shape).
 *
 * @example Why an operation failed
 * ```ts
 * import type { ImageOperationError } from "@aoai/edge";
 * const error: ImageOperationError = {
 *   code: "contentFilter",
 *   message: "Your task failed as a result of our safety system.",
 * };
 * console.log(`${error.code}: ${error.message}`);
 * // "contentFilter: Your task failed as a result of our safety system."
 * ```
 */
export interface ImageOperationError {
  /** Error code. */
  code: string;
  /** Human-readable message. */
  message: string;
  /** What the error is about. */
  target?: string;
  /** Further errors. */
  details?: ImageOperationError[];
  /** Nested detail. */
  innererror?: { code?: string; [key: string]: unknown };
}

/**
 * A DALL-E 2 operation (`GET /openai/operations/images/{id}`).
 *
 * @example Read a finished operation
 * ```ts
 * import type { ImageOperation } from "@aoai/edge";
 * const op: ImageOperation = {
 *   id: "f508bcf2-e651-4b4b-85a7-58ad77981ffa",
 *   created: 1695160616,
 *   expires: 1695247022,
 *   status: "succeeded",
 *   result: { created: 1695160616, data: [{ url: "https://example.com/0.png" }] },
 * };
 * console.log(op.status === "succeeded" ? op.result?.data[0].url : op.error?.message);
 * // "https://example.com/0.png"
 * ```
 */
export interface ImageOperation {
  /** Operation ID. */
  id: string;
  /** Creation time, Unix seconds. */
  created: number;
  /** When the images are deleted, Unix seconds. */
  expires?: number;
  /** Status. */
  status: ImageOperationStatus;
  /** The images, once `status` is `"succeeded"`. */
  result?: ImagesResponse;
  /** The error, when `status` is `"failed"`. */
  error?: ImageOperationError;
}

/**
 * The 202 body of `POST /openai/images/generations:submit`.
 *
 * @example Keep the id to poll
 * ```ts
 * import type { ImageSubmitResponse } from "@aoai/edge";
 * const submitted: ImageSubmitResponse = {
 *   id: "f508bcf2-e651-4b4b-85a7-58ad77981ffa",
 *   status: "notRunning",
 * };
 * console.log(`operations/images/${submitted.id}`, submitted.status);
 * // "operations/images/f508bcf2-e651-4b4b-85a7-58ad77981ffa" "notRunning"
 * ```
 */
export interface ImageSubmitResponse {
  /** Operation ID; poll the `operation-location` header URL. */
  id: string;
  /** Status, usually `"notRunning"`. */
  status: ImageOperationStatus;
  /** Creation time, Unix seconds (sometimes `0` or absent). */
  created?: number;
}
