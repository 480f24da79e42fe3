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

/** Image size. `256x256` and `512x512` are DALL-E 2 only (2024-05-01-preview enum). */
export type ImageSize = "256x256" | "512x512" | "1024x1024" | "1792x1024" | "1024x1792";

/** Image quality (DALL-E 3). */
export type ImageQuality = "standard" | "hd";

/** Image style (DALL-E 3). */
export type ImageStyle = "vivid" | "natural";

/** How generated images are returned. */
export type ImageResponseFormat = "url" | "b64_json";

/**
 * Parameters of a DALL-E 3 image generation. `model` names the deployment.
 *
 * @example Generate one image
 * ```ts
 * import type { ImageGenerateParams } from "./images.ts";
 * const params: ImageGenerateParams = {
 *   model: "dall-e-3",
 *   prompt: "In the style of WordArt, Microsoft Clippy wearing a cowboy hat.",
 *   n: 1,
 *   style: "natural",
 *   quality: "standard",
 * };
 * ```
 */
export interface ImageGenerateParams {
  /** Deployment name; defaults to the client's `deployment`. */
  model?: string;
  /** Description of the image, at most 4000 characters. */
  prompt: string;
  /** Number of images; DALL-E 3 accepts only 1. */
  n?: number;
  /** Image size; `"1024x1024"` when absent. */
  size?: ImageSize;
  /** `"url"` (default) or `"b64_json"`. */
  response_format?: ImageResponseFormat;
  /** End-user identifier for abuse monitoring. */
  user?: string;
  /** Quality; `"standard"` when absent. */
  quality?: ImageQuality;
  /** Style; `"vivid"` when absent. */
  style?: ImageStyle;
}

/** One generated image (`imageResult`). */
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

/** An image generation reply (`generateImagesResponse`). */
export interface ImagesResponse {
  /** Creation time, Unix seconds. */
  created: number;
  /** The images. */
  data: Image[];
}

/** Parameters of a DALL-E 2 preview batch (`POST /openai/images/generations:submit`). */
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

/** Status of a DALL-E 2 operation; `canceled` means it timed out. */
export type ImageOperationStatus =
  | "notRunning"
  | "running"
  | "succeeded"
  | "canceled"
  | "failed"
  | "deleted";

/** The error of a failed DALL-E 2 operation (Azure core error shape). */
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

/** A DALL-E 2 operation (`GET /openai/operations/images/{id}`). */
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

/** The 202 body of `POST /openai/images/generations:submit`. */
export interface ImageSubmitResponse {
  /** Operation ID; poll the `operation-location` header URL. */
  id: string;
  /** Status, usually `"notRunning"`. */
  status: ImageOperationStatus;
  /** Creation time, Unix seconds (sometimes `0` or absent). */
  created?: number;
}
