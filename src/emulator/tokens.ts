/**
 * The emulator's deterministic stand-in for a tokenizer.
 *
 * Rule (documented, stable): a token is an optional run of whitespace followed by
 * up to 4 non-whitespace characters; a run of non-whitespace characters of length
 * `L` therefore counts `ceil(L / 4)` tokens. Trailing whitespace is one more token.
 * It is not tiktoken, but it is cheap, and counts grow with text length like real ones.
 *
 * @module
 */

function isSpace(code: number): boolean {
  return code === 32 || code === 10 || code === 9 || code === 13 || code === 12 || code === 11;
}

/** End index (exclusive) of the token starting at `i`. */
function tokenEnd(text: string, i: number): number {
  let j = i;
  while (j < text.length && isSpace(text.charCodeAt(j))) j++;
  if (j === text.length) return j;
  let k = j;
  while (k < text.length && k - j < 4 && !isSpace(text.charCodeAt(k))) k++;
  // Keep a surrogate pair together.
  const last = text.charCodeAt(k - 1);
  if (k < text.length && last >= 0xd800 && last <= 0xdbff) k++;
  return k;
}

/**
 * Counts the emulator tokens of `text` (see the module doc for the rule); equals
 * `tokenize(text).length` without allocating.
 *
 * @example Count tokens
 * ```ts
 * import { countTokens } from "@aoai/edge/emulator";
 * console.log(countTokens("You said: hello")); // 5
 * ```
 */
export function countTokens(text: string): number {
  let count = 0;
  for (let i = 0; i < text.length; i = tokenEnd(text, i)) count++;
  return count;
}

/**
 * Splits `text` into emulator tokens; joining the result gives back `text` exactly.
 *
 * @example Tokenize
 * ```ts
 * import { tokenize } from "@aoai/edge/emulator";
 * console.log(tokenize("You said: hello")); // ["You", " said", ":", " hell", "o"]
 * ```
 */
export function tokenize(text: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < text.length;) {
    const k = tokenEnd(text, i);
    out.push(text.slice(i, k));
    i = k;
  }
  return out;
}
