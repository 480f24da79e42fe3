/**
 * `AOAI_EDGE_RATE_LIMIT_RPM` as a number (undefined when unset or blank), read the same way by
 * the Deno and the Workers entry points. A value that is not a positive number throws an Error
 * naming the variable, so the operator knows which setting to fix.
 */
export function rpmFromEnv(value: string | undefined): number | undefined {
  const text = value?.trim();
  if (!text) return undefined;
  const rpm = Number(text);
  if (!(rpm > 0 && rpm < Infinity)) {
    throw new Error(
      "AOAI_EDGE_RATE_LIMIT_RPM must be a positive number of requests per minute per client key " +
        `(e.g. 60); got ${JSON.stringify(value)}`,
    );
  }
  return rpm;
}
