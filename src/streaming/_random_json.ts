/**
 * Seeded random JSON for the partial-JSON tests: values (strings with escapes and non-BMP
 * characters, numbers of every form, literals, nested arrays and objects) and texts writing them
 * with random blanks between tokens.
 */
export interface RandomJson {
  /** A random integer in [0, n). */
  rand(n: number): number;
  /** A random value, nesting at most 4 deep. */
  value(): unknown;
  /** A blank from the generator's list (may be empty). */
  ws(): string;
  /** `v` as JSON text with blanks between its tokens (an empty array as `[]` with `tightEmpty`). */
  write(v: unknown): string;
}

const CHARS = 'ab"\\/\n\t\u0001é€😀\u2028 \u00a0xz';

/** A generator from `seed`; `blanks` are the blanks `ws()` and `write()` choose from. */
export function randomJson(
  seed: number,
  blanks: string[],
  { size = 4, tightEmpty = false } = {},
): RandomJson {
  const rand = (n: number) => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 16) % n;
  const str = () =>
    Array.from({ length: rand(size + 2) }, () => CHARS[rand(CHARS.length)]).join("");
  const value = (depth = 0): unknown => {
    const kind = rand(depth > 3 ? 4 : 6);
    return kind == 0
      ? str()
      : kind == 1
      ? [0, -1, 1.5, -0.25e-5, 1e21, 98765, 3.14159][rand(7)]
      : kind == 2
      ? [true, false, null][rand(3)]
      : kind == 3
      ? rand(100000) / [1, 10, 1000][rand(3)]
      : kind == 4
      ? Array.from({ length: rand(size) }, () => value(depth + 1))
      : Object.fromEntries(Array.from({ length: rand(size) }, () => [str(), value(depth + 1)]));
  };
  const ws = () => blanks[rand(blanks.length)];
  const write = (v: unknown): string =>
    Array.isArray(v)
      ? tightEmpty && !v.length ? "[]" : `[${ws()}${v.map(write).join(`${ws()},${ws()}`)}${ws()}]`
      : v && typeof v == "object"
      ? `{${ws()}${
        Object.entries(v).map(([k, x]) => `${JSON.stringify(k)}${ws()}:${ws()}${write(x)}`)
          .join(`${ws()},${ws()}`)
      }${ws()}}`
      : JSON.stringify(v);
  return { rand, value, ws, write };
}
