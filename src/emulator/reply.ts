/**
 * Turns a script reply (or the default echo) into what each choice returns: content,
 * tool calls, finish reason, tokens. Shared by the streaming and non-streaming paths so
 * a streamed reply always concatenates to the non-streamed one.
 *
 * @module
 */

import { documented } from "./_guards.ts";
import { fnv1a } from "./_hash.ts";
import { isRecord } from "./_response.ts";
import { sampleFromSchema } from "./json_sample.ts";
import type { ScriptReply, ScriptToolCall } from "./options.ts";
import { countTokens, tokenize } from "./tokens.ts";

/** A tool call as the emulator returns it. */
export interface PlannedToolCall {
  id: string;
  name: string;
  arguments: string;
}

/** What one choice returns. */
export interface PlannedChoice {
  /** Reply text (null when the reply is a tool or function call). */
  content: string | null;
  /** Content split into emulator tokens (empty for tool calls). */
  tokens: string[];
  toolCalls: PlannedToolCall[];
  /** Legacy `function_call` reply (when the request used `functions`). */
  functionCall?: { name: string; arguments: string };
  finishReason: "stop" | "length" | "tool_calls" | "content_filter" | "function_call";
  /** True when the output trigger cut the reply. */
  filtered: boolean;
}

/** The text of a message `content` (string or array of parts). */
export function messageText(content: unknown): string {
  if (typeof content === "string") return content;
  if (Array.isArray(content)) {
    return content
      .map((p) => (isRecord(p) && typeof p.text === "string" ? p.text : ""))
      .join("");
  }
  return "";
}

/** Text of the last user message. */
export function lastUserText(messages: unknown[]): string {
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i];
    if (isRecord(m) && m.role === "user") return messageText(m.content);
  }
  return "";
}

/**
 * Emulator prompt tokens of a chat request: 3 per message + content tokens (+ 1 for a `name` where
 * the version's message schema has one: function messages; in 2024-10-21 all but tool messages;
 * every message on versions without a stored document), + 3.
 */
export function chatPromptTokens(messages: unknown[], apiVersion = ""): number {
  let total = 3;
  for (const m of messages) {
    if (!isRecord(m)) continue;
    total += 3 + countTokens(messageText(m.content));
    const named = m.role === "function" || !documented(apiVersion) ||
      (apiVersion === "2024-10-21" && m.role !== "tool");
    if (typeof m.name === "string" && named) total += 1;
  }
  return total;
}

/** The default chat reply: an echo of the last user text (or of a tool result). */
export function defaultChatReply(body: Record<string, unknown>): ScriptReply {
  const messages = Array.isArray(body.messages) ? body.messages : [];
  const last = messages[messages.length - 1];
  let text: string;
  if (isRecord(last) && (last.role === "tool" || last.role === "function")) {
    text = `Tool result: ${messageText(last.content)}`;
  } else {
    text = `You said: ${lastUserText(messages)}`;
  }
  const format = isRecord(body.response_format) ? body.response_format : undefined;
  if (format?.type === "json_object") return { content: JSON.stringify({ reply: text }) };
  if (format?.type === "json_schema") {
    const spec = isRecord(format.json_schema) ? format.json_schema : {};
    return { content: JSON.stringify(sampleFromSchema(spec.schema ?? {})) };
  }
  return { content: text };
}

/** Tool definitions of a request: `tools` or legacy `functions`, by name. */
function toolSchemas(body: Record<string, unknown>): Map<string, unknown> {
  const out = new Map<string, unknown>();
  const tools = Array.isArray(body.tools) ? body.tools : [];
  for (const t of tools) {
    if (isRecord(t) && isRecord(t.function) && typeof t.function.name === "string") {
      out.set(t.function.name, t.function.parameters);
    }
  }
  const functions = Array.isArray(body.functions) ? body.functions : [];
  for (const f of functions) {
    if (isRecord(f) && typeof f.name === "string") out.set(f.name, f.parameters);
  }
  return out;
}

function argsText(call: ScriptToolCall, schemas: Map<string, unknown>): string {
  if (typeof call.arguments === "string") return call.arguments;
  if (call.arguments !== undefined) return JSON.stringify(call.arguments);
  return JSON.stringify(sampleFromSchema(schemas.get(call.name) ?? {}));
}

/**
 * Which calls the reply makes, honouring `tool_choice` / `function_call`:
 * a forced function or `"required"` always yields a call; `"none"` never does.
 */
function resolveCalls(body: Record<string, unknown>, reply: ScriptReply): ScriptToolCall[] {
  const schemas = toolSchemas(body);
  if (schemas.size === 0) return [];
  const asked = (reply.toolCalls ?? []).filter((c) => schemas.has(c.name));
  const choice = body.tools !== undefined ? body.tool_choice : body.function_call;
  if (choice === "none") return [];
  const forced = isRecord(choice)
    ? (isRecord(choice.function) ? choice.function.name : choice.name)
    : undefined;
  if (typeof forced === "string") {
    const mine = asked.filter((c) => c.name === forced);
    return mine.length > 0 ? mine : [{ name: forced }];
  }
  if (choice === "required") {
    return asked.length > 0 ? asked : [{ name: schemas.keys().next().value as string }];
  }
  return asked;
}

/** Cuts `text` at the first stop sequence; returns undefined when none occurs. */
function cutAtStop(text: string, stop: unknown): string | undefined {
  const list = typeof stop === "string" ? [stop] : Array.isArray(stop) ? stop : [];
  let at = -1;
  for (const s of list) {
    if (typeof s !== "string" || s === "") continue;
    const i = text.indexOf(s);
    if (i >= 0 && (at < 0 || i < at)) at = i;
  }
  return at >= 0 ? text.slice(0, at) : undefined;
}

/** Options for {@link planChoice}. */
export interface PlanOptions {
  outputTrigger: string;
  maxTokens?: number;
  /** Seed for tool call ids (e.g. the request id) so ids differ across requests. */
  idSeed: string;
  /** Chat replies can call tools; completions cannot. */
  allowCalls: boolean;
}

/** Plans one choice from a script reply. */
export function planChoice(
  body: Record<string, unknown>,
  reply: ScriptReply,
  options: PlanOptions,
): PlannedChoice {
  const calls = options.allowCalls ? resolveCalls(body, reply) : [];
  if (calls.length > 0) {
    const schemas = toolSchemas(body);
    const legacy = body.tools === undefined && body.functions !== undefined;
    const list = body.parallel_tool_calls === false ? calls.slice(0, 1) : calls;
    const toolCalls = list.map((c, i) => ({
      id: `call_${fnv1a(`${options.idSeed}:${i}:${c.name}`).toString(36)}${i}`,
      name: c.name,
      arguments: argsText(c, schemas),
    }));
    if (legacy) {
      const first = toolCalls[0];
      return {
        content: null,
        tokens: [],
        toolCalls: [],
        functionCall: { name: first.name, arguments: first.arguments },
        finishReason: reply.finishReason ?? "function_call",
        filtered: false,
      };
    }
    return {
      content: null,
      tokens: [],
      toolCalls,
      finishReason: reply.finishReason ?? "tool_calls",
      filtered: false,
    };
  }
  let text = reply.content ?? "";
  let finishReason: PlannedChoice["finishReason"] = "stop";
  let filtered = false;
  const trigger = options.outputTrigger;
  const triggerAt = trigger === "" ? -1 : text.indexOf(trigger);
  if (triggerAt >= 0) {
    text = text.slice(0, triggerAt);
    finishReason = "content_filter";
    filtered = true;
  }
  const stopped = cutAtStop(text, body.stop);
  if (stopped !== undefined) {
    text = stopped;
    finishReason = "stop";
    filtered = false;
  }
  let tokens = tokenize(text);
  if (options.maxTokens !== undefined && tokens.length > options.maxTokens) {
    tokens = tokens.slice(0, options.maxTokens);
    text = tokens.join("");
    finishReason = "length";
    filtered = false;
  }
  if (reply.finishReason !== undefined) finishReason = reply.finishReason;
  return { content: text, tokens, toolCalls: [], finishReason, filtered };
}

/** Completion tokens of a planned choice. */
export function choiceTokens(choice: PlannedChoice): number {
  let total = choice.tokens.length;
  for (const c of choice.toolCalls) total += countTokens(c.name) + countTokens(c.arguments) + 3;
  if (choice.functionCall) {
    total += countTokens(choice.functionCall.name) + countTokens(choice.functionCall.arguments);
  }
  return total;
}

/** A deterministic chat `logprobs.content` entry list for `tokens`. */
export function chatLogprobs(tokens: string[], top: number): Record<string, unknown>[] {
  const encoder = new TextEncoder();
  return tokens.map((token) => {
    const logprob = -((fnv1a(token) % 1000) / 10000);
    const alternatives = [];
    for (let k = 0; k < top; k++) {
      const alt = k === 0 ? token : `${token.trim() || token}~${k}`;
      alternatives.push({
        token: alt,
        logprob: k === 0 ? logprob : logprob - k,
        bytes: Array.from(encoder.encode(alt)),
      });
    }
    return { token, logprob, bytes: Array.from(encoder.encode(token)), top_logprobs: alternatives };
  });
}

/** The fixed `system_fingerprint` the emulator reports. */
export const SYSTEM_FINGERPRINT = "fp_emulator";

/** Everything both response paths need. */
export interface ChatPlan {
  id: string;
  created: number;
  model: string;
  choices: PlannedChoice[];
  promptTokens: number;
  completionTokens: number;
  /**
   * A reasoning deployment's reasoning tokens (part of completionTokens), reported as
   * usage.completion_tokens_details.reasoning_tokens; undefined for other models.
   */
  reasoningTokens?: number;
  logprobs: boolean;
  topLogprobs: number;
  /** Whether the logprobs object has `refusal` (2024-05-01-preview's has only `content`). */
  logprobsRefusal: boolean;
}

/**
 * The `usage` of a plan, in the response body and in the streamed usage chunk alike. Azure's
 * how-to "Azure OpenAI reasoning models": "Reasoning models have reasoning_tokens as part of
 * completion_tokens_details in the model response".
 */
export function planUsage(plan: ChatPlan): Record<string, unknown> {
  const usage: Record<string, unknown> = {
    prompt_tokens: plan.promptTokens,
    completion_tokens: plan.completionTokens,
    total_tokens: plan.promptTokens + plan.completionTokens,
  };
  if (plan.reasoningTokens !== undefined) {
    usage.completion_tokens_details = { reasoning_tokens: plan.reasoningTokens };
  }
  return usage;
}

/** A choice's or chunk's `logprobs` for `tokens` (null when not asked for). */
export function planLogprobs(plan: ChatPlan, tokens: string[]): Record<string, unknown> | null {
  if (!plan.logprobs) return null;
  const content = chatLogprobs(tokens, plan.topLogprobs);
  return plan.logprobsRefusal ? { content, refusal: null } : { content };
}
