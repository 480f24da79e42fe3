/**
 * Turning valibot issues into one service-shaped problem naming the field.
 *
 * @module
 */
import type * as v from "valibot";
import { quoteSent } from "../_errors.ts";

/** One validation problem: the field (JSON path like `messages[0].role`) and what to fix. */
export interface Problem {
  /** The field at fault, e.g. `input[3]`; `null` for the body as a whole. */
  param: string | null;
  /** A message naming the field and what is expected. */
  message: string;
  /** Service-style code (`invalid_type`, `invalid_value`, `missing_required_parameter`, ...). */
  code: string;
}

/** The outcome of validating a request body. */
export type Checked<T> = { ok: true; value: T } | { ok: false; problem: Problem };

/**
 * Formats a path like `messages[0].content`. A key that is no plain name (a `logit_bias` key is
 * the client's text) is shown as a short tame quote, `logit_bias["?img src=x onerr…"]`: the path
 * is in `param` and the message, and must not carry markup or a long text back out.
 */
export function formatPath(parts: readonly (string | number)[]): string | null {
  let out = "";
  for (const part of parts) {
    if (typeof part === "number") out += `[${part}]`;
    else if (!/^[\w-]{1,64}$/.test(part)) out += `[${quoteSent(part, 16)}]`;
    else out += out === "" ? part : `.${part}`;
  }
  return out === "" ? null : out;
}

type AnyIssue = v.BaseIssue<unknown>;

function keysOf(issue: AnyIssue): (string | number)[] {
  return (issue.path ?? []).map((item) => item.key as string | number);
}

/**
 * Follows union issues to the sub issue with the longest path (it usually names the culprit);
 * sub issue paths are relative to the union, so the parent path is prepended.
 */
function deepest(issue: AnyIssue, prefix: (string | number)[]): {
  issue: AnyIssue;
  path: (string | number)[];
} {
  const path = [...prefix, ...keysOf(issue)];
  if (issue.type === "union" && issue.issues?.length) {
    let best: AnyIssue | undefined;
    for (const sub of issue.issues) {
      if (!best || (sub.path?.length ?? 0) > (best.path?.length ?? 0)) best = sub;
    }
    if (best && (best.path?.length ?? 0) > 0) return deepest(best, path);
  }
  return { issue, path };
}

/** The first valibot issue as a {@link Problem}. */
export function problemOf(issues: readonly AnyIssue[]): Problem {
  const { issue, path } = deepest(issues[0], []);
  const param = formatPath(path);
  if (issue.input === undefined && issue.kind === "schema" && param !== null) {
    return {
      param,
      code: "missing_required_parameter",
      message: `Missing required parameter: '${param}'.`,
    };
  }
  const where = param === null ? "the request body" : `'${param}'`;
  let detail = issue.message.replace(/^Invalid (type|value|length|key): /, "");
  // Valibot quotes a string it got ("… but received \"sk-…\""): name its type instead, so no
  // text of the body (a pasted key, markup) comes back in the error.
  const quoted = typeof issue.input === "string" ? `"${issue.input}"` : undefined;
  if (quoted !== undefined && issue.received === quoted && detail.endsWith(quoted)) {
    detail = detail.slice(0, -quoted.length) + "a string";
  }
  return {
    param,
    code: issue.kind === "schema" ? "invalid_type" : "invalid_value",
    message: `Invalid value for ${where}: ${detail}.`,
  };
}
