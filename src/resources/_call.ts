// How every operation checks its params and sends its POST (not exported from mod.ts).
import type { CallResult, CallSpec, ClientCore } from "../_internal/core.ts";
import { isRecord } from "../errors/_is_record.ts";
import type { RequestOptions } from "../options.ts";

/**
 * How a field is checked: `[min, max]` (`[min, max, 1]`: an integer) for a number (skips a
 * missing field), or a function that returns what is wrong with the value (it runs for a missing
 * field too, and may throw {@link invalid} itself for a nested path).
 */
export type Rule =
  | readonly [number, number, 1?]
  | ((value: unknown, operation: string) => string | false | undefined | void);

/** Thrown for params the service would refuse; raised before any request is sent. */
export function invalid(operation: string, param: string, problem: string): TypeError {
  return new TypeError(`${operation}: params.${param} ${problem}`);
}

/**
 * Checks that `params` is an object, resolves the deployment (unless `scoped` is false), checks
 * each field named in `rules` in order, then POSTs the params as JSON
 * to `path` under the deployment (or at the resource level without one), with the spec fields
 * `extra` returns. Fields set to `undefined` are left out (by `JSON.stringify`), and so is
 * `model` except on the v1 API, where it names the deployment (`model` is passed to `extra`).
 */
export function call(
  core: ClientCore,
  operation: string,
  path: string,
  params: unknown,
  options: RequestOptions | undefined,
  rules: Record<string, Rule>,
  extra?: (
    deployment: string,
    model: string | undefined,
  ) => Partial<CallSpec> | false | undefined | Promise<Partial<CallSpec>>,
  scoped = true,
): Promise<CallResult> {
  // Not async: an async function would wrap send()'s promise in another (microtasks per call).
  try {
    if (!isRecord(params)) {
      throw new TypeError(`${operation}: pass a params object as the first argument`);
    }
    const deployment = scoped ? core.resolveDeployment(params.model, operation) : "";
    for (const [path, rule] of Object.entries(rules)) {
      const value = params[path];
      let problem;
      if (typeof rule === "function") problem = rule(value, operation);
      else if (value != null) {
        const [min, max, integer] = rule;
        if (
          typeof value !== "number" || !(value >= min && value <= max) ||
          (integer && !Number.isInteger(value))
        ) {
          problem = `must be ${integer ? "an integer" : "a number"} from ${min} to ${max}; got ${
            JSON.stringify(value)
          }`;
        }
      }
      if (problem) throw invalid(operation, path, problem);
    }
    const model = core.version(options) === "v1" && deployment || undefined;
    const more = extra?.(deployment, model);
    const send = (more: Partial<CallSpec> | false | undefined) =>
      core.send({
        operation,
        method: "POST",
        scope: deployment ? "deployment" : "resource",
        path,
        deployment: deployment || undefined,
        json: { ...params, model },
        params,
        options,
        read: "json",
        ...more,
      });
    return more instanceof Promise ? more.then(send) : send(more);
  } catch (err) {
    return Promise.reject(err);
  }
}
