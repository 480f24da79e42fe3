/**
 * Legacy completions (`POST …/completions`): default reply `You said: <prompt>` per
 * prompt, `max_tokens` default 16 (as the spec says), `n`, `echo`, `stop`, `logprobs`,
 * streaming with the same first/finish/usage chunks as chat.
 *
 * @module
 */

import type { HandlerContext } from "./_context.ts";
import { checkNotNull, checkNoTokenIds, knownFields } from "./_guards.ts";
import { fnv1a, randomId } from "./_hash.ts";
import { invalidRequest, isRecord, jsonResponse, missingParam } from "./_response.ts";
import {
  checkLogitBias,
  checkNumber,
  checkStop,
  checkStreamOptions,
  checkType,
} from "./chat_validate.ts";
import {
  choiceContentFilterResults,
  promptFilteredError,
  promptFilterResults,
  TRIGGER_CATEGORY,
} from "./content_filter.ts";
import { planChoice, type PlannedChoice, SYSTEM_FINGERPRINT } from "./reply.ts";
import { sseResponse } from "./sse_stream.ts";
import { countTokens, tokenize } from "./tokens.ts";

/** The spec's default `max_tokens` for completions. */
export const COMPLETIONS_DEFAULT_MAX_TOKENS = 16;
/** The prompt used when `prompt` is absent or null (the spec's default, the document separator). */
const DEFAULT_PROMPT = "<|endoftext|>";

/**
 * Whether `prompt` must be present: the 2024-10-21 document requires it (`createCompletionRequest`,
 * nullable), earlier ones (2024-02-01, 2024-05-01-preview, 2024-06-01, 2024-07-01-preview) do not.
 */
function promptRequired(apiVersion: string): boolean {
  return !/^\d{4}-/.test(apiVersion) || apiVersion >= "2024-10-21";
}

function isTokens(v: unknown): v is number[] {
  return Array.isArray(v) && v.length > 0 && v.every((t) => Number.isInteger(t));
}

/** The prompts of a body as texts, or undefined when `prompt` has a bad shape. */
function promptsOf(prompt: unknown): string[] | undefined {
  if (typeof prompt === "string") return [prompt];
  if (isTokens(prompt)) return [prompt.join(" ")];
  if (!Array.isArray(prompt) || prompt.length === 0) return undefined;
  const out: string[] = [];
  for (const p of prompt) {
    if (typeof p === "string") out.push(p);
    else if (isTokens(p)) out.push(p.join(" "));
    else return undefined;
  }
  return out;
}

/** `best_of` is at least `n` and cannot be streamed (both as the spec says). */
function checkBestOf(body: Record<string, unknown>): Response | undefined {
  const bestOf = body.best_of;
  if (typeof bestOf !== "number") return undefined;
  if (bestOf < (typeof body.n === "number" ? body.n : 1)) {
    return invalidRequest("best_of", "'best_of' must be greater than or equal to 'n'.");
  }
  if (bestOf > 1 && body.stream === true) {
    return invalidRequest(
      "best_of",
      "'best_of' > 1 cannot be used with 'stream'; results cannot be streamed.",
    );
  }
  return undefined;
}

/** Token estimate for rate limiting: prompt tokens + `max_tokens` (default 16). */
export function completionsTokenEstimate(body: Record<string, unknown>): number {
  const prompts = promptsOf(body.prompt ?? DEFAULT_PROMPT) ?? [];
  let total = 0;
  for (const p of prompts) total += countTokens(p);
  const max = typeof body.max_tokens === "number"
    ? body.max_tokens
    : COMPLETIONS_DEFAULT_MAX_TOKENS;
  return total + max * prompts.length;
}

function completionLogprobs(text: string, offset: number, top: number): Record<string, unknown> {
  const tokens = tokenize(text);
  const textOffset: number[] = [];
  let at = offset;
  for (const t of tokens) {
    textOffset.push(at);
    at += t.length;
  }
  const logprob = (t: string) => -((fnv1a(t) % 1000) / 10000);
  return {
    tokens,
    token_logprobs: tokens.map(logprob),
    top_logprobs: tokens.map((t) => {
      const alts: Record<string, number> = {};
      for (let k = 0; k < top; k++) alts[k === 0 ? t : `${t.trim() || t}~${k}`] = logprob(t) - k;
      return alts;
    }),
    text_offset: textOffset,
  };
}

interface CompletionChoice {
  text: string;
  planned: PlannedChoice;
  promptText: string;
}

/** Handles a completions request. */
export async function handleCompletions(
  ctx: HandlerContext,
  body: Record<string, unknown>,
): Promise<Response> {
  if (body.prompt === undefined && promptRequired(ctx.apiVersion)) return missingParam("prompt");
  const tokenIds = checkNoTokenIds("prompt", body.prompt, ctx.apiVersion);
  if (tokenIds) return tokenIds;
  const prompts = promptsOf(body.prompt ?? DEFAULT_PROMPT);
  if (!prompts) {
    return invalidRequest(
      "prompt",
      "'prompt' must be a string, an array of strings, an array of token ids or an array of token id arrays.",
      "invalid_type",
    );
  }
  // Fields the version's document lacks are not checked (the script sees the body as sent).
  const known = knownFields("completions", body, ctx.apiVersion);
  const invalid = checkNotNull("completions", body, ctx.apiVersion) ??
    checkNumber(body, "n", 1, 128, true) ??
    checkNumber(body, "max_tokens", 0, 1_000_000, true) ??
    checkNumber(body, "logprobs", 0, 5, true) ??
    checkNumber(body, "temperature", 0, 2, false) ??
    checkNumber(body, "top_p", 0, 1, false) ??
    checkNumber(body, "best_of", 0, 20, true) ??
    checkNumber(body, "presence_penalty", -2, 2, false) ??
    checkNumber(body, "frequency_penalty", -2, 2, false) ??
    checkNumber(known, "seed", -(2 ** 63), 2 ** 63, true) ??
    checkType(body, "echo", "boolean") ??
    checkType(body, "suffix", "string") ??
    checkType(body, "user", "string") ??
    checkLogitBias(body) ??
    checkStop(body) ??
    checkStreamOptions(body, ctx.apiVersion) ??
    checkBestOf(body);
  if (invalid) return invalid;
  const { options } = ctx;
  const trigger = options.contentFilterTrigger;
  if (trigger !== "" && prompts.some((p) => p.includes(trigger))) {
    return promptFilteredError(options.contentFilterErrorShape);
  }
  const n = typeof body.n === "number" ? body.n : 1;
  const maxTokens = typeof body.max_tokens === "number"
    ? body.max_tokens
    : COMPLETIONS_DEFAULT_MAX_TOKENS;
  const choices: CompletionChoice[] = [];
  let promptTokens = 0;
  let completionTokens = 0;
  for (const promptText of prompts) {
    promptTokens += countTokens(promptText);
    const reply = await options.script?.({
      operation: "completions",
      deployment: ctx.deployment.name,
      model: ctx.deployment.model,
      body,
      lastUserText: promptText,
    }) ?? { content: `You said: ${promptText}` };
    for (let j = 0; j < n; j++) {
      const planned = planChoice(body, reply, {
        outputTrigger: options.contentFilterOutputTrigger,
        maxTokens,
        idSeed: ctx.requestId,
        allowCalls: false,
      });
      completionTokens += planned.tokens.length;
      const text = (body.echo === true ? promptText : "") + (planned.content ?? "");
      choices.push({ text, planned, promptText });
    }
  }
  const id = `cmpl-${randomId(options.random, 29)}`;
  const base = {
    id,
    object: "text_completion",
    created: ctx.created,
    model: ctx.deployment.model,
    system_fingerprint: SYSTEM_FINGERPRINT,
  };
  const usage = {
    prompt_tokens: promptTokens,
    completion_tokens: completionTokens,
    total_tokens: promptTokens + completionTokens,
  };
  const top = typeof body.logprobs === "number" ? body.logprobs : undefined;
  const filterResults = (c: CompletionChoice) =>
    choiceContentFilterResults(c.planned.filtered ? TRIGGER_CATEGORY : undefined);
  if (body.stream === true) {
    const includeUsage = isRecord(body.stream_options) &&
      body.stream_options.include_usage === true;
    return sseResponse(
      ctx,
      completionStream(base, choices, prompts.length, usage, includeUsage, {
        chunkSize: options.chunkSize,
        top,
        echo: body.echo === true,
        filterResults,
      }),
    );
  }
  return jsonResponse({
    ...base,
    prompt_filter_results: promptFilterResults(prompts.length),
    choices: choices.map((c, index) => ({
      text: c.text,
      index,
      finish_reason: c.planned.finishReason,
      logprobs: top === undefined ? null : completionLogprobs(c.text, 0, top),
      content_filter_results: filterResults(c),
    })),
    usage,
  });
}

function* completionStream(
  base: Record<string, unknown>,
  choices: CompletionChoice[],
  promptCount: number,
  usage: Record<string, number>,
  includeUsage: boolean,
  opts: {
    chunkSize: number;
    top?: number;
    echo: boolean;
    filterResults: (c: CompletionChoice) => Record<string, unknown>;
  },
): Generator<Record<string, unknown>> {
  const head = includeUsage ? { ...base, usage: null } : base;
  yield { ...head, choices: [], prompt_filter_results: promptFilterResults(promptCount) };
  for (let index = 0; index < choices.length; index++) {
    const c = choices[index];
    const pieces = tokenize(c.text);
    let offset = 0;
    for (let i = 0; i < pieces.length; i += opts.chunkSize) {
      const text = pieces.slice(i, i + opts.chunkSize).join("");
      yield {
        ...head,
        choices: [{
          text,
          index,
          finish_reason: null,
          logprobs: opts.top === undefined ? null : completionLogprobs(text, offset, opts.top),
          content_filter_results: choiceContentFilterResults(),
        }],
      };
      offset += text.length;
    }
    // With logprobs asked for, the finish chunk carries empty arrays, so an empty text (no
    // chunk before it) accumulates to the non-streamed `{ tokens: [], … }`, not null.
    yield {
      ...head,
      choices: [{
        text: "",
        index,
        finish_reason: c.planned.finishReason,
        logprobs: opts.top === undefined ? null : completionLogprobs("", offset, opts.top),
        content_filter_results: opts.filterResults(c),
      }],
    };
  }
  if (includeUsage) yield { ...base, choices: [], usage };
}
