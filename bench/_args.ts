/**
 * What the benches read from their command line and environment, checked before any work: a
 * count that is not one (a typo, a flag a script does not take) used to run a bench with NaN,
 * printing empty or NaN tables, crashing at the end, or never ending.
 *
 * @module
 */

/** A bad argument or setting; the message quotes it and says what the script takes. */
export class UsageError extends Error {
  override name = "UsageError";
}

/**
 * The counts a script takes as positional arguments: `args[i]` when given, else `defaults[i]`.
 * Each must be an integer ≥ `min` (default 1); more arguments than defaults are refused too.
 */
export function countArgs(
  args: readonly string[],
  defaults: readonly number[],
  usage: string,
  min = 1,
): number[] {
  if (args.length > defaults.length) {
    const most = defaults.length === 1 ? "one argument" : `${defaults.length} arguments`;
    throw new UsageError(`takes ${most} at most, got ${args.length}; ${usage}`);
  }
  return defaults.map((fallback, i) => {
    if (args[i] === undefined) return fallback;
    const n = args[i].trim() === "" ? NaN : Number(args[i]);
    if (!Number.isSafeInteger(n) || n < min) {
      const what = min === 1 ? "a positive integer" : `an integer ≥ ${min}`;
      throw new UsageError(`'${args[i]}' is not ${what}; ${usage}`);
    }
    return n;
  });
}

/** `[value]` when it is one of `choices`, every choice when unset; `name` is the setting. */
export function oneOrAll<T extends string>(
  name: string,
  value: string | undefined,
  choices: readonly T[],
): T[] {
  if (value === undefined) return [...choices];
  const found = choices.find((c) => c === value);
  if (found === undefined) {
    throw new UsageError(`${name}='${value}' is none of ${choices.join(", ")}; unset it for all`);
  }
  return [found];
}
