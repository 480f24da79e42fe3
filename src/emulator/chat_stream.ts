/**
 * The SSE events of a streamed chat completion: a first chunk with only
 * `prompt_filter_results`, then per choice a role chunk, content (or tool call) chunks
 * of `chunkSize` tokens and a finish chunk, then the usage chunk when asked for.
 *
 * @module
 */

import {
  choiceContentFilterResults,
  promptFilterResults,
  TRIGGER_CATEGORY,
} from "./content_filter.ts";
import { type ChatPlan, planLogprobs, planUsage, SYSTEM_FINGERPRINT } from "./reply.ts";
import { tokenize } from "./tokens.ts";

function groups(tokens: string[], size: number): string[][] {
  const out: string[][] = [];
  for (let i = 0; i < tokens.length; i += size) out.push(tokens.slice(i, i + size));
  return out;
}

/** Generates the chunk objects of `plan` (serialised by the SSE writer). */
export function* chatStreamEvents(
  plan: ChatPlan,
  chunkSize: number,
  includeUsage: boolean,
): Generator<Record<string, unknown>> {
  const base = (): Record<string, unknown> => {
    const chunk: Record<string, unknown> = {
      id: plan.id,
      object: "chat.completion.chunk",
      created: plan.created,
      model: plan.model,
      system_fingerprint: SYSTEM_FINGERPRINT,
    };
    if (includeUsage) chunk.usage = null;
    return chunk;
  };
  yield { ...base(), choices: [], prompt_filter_results: promptFilterResults(1) };
  for (let index = 0; index < plan.choices.length; index++) {
    const c = plan.choices[index];
    // With logprobs asked for, every delta chunk carries a logprobs object (the role and
    // call chunks an empty one), so a reply without content tokens (a tool call, an empty
    // text) accumulates to the non-streamed `{ content: [], refusal: null }`, not null.
    const logprobs = planLogprobs(plan, []);
    const choice = (delta: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
      ...base(),
      choices: [{ index, delta, finish_reason: null, logprobs, ...extra }],
    });
    yield choice({ role: "assistant", content: c.content === null ? null : "" });
    for (const group of groups(c.tokens, chunkSize)) {
      yield choice({ content: group.join("") }, {
        logprobs: planLogprobs(plan, group),
        content_filter_results: choiceContentFilterResults(),
      });
    }
    for (let k = 0; k < c.toolCalls.length; k++) {
      const t = c.toolCalls[k];
      yield choice({
        tool_calls: [{
          index: k,
          id: t.id,
          type: "function",
          function: { name: t.name, arguments: "" },
        }],
      });
      for (const group of groups(tokenize(t.arguments), chunkSize)) {
        yield choice({ tool_calls: [{ index: k, function: { arguments: group.join("") } }] });
      }
    }
    if (c.functionCall) {
      yield choice({ function_call: { name: c.functionCall.name, arguments: "" } });
      for (const group of groups(tokenize(c.functionCall.arguments), chunkSize)) {
        yield choice({ function_call: { arguments: group.join("") } });
      }
    }
    yield {
      ...base(),
      choices: [{
        index,
        delta: {},
        finish_reason: c.finishReason,
        logprobs: null,
        content_filter_results: choiceContentFilterResults(
          c.filtered ? TRIGGER_CATEGORY : undefined,
        ),
      }],
    };
  }
  if (includeUsage) {
    yield {
      ...base(),
      choices: [],
      usage: planUsage(plan),
    };
  }
}
