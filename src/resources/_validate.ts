/** Thrown for params the service would refuse; raised before any request is sent. */
export function invalid(operation: string, param: string, problem: string): TypeError {
  return new TypeError(`${operation}: params.${param} ${problem}`);
}

/** Checks that params is an object. */
export function checkParams(
  operation: string,
  params: unknown,
): asserts params is Record<string, unknown> {
  if (typeof params !== "object" || params === null || Array.isArray(params)) {
    throw new TypeError(`${operation}: pass a params object as the first argument`);
  }
}

/** Checks an optional enum-like field. */
export function checkOneOf(
  operation: string,
  params: Record<string, unknown>,
  field: string,
  allowed: readonly (string | number)[],
): void {
  const value = params[field];
  if (value !== undefined && value !== null && !allowed.includes(value as string | number)) {
    throw invalid(
      operation,
      field,
      `must be one of ${allowed.map((a) => JSON.stringify(a)).join(", ")}; got ${
        JSON.stringify(value)
      }`,
    );
  }
}

/** Checks an optional number within bounds. */
export function checkRange(
  operation: string,
  params: Record<string, unknown>,
  field: string,
  min: number,
  max: number,
  integer = false,
): void {
  const value = params[field];
  if (value === undefined || value === null) return;
  if (
    typeof value !== "number" || !Number.isFinite(value) || value < min || value > max ||
    (integer && !Number.isInteger(value))
  ) {
    throw invalid(
      operation,
      field,
      `must be ${integer ? "an integer" : "a number"} from ${min} to ${max}; got ${
        JSON.stringify(value)
      }`,
    );
  }
}

/** Removes our own non-wire fields (e.g. `model` on dated versions) from a body. */
export function wireBody(
  params: Record<string, unknown>,
  apiVersion: string,
  drop: readonly string[] = [],
): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(params)) {
    if (v === undefined || drop.includes(k)) continue;
    if (k === "model" && apiVersion !== "v1") continue;
    body[k] = v;
  }
  return body;
}
