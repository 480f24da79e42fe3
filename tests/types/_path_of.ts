/**
 * Type-level paths into a wire type, for tests/types/spec_fields_test.ts: `PathOf<T>` is every
 * dotted property path of `T` (arrays are walked through, union members each contribute their
 * keys), and `ValueAt<T, P>` is the type found at such a path (array elements unwrapped at the
 * end). Test-only.
 *
 * @module
 */

/** Depth counter: `Prev[8]` is 7, …, `Prev[1]` is 0, `Prev[0]` is `never` (stop). */
type Prev = [never, 0, 1, 2, 3, 4, 5, 6, 7];

/** Every dotted property path of `T`, at most 8 levels deep. */
export type PathOf<T, D extends number = 8> = [D] extends [never] ? never
  : T extends readonly (infer U)[] ? PathOf<U, D>
  : T extends object ? {
      [K in keyof T & string]-?: K | `${K}.${PathOf<NonNullable<T[K]>, Prev[D]>}`;
    }[keyof T & string]
  : never;

/** An array type's element type; any other type as it is. */
type Element<V> = V extends readonly (infer U)[] ? U : V;

/** The type at the dotted path `P` of `T` (`undefined` and `null` kept at the end). */
export type ValueAt<T, P extends string> = T extends readonly (infer U)[] ? ValueAt<U, P>
  : T extends object ? (
      P extends `${infer K}.${infer R}`
        ? (K extends keyof T ? ValueAt<NonNullable<T[K]>, R> : never)
        : P extends keyof T ? Element<T[P]>
        : never
    )
  : never;
