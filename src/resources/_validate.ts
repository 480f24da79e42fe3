// Checks of request params, run before any request is sent (not exported from mod.ts).
import type { ClientCore } from "../_internal/core.ts";
import { isRecord } from "../errors/_is_record.ts";

/**
 * How a field is checked: allowed values, `[min, max]` (`[min, max, 1]`: an integer) for a
 * number (both skip a missing field), or a function that returns what is wrong with the value
 * (it runs for a missing field too, and may throw {@link invalid} itself for a nested path).
 */
export type Rule =
  | readonly string[]
  | readonly [number, number, 1?]
  | ((value: unknown, operation: string) => string | false | undefined | void);

/** Thrown for params the service would refuse; raised before any request is sent. */
export function invalid(operation: string, param: string, problem: string): TypeError {
  return new TypeError(`${operation}: params.${param} ${problem}`);
}

/**
 * Checks that `params` is an object, resolves the deployment (unless `scoped` is false) and
 * checks each field named in `rules` (`"a.b"` is `params.a.b`), in order.
 */
export function prepare(
  core: ClientCore,
  operation: string,
  params: unknown,
  rules: Record<string, Rule>,
  scoped = true,
): string {
  if (!isRecord(params)) {
    throw new TypeError(`${operation}: pass a params object as the first argument`);
  }
  const deployment = scoped ? core.resolveDeployment(params.model, operation) : "";
  for (const [path, rule] of Object.entries(rules)) {
    const value = path.split(".").reduce<unknown>(
      (o, k) => (o as Record<string, unknown> | undefined)?.[k],
      params,
    );
    let problem;
    if (typeof rule === "function") problem = rule(value, operation);
    else if (value != null) {
      const [min, max, integer] = rule;
      if (
        typeof min === "string"
          ? !rule.includes(value as never)
          : typeof value !== "number" || !(value >= min && value <= (max as number)) ||
            (integer && !Number.isInteger(value))
      ) {
        problem = `must be ${
          typeof min === "string"
            ? `one of ${rule.map((a) => JSON.stringify(a)).join(", ")}`
            : `${integer ? "an integer" : "a number"} from ${min} to ${max}`
        }; got ${JSON.stringify(value)}`;
      }
    }
    if (problem) throw invalid(operation, path, problem);
  }
  return deployment;
}
