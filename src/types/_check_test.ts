/**
 * A tiny structural checker whose checks are tied to our wire types at compile time:
 * `shape<T>()` must list every required and every optional key of `T` (no more, no
 * fewer), and each key's check must accept exactly the key's type (the phantom type
 * parameter of {@link Check} is invariant). So when a type in `src/types/` changes,
 * this file stops compiling until the runtime check follows.
 *
 * Test-only (the `_test.ts` suffix keeps it out of the published package). It
 * registers no tests itself.
 *
 * @module
 */

/** A check without its phantom type. */
export type RawCheck = (value: unknown, path: string, problems: string[]) => void;

/** A runtime check of a value against the type `T`; pushes one line per problem. */
export interface Check<T> extends RawCheck {
  /** Phantom, never set: makes `Check<A>` assignable to `Check<B>` only when A = B. */
  readonly _type?: (value: T) => T;
}

/** Keys of `T` that are not optional. */
export type RequiredKeys<T> = {
  [K in keyof T]-?: Record<never, never> extends Pick<T, K> ? never : K;
}[keyof T];

/** Keys of `T` that are optional. */
export type OptionalKeys<T> = Exclude<keyof T, RequiredKeys<T>>;

/** A check of an object type that also tells which keys it knows. */
export interface ObjectCheck<T> extends Check<T> {
  /** Keys the type requires. */
  readonly required: readonly string[];
  /** Keys the type allows. */
  readonly optional: readonly string[];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  return typeof value;
}

/** Accepts a string. */
export const str: Check<string> = (v, p, out) => {
  if (typeof v !== "string") out.push(`${p}: expected string, got ${describe(v)}`);
};

/** Accepts a finite number. */
export const num: Check<number> = (v, p, out) => {
  if (typeof v !== "number" || !Number.isFinite(v)) {
    out.push(`${p}: expected number, got ${describe(v)}`);
  }
};

/** Accepts a boolean. */
export const bool: Check<boolean> = (v, p, out) => {
  if (typeof v !== "boolean") out.push(`${p}: expected boolean, got ${describe(v)}`);
};

/** Accepts any string, typed as an open string union such as `ApiVersion`. */
export function openString<T extends string>(): Check<T> {
  return str as RawCheck as Check<T>;
}

/** Accepts any plain object, typed as `T` (for `Record<string, unknown>`-like types). */
export function opaque<T extends object>(): Check<T> {
  return (v, p, out) => {
    if (!isRecord(v)) out.push(`${p}: expected object, got ${describe(v)}`);
  };
}

/** Accepts one of the given literals. */
export function lit<const L extends readonly (string | number | boolean)[]>(
  ...values: L
): Check<L[number]> {
  return (v, p, out) => {
    if (!values.includes(v as L[number])) {
      out.push(`${p}: expected one of ${JSON.stringify(values)}, got ${JSON.stringify(v)}`);
    }
  };
}

/** Accepts `null` or what `check` accepts. */
export function nullable<T>(check: Check<T>): Check<T | null> {
  return (v, p, out) => {
    if (v !== null) check(v, p, out);
  };
}

/** Accepts an array whose items `check` accepts. */
export function arrayOf<T>(check: Check<T>): Check<T[]> {
  return (v, p, out) => {
    if (!Array.isArray(v)) {
      out.push(`${p}: expected array, got ${describe(v)}`);
      return;
    }
    v.forEach((item, i) => check(item, `${p}[${i}]`, out));
  };
}

/** Accepts an object whose values `check` accepts. */
export function recordOf<T>(check: Check<T>): Check<Record<string, T>> {
  return (v, p, out) => {
    if (!isRecord(v)) {
      out.push(`${p}: expected object, got ${describe(v)}`);
      return;
    }
    for (const [k, item] of Object.entries(v)) check(item, `${p}.${k}`, out);
  };
}

/** Accepts what any of the checks accepts. */
export function anyOf<T extends unknown[]>(...checks: { [I in keyof T]: Check<T[I]> }): Check<
  T[number]
> {
  return (v, p, out) => {
    const attempts = (checks as readonly RawCheck[]).map((check) => {
      const problems: string[] = [];
      check(v, p, problems);
      return problems;
    });
    if (attempts.some((problems) => problems.length === 0)) return;
    out.push(`${p}: matches no alternative (${attempts.map((a) => a.join("; ")).join(" | ")})`);
  };
}

/** Defers building a check (for recursive types). */
export function lazy<T>(build: () => Check<T>): Check<T> {
  return (v, p, out) => build()(v, p, out);
}

/**
 * Checks an object type: every required key present, every present key known and
 * accepted by its check. Both maps must name exactly the type's keys.
 */
export function shape<T>(
  required: { [K in RequiredKeys<T> & string]: Check<T[K]> },
  optional: { [K in OptionalKeys<T> & string]-?: Check<Exclude<T[K], undefined>> },
): ObjectCheck<T> {
  const req = required as Record<string, RawCheck>;
  const opt = optional as Record<string, RawCheck>;
  const check: RawCheck = (v, p, out) => {
    if (!isRecord(v)) {
      out.push(`${p}: expected object, got ${describe(v)}`);
      return;
    }
    for (const [key, c] of Object.entries(req)) {
      if (!(key in v)) out.push(`${p}.${key}: missing`);
      else c(v[key], `${p}.${key}`, out);
    }
    for (const [key, c] of Object.entries(opt)) {
      if (v[key] !== undefined) c(v[key], `${p}.${key}`, out);
    }
    for (const key of Object.keys(v)) {
      if (!(key in req) && !(key in opt)) out.push(`${p}.${key}: not in the type`);
    }
  };
  return Object.assign(check, { required: Object.keys(req), optional: Object.keys(opt) });
}

/**
 * Checks a union discriminated by `key`. Cases may be left out (preview-only kinds);
 * a value of a left-out kind is reported.
 */
export function union<U extends Record<K, string>, K extends string>(
  key: K,
  cases: { [V in U[K]]?: Check<Extract<U, Record<K, V>>> },
): Check<U> {
  const table = cases as Partial<Record<string, RawCheck>>;
  return (v, p, out) => {
    if (!isRecord(v)) {
      out.push(`${p}: expected object, got ${describe(v)}`);
      return;
    }
    const tag = v[key];
    const check = typeof tag === "string" ? table[tag] : undefined;
    if (check === undefined) {
      out.push(`${p}.${key}: unexpected ${JSON.stringify(tag)}`);
      return;
    }
    check(v, p, out);
  };
}

/** Runs a check and returns the problems (empty when the value fits). */
export function problemsOf(check: RawCheck, value: unknown, path = "$"): string[] {
  const out: string[] = [];
  check(value, path, out);
  return out;
}
