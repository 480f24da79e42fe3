/**
 * Image generation (`POST …/images/generations`) for DALL-E 3, DALL-E 2 and gpt-image-*
 * deployments, and the emulator's image file route (`GET /emulator/images/{id}.png`).
 *
 * @module
 */

import type { HandlerContext } from "./_context.ts";
import { encodeBase64 } from "./_base64.ts";
import { checkNotNull, documented } from "./_guards.ts";
import { fnv1a } from "./_hash.ts";
import { invalidRequest, jsonResponse, missingParam, resourceNotFound } from "./_response.ts";
import {
  dalleContentFilterResults,
  dallePromptFilterResults,
  imagePromptFilteredError,
} from "./content_filter.ts";
import { checkNumber, checkType } from "./chat_validate.ts";
import { countTokens } from "./tokens.ts";
import { seededPng } from "./png.ts";

const DALLE3_SIZES = ["1024x1024", "1792x1024", "1024x1792"];
const DALLE2_SIZES = ["256x256", "512x512", "1024x1024"];
/**
 * gpt-image-* (Azure's how-to "Azure OpenAI image generation models",
 * learn.microsoft.com/azure/ai-foundry/openai/how-to/dall-e: 1024x1024, 1024x1536, 1536x1024,
 * qualities low / medium / high with high the default, n 1 to 10, base64 output only, no URL
 * option, `response_format` not supported; `auto` size and quality, `output_format`,
 * `output_compression`, `background`, `moderation` and the 32000-character prompt as the openai
 * SDK's ImageGenerateParams lists them for the GPT image models).
 */
const GPT_IMAGE_SIZES = ["1024x1024", "1536x1024", "1024x1536", "auto"];
const GPT_IMAGE_QUALITIES = ["low", "medium", "high", "auto"];
/**
 * Output tokens of one gpt-image-1 image by quality and size (OpenAI's image generation guide,
 * "Cost and latency": square, portrait, landscape).
 */
const GPT_IMAGE_TOKENS: Record<string, number[]> = {
  low: [272, 408, 400],
  medium: [1056, 1584, 1568],
  high: [4160, 6240, 6208],
};
/** The api-versions whose document's `imageSize` enum lists only the DALL-E 3 sizes. */
const DALLE3_ONLY_SIZE_VERSIONS = ["2024-02-01", "2024-10-21"];

/** The path (under the emulator's origin) of the image for `seed`. */
export function imagePath(seed: number): string {
  return `/emulator/images/${seed.toString(16).padStart(8, "0")}.png`;
}

/** Serves `GET /emulator/images/{id}.png` (no auth, like a SAS blob URL). */
export function handleImageFile(name: string): Response {
  const m = /^([0-9a-f]{8})\.png$/.exec(name);
  if (!m) return resourceNotFound();
  const png = seededPng(parseInt(m[1], 16));
  return new Response(png, {
    headers: { "content-type": "image/png", "content-length": String(png.length) },
  });
}

/** Seeds of the `n` images for `prompt` in a request. */
export function imageSeeds(prompt: string, n: number, salt: string): number[] {
  return Array.from({ length: n }, (_, i) => fnv1a(`${salt}:${i}:${prompt}`));
}

/**
 * Checks `prompt`, `n`, `size` and `user` shared by sync and async generation. On a version of
 * {@link DALLE3_ONLY_SIZE_VERSIONS} DALL-E 2 takes only the size the enum shares, 1024x1024.
 */
export function checkImageBody(
  body: Record<string, unknown>,
  model: "dall-e-2" | "dall-e-3" | "gpt-image",
  maxN: number,
  apiVersion = "",
): Response | undefined {
  if (body.prompt === undefined || body.prompt === null) return missingParam("prompt");
  if (typeof body.prompt !== "string" || body.prompt === "") {
    return invalidRequest("prompt", "'prompt' must be a non-empty string.");
  }
  const maxLen = model === "gpt-image" ? 32000 : model === "dall-e-3" ? 4000 : 1000;
  if (body.prompt.length > maxLen) {
    return invalidRequest(
      "prompt",
      `'prompt' is too long: at most ${maxLen} characters for ${model}.`,
    );
  }
  const n = body.n ?? 1;
  if (typeof n !== "number" || !Number.isInteger(n) || n < 1 || n > maxN) {
    return invalidRequest(
      "n",
      maxN === 1
        ? `${model} supports only n=1${
          model === "dall-e-2" ? ` on api-version ${apiVersion}` : ""
        }; make one request per image.`
        : `'n' must be an integer between 1 and ${maxN}.`,
    );
  }
  const sizes = model === "gpt-image"
    ? GPT_IMAGE_SIZES
    : model === "dall-e-3"
    ? DALLE3_SIZES
    : DALLE3_ONLY_SIZE_VERSIONS.includes(apiVersion)
    ? ["1024x1024"]
    : DALLE2_SIZES;
  if (body.size !== undefined && body.size !== null && !sizes.includes(body.size as string)) {
    const where = sizes.length === 1 ? ` (api-version ${apiVersion})` : "";
    return invalidRequest(
      "size",
      `'size' must be one of ${sizes.join(", ")} for ${model}${where}.`,
    );
  }
  return checkType(body, "user", "string");
}

/** Checks `name` against `values` when given. */
function checkEnum(body: Record<string, unknown>, name: string, values: string[]) {
  const v = body[name];
  return v !== undefined && v !== null && !values.includes(v as string)
    ? invalidRequest(name, `'${name}' must be one of ${values.join(", ")}.`)
    : undefined;
}

/** Handles a sync image generation request on a deployment. */
export function handleImages(ctx: HandlerContext, body: Record<string, unknown>): Response {
  // Model names are read case-insensitively, as kindOfModel() does.
  const name = ctx.deployment.model.toLowerCase();
  if (name.startsWith("gpt-image")) return handleGptImage(ctx, body);
  const model = name.startsWith("dall-e-2") ? "dall-e-2" : "dall-e-3";
  // The stored documents' imageGenerationsRequest sets `n` maximum 1 for every model.
  const maxN = model === "dall-e-3" || documented(ctx.apiVersion) ? 1 : 10;
  // The request schema's quality and style enums hold for every model (DALL-E 2 included); null
  // is the default where no stored document refuses it.
  const invalid = checkNotNull("images", body, ctx.apiVersion) ??
    checkImageBody(body, model, maxN, ctx.apiVersion) ??
    checkEnum(body, "quality", ["standard", "hd"]) ??
    checkEnum(body, "style", ["vivid", "natural"]);
  if (invalid) return invalid;
  const format = body.response_format ?? "url";
  if (format !== "url" && format !== "b64_json") {
    return invalidRequest("response_format", "'response_format' must be 'url' or 'b64_json'.");
  }
  const prompt = body.prompt as string;
  const revised = `${prompt} (rendered by the aoai-edge emulator)`;
  const trigger = ctx.options.contentFilterTrigger;
  if (trigger !== "" && prompt.includes(trigger)) {
    return imagePromptFilteredError(ctx.apiVersion, model === "dall-e-3" ? revised : undefined);
  }
  const seeds = imageSeeds(prompt, typeof body.n === "number" ? body.n : 1, ctx.deployment.name);
  return jsonResponse({
    created: ctx.created,
    data: seeds.map((seed) => {
      const item: Record<string, unknown> = format === "url"
        ? { url: `${ctx.url.origin}${imagePath(seed)}` }
        : { b64_json: encodeBase64(seededPng(seed)) };
      if (model === "dall-e-3") item.revised_prompt = revised;
      item.prompt_filter_results = dallePromptFilterResults(ctx.apiVersion);
      item.content_filter_results = dalleContentFilterResults();
      return item;
    }),
  });
}

/**
 * A gpt-image-* generation: base64 PNGs only (the emulator encodes no JPEG or WebP), with the
 * reply's `usage`, `size`, `quality`, `background` and `output_format` as the SDK's
 * ImagesResponse gives them for the GPT image models; no `revised_prompt`.
 */
function handleGptImage(ctx: HandlerContext, body: Record<string, unknown>): Response {
  const invalid = checkNotNull("images", body, ctx.apiVersion) ??
    checkImageBody(body, "gpt-image", 10, ctx.apiVersion) ??
    checkEnum(body, "quality", GPT_IMAGE_QUALITIES) ??
    checkEnum(body, "background", ["transparent", "opaque", "auto"]) ??
    checkEnum(body, "moderation", ["low", "auto"]) ??
    checkEnum(body, "output_format", ["png", "jpeg", "webp"]) ??
    checkNumber(body, "output_compression", 0, 100, true);
  if (invalid) return invalid;
  if (body.response_format !== undefined && body.response_format !== "b64_json") {
    return invalidRequest(
      "response_format",
      `'response_format' is not supported for ${ctx.deployment.model}, which returns images only as base64 (b64_json).`,
    );
  }
  const format = body.output_format ?? "png";
  if (format !== "png") {
    return invalidRequest(
      "output_format",
      `The emulator cannot encode '${format}' (deployment ${ctx.deployment.name}); ask for png.`,
      "unsupported_value",
    );
  }
  const prompt = body.prompt as string;
  if (
    ctx.options.contentFilterTrigger !== "" && prompt.includes(ctx.options.contentFilterTrigger)
  ) {
    return imagePromptFilteredError(ctx.apiVersion, undefined);
  }
  const size = !body.size || body.size === "auto" ? "1024x1024" : body.size as string;
  const quality = !body.quality || body.quality === "auto" ? "high" : body.quality as string;
  const n = typeof body.n === "number" ? body.n : 1;
  const input = countTokens(prompt);
  const output = n * GPT_IMAGE_TOKENS[quality][GPT_IMAGE_SIZES.indexOf(size)];
  return jsonResponse({
    created: ctx.created,
    background: body.background === "transparent" ? "transparent" : "opaque",
    data: imageSeeds(prompt, n, ctx.deployment.name).map((seed) => ({
      b64_json: encodeBase64(seededPng(seed)),
      prompt_filter_results: dallePromptFilterResults(ctx.apiVersion),
      content_filter_results: dalleContentFilterResults(),
    })),
    output_format: format,
    quality,
    size,
    usage: {
      input_tokens: input,
      input_tokens_details: { image_tokens: 0, text_tokens: input },
      output_tokens: output,
      total_tokens: input + output,
    },
  });
}
