/**
 * Chat completions (`POST …/chat/completions`), non-streaming and streaming.
 *
 * @module
 */

import type { HandlerContext } from "./_context.ts";
import { knownFields } from "./_guards.ts";
import { randomId } from "./_hash.ts";
import { invalidRequest, isRecord, jsonResponse } from "./_response.ts";
import { chatStreamEvents } from "./chat_stream.ts";
import { validateChatBody } from "./chat_validate.ts";
import {
  choiceContentFilterResults,
  promptFilteredError,
  promptFilterResults,
  TRIGGER_CATEGORY,
} from "./content_filter.ts";
import {
  type ChatPlan,
  chatPromptTokens,
  choiceTokens,
  defaultChatReply,
  lastUserText,
  messageText,
  planChoice,
  planLogprobs,
  type PlannedChoice,
  planUsage,
  SYSTEM_FINGERPRINT,
} from "./reply.ts";
import { sseResponse } from "./sse_stream.ts";

/** Token estimate for rate limiting: prompt tokens + `max_tokens` when given. */
export function chatTokenEstimate(raw: Record<string, unknown>, apiVersion = ""): number {
  const body = knownFields("chat", raw, apiVersion);
  const messages = Array.isArray(body.messages) ? body.messages : [];
  const max = typeof body.max_tokens === "number"
    ? body.max_tokens
    : typeof body.max_completion_tokens === "number"
    ? body.max_completion_tokens
    : 0;
  return chatPromptTokens(messages, apiVersion) + max;
}

function promptHasTrigger(messages: unknown[], trigger: string): boolean {
  if (trigger === "") return false;
  return messages.some((m) => isRecord(m) && messageText(m.content).includes(trigger));
}

function maxTokensOf(body: Record<string, unknown>): number | undefined {
  if (typeof body.max_completion_tokens === "number") return body.max_completion_tokens;
  if (typeof body.max_tokens === "number") return body.max_tokens;
  return undefined;
}

/**
 * Parameters a reasoning deployment refuses, with the default it still takes (Azure's how-to
 * "Azure OpenAI reasoning models", learn.microsoft.com/azure/ai-foundry/openai/how-to/reasoning:
 * "Reasoning models will only work with the max_completion_tokens parameter"; temperature, top_p,
 * presence_penalty, frequency_penalty, logprobs, top_logprobs, logit_bias and max_tokens are not
 * supported).
 */
const REASONING_UNSUPPORTED: Record<string, unknown> = {
  max_tokens: undefined,
  temperature: 1,
  top_p: 1,
  presence_penalty: 0,
  frequency_penalty: 0,
  logprobs: false,
  top_logprobs: undefined,
  logit_bias: undefined,
};

/**
 * The reasoning models of the same how-to: the o-series (o1, o3-mini, o4-mini, ...) and the GPT-5
 * reasoning models gpt-5, gpt-5-mini and gpt-5-nano (dated names too; gpt-5-chat is no reasoning
 * model); undefined for any other model.
 */
function reasoningFamily(model: string): "o" | "gpt-5" | undefined {
  const m = model.toLowerCase();
  if (/^o\d/.test(m)) return "o";
  return /^gpt-5(-mini|-nano)?(-\d{4}-\d{2}-\d{2})?$/.test(m) ? "gpt-5" : undefined;
}

/**
 * reasoning_effort values by family (how-to: "low, medium, or high for all reasoning models except
 * o1-mini. GPT-5 reasoning models support a new reasoning_effort setting of minimal"), and the
 * reasoning tokens the emulator reports for each: fixed stand-ins that grow with the effort, as the
 * how-to says the count generally does (medium is the default).
 */
const EFFORTS: Record<string, number> = { minimal: 0, low: 16, medium: 64, high: 256 };

function unsupportedValue(name: string, value: unknown, model: string, values: string[]) {
  const list = values.map((v) => `'${v}'`);
  return invalidRequest(
    name,
    `Unsupported value: '${value}' is not supported with the '${model}' model. Supported values are: ${
      list.slice(0, -1).join(", ")
    }, and ${list[list.length - 1]}.`,
    "unsupported_value",
  );
}

/** The 400 a reasoning deployment answers for a parameter or value it does not take. */
function checkReasoning(ctx: HandlerContext, body: Record<string, unknown>): Response | undefined {
  const model = ctx.deployment.model;
  const family = reasoningFamily(model);
  if (!family) return undefined;
  const o1Mini = /^o1-mini/i.test(model);
  for (const [name, fallback] of Object.entries(REASONING_UNSUPPORTED)) {
    const v = body[name];
    if (v === undefined || v === null || v === fallback) continue;
    return unsupportedParameter(name);
  }
  const effort = body.reasoning_effort;
  if (effort !== undefined && effort !== null) {
    if (o1Mini) return unsupportedParameter("reasoning_effort");
    const values = Object.keys(EFFORTS).slice(family === "gpt-5" ? 0 : 1);
    if (!values.includes(effort as string)) {
      return unsupportedValue("reasoning_effort", effort, model, values);
    }
  }
  // verbosity (GPT-5): "Options: low, medium, high".
  const verbosity = body.verbosity;
  const levels = ["low", "medium", "high"];
  if (
    family === "gpt-5" && verbosity !== undefined && verbosity !== null &&
    !levels.includes(verbosity as string)
  ) {
    return unsupportedValue("verbosity", verbosity, model, levels);
  }
  return undefined;
}

function unsupportedParameter(name: string): Response {
  return invalidRequest(
    name,
    `Unsupported parameter: '${name}' is not supported with this model.${
      name === "max_tokens" ? " Use 'max_completion_tokens' instead." : ""
    }`,
    "unsupported_parameter",
  );
}

/** Handles a chat completions request. */
export async function handleChat(
  ctx: HandlerContext,
  body: Record<string, unknown>,
): Promise<Response> {
  // Fields the version's document lacks are ignored. The script sees the body as sent.
  const known = knownFields("chat", body, ctx.apiVersion);
  const invalid = validateChatBody(known, ctx.apiVersion) ?? checkReasoning(ctx, known);
  if (invalid) return invalid;
  const messages = body.messages as unknown[];
  const { options } = ctx;
  if (promptHasTrigger(messages, options.contentFilterTrigger)) {
    return promptFilteredError(options.contentFilterErrorShape);
  }
  const reply = await options.script?.({
    operation: "chat",
    deployment: ctx.deployment.name,
    model: ctx.deployment.model,
    body,
    lastUserText: lastUserText(messages),
  }) ?? defaultChatReply(body);
  const n = typeof body.n === "number" ? body.n : 1;
  // A reasoning deployment reasons before it answers: its reasoning tokens count in
  // completion_tokens and in max_completion_tokens ("an upper bound ... including visible output
  // tokens and reasoning tokens", the openai SDK's ChatCompletionCreateParams), per choice.
  const max = maxTokensOf(known);
  const reasoning = reasoningFamily(ctx.deployment.model)
    ? Math.min(EFFORTS[known.reasoning_effort as string] ?? EFFORTS.medium, max ?? Infinity)
    : undefined;
  const choices: PlannedChoice[] = [];
  for (let i = 0; i < n; i++) {
    choices.push(planChoice(known, reply, {
      outputTrigger: options.contentFilterOutputTrigger,
      maxTokens: max === undefined ? undefined : max - (reasoning ?? 0),
      idSeed: `${ctx.requestId}:${i}`,
      allowCalls: true,
    }));
  }
  let completionTokens = (reasoning ?? 0) * n;
  for (const c of choices) completionTokens += choiceTokens(c);
  const plan: ChatPlan = {
    id: `chatcmpl-${randomId(options.random, 29)}`,
    created: ctx.created,
    model: ctx.deployment.model,
    choices,
    promptTokens: chatPromptTokens(messages, ctx.apiVersion),
    completionTokens,
    reasoningTokens: reasoning === undefined ? undefined : reasoning * n,
    logprobs: known.logprobs === true,
    topLogprobs: typeof known.top_logprobs === "number" ? known.top_logprobs : 0,
    // 2024-05-01-preview's chatCompletionChoiceLogProbs defines only `content`.
    logprobsRefusal: ctx.apiVersion !== "2024-05-01-preview",
  };
  if (body.stream === true) {
    const includeUsage = isRecord(body.stream_options) &&
      body.stream_options.include_usage === true;
    return sseResponse(ctx, chatStreamEvents(plan, options.chunkSize, includeUsage));
  }
  return jsonResponse(chatCompletionBody(plan));
}

/** The non-streaming `chat.completion` object of a plan. */
export function chatCompletionBody(plan: ChatPlan): Record<string, unknown> {
  return {
    id: plan.id,
    object: "chat.completion",
    created: plan.created,
    model: plan.model,
    system_fingerprint: SYSTEM_FINGERPRINT,
    prompt_filter_results: promptFilterResults(1),
    choices: plan.choices.map((c, index) => {
      const message: Record<string, unknown> = {
        role: "assistant",
        content: c.content,
        refusal: null,
      };
      if (c.toolCalls.length > 0) {
        message.tool_calls = c.toolCalls.map((t) => ({
          id: t.id,
          type: "function",
          function: { name: t.name, arguments: t.arguments },
        }));
      }
      if (c.functionCall) message.function_call = c.functionCall;
      return {
        index,
        finish_reason: c.finishReason,
        message,
        logprobs: planLogprobs(plan, c.tokens),
        content_filter_results: choiceContentFilterResults(
          c.filtered ? TRIGGER_CATEGORY : undefined,
        ),
      };
    }),
    usage: planUsage(plan),
  };
}
