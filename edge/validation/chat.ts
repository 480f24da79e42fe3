/**
 * Validation of chat completions bodies.
 *
 * @module
 */
import * as v from "valibot";
import { rangedInteger, SAMPLING_ENTRIES, seedProblem } from "./_common.ts";
import { type Checked, problemOf } from "./_issues.ts";

const ROLES = ["system", "developer", "user", "assistant", "tool", "function"] as const;

const CONTENT_PART = v.looseObject({ type: v.pipe(v.string(), v.minLength(1)) });

const MESSAGE = v.looseObject({
  role: v.picklist(ROLES, `Expected one of ${ROLES.map((r) => `"${r}"`).join(", ")}`),
  content: v.optional(v.nullable(v.union([v.string(), v.array(CONTENT_PART)]))),
  name: v.optional(v.string()),
  tool_call_id: v.optional(v.string()),
});

const CHAT_SCHEMA = v.looseObject({
  ...SAMPLING_ENTRIES,
  messages: v.pipe(
    v.array(MESSAGE),
    v.minLength(1, "Expected at least one message"),
    v.maxLength(2048, "Expected at most 2048 messages"),
  ),
  max_completion_tokens: rangedInteger(1),
  logprobs: v.optional(v.nullable(v.boolean())),
  top_logprobs: rangedInteger(0, 20),
  tools: v.optional(
    v.pipe(
      v.array(
        v.looseObject({
          type: v.string(),
          function: v.optional(v.looseObject({ name: v.pipe(v.string(), v.minLength(1)) })),
        }),
      ),
      v.maxLength(128, "Expected at most 128 tools"),
    ),
  ),
  tool_choice: v.optional(v.union([v.string(), v.looseObject({ type: v.string() })])),
  parallel_tool_calls: v.optional(v.nullable(v.boolean())),
  // `type` nullable and optional in 2024-02-01 / 2024-05-01-preview (text then).
  response_format: v.optional(v.nullable(v.looseObject({ type: v.nullish(v.string()) }))),
});

/**
 * Checks a chat completions body: `messages` (1 to 2048, each with a known `role`), sampling
 * fields in range, `tools`, `stream`. Unknown fields pass through untouched.
 */
export function checkChatBody(body: Record<string, unknown>): Checked<Record<string, unknown>> {
  const seed = seedProblem(body);
  if (seed) return { ok: false, problem: seed };
  const result = v.safeParse(CHAT_SCHEMA, body);
  if (!result.success) return { ok: false, problem: problemOf(result.issues) };
  return { ok: true, value: body };
}
