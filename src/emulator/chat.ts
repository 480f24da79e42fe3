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
 * Parameters an o-series reasoning deployment refuses, with the default it still takes (Azure's
 * how-to "Azure OpenAI reasoning models", learn.microsoft.com/azure/ai-foundry/openai/how-to/
 * reasoning: "Reasoning models will only work with the max_completion_tokens parameter";
 * temperature, top_p, presence_penalty, frequency_penalty, logprobs, top_logprobs, logit_bias and
 * max_tokens are not supported).
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

/** The 400 an o-series deployment (o1, o3-mini, o4-mini, ...) answers for such a parameter. */
function checkReasoning(ctx: HandlerContext, body: Record<string, unknown>): Response | undefined {
  if (!/^o\d/i.test(ctx.deployment.model)) return undefined;
  for (const [name, fallback] of Object.entries(REASONING_UNSUPPORTED)) {
    const v = body[name];
    if (v === undefined || v === null || v === fallback) continue;
    return invalidRequest(
      name,
      `Unsupported parameter: '${name}' is not supported with this model.${
        name === "max_tokens" ? " Use 'max_completion_tokens' instead." : ""
      }`,
      "unsupported_parameter",
    );
  }
  return undefined;
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
  const reply = options.script
    ? await options.script({
      operation: "chat",
      deployment: ctx.deployment.name,
      model: ctx.deployment.model,
      body,
      lastUserText: lastUserText(messages),
    })
    : defaultChatReply(body);
  const n = typeof body.n === "number" ? body.n : 1;
  const choices: PlannedChoice[] = [];
  for (let i = 0; i < n; i++) {
    choices.push(planChoice(known, reply, {
      outputTrigger: options.contentFilterOutputTrigger,
      maxTokens: maxTokensOf(known),
      idSeed: `${ctx.requestId}:${i}`,
      allowCalls: true,
    }));
  }
  let completionTokens = 0;
  for (const c of choices) completionTokens += choiceTokens(c);
  const plan: ChatPlan = {
    id: `chatcmpl-${randomId(options.random, 29)}`,
    created: ctx.created,
    model: ctx.deployment.model,
    choices,
    promptTokens: chatPromptTokens(messages, ctx.apiVersion),
    completionTokens,
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
    usage: {
      prompt_tokens: plan.promptTokens,
      completion_tokens: plan.completionTokens,
      total_tokens: plan.promptTokens + plan.completionTokens,
    },
  };
}
