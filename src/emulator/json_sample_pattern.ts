/**
 * A string matching a simple regular expression (a JSON Schema `pattern`): literals, escapes,
 * classes (Unicode property ones too: a character of the property, e.g. `\p{L}` "a",
 * `\p{Emoji}` "😀"), groups (the first alternative), anchors and quantifiers (their least count, plus
 * `extra` for the open-ended ones). Lookarounds and back-references are skipped, so the result
 * is a guess: the caller tests it against the pattern.
 *
 * @module
 */

/** Characters of each class escape, the one picked for variant 0 first. */
const CLASS_ESCAPES: Record<string, string> = {
  d: "0123456789",
  w: "abcdefghij",
  s: " \t",
  D: "abcdefghij",
  W: "-.,:!",
  S: "abcdefghij",
};
const CONTROL_ESCAPES: Record<string, string> = { n: "\n", r: "\r", t: "\t", f: "\f", v: "\v" };
/** Characters tried for a negated class (`[^…]`). */
const ANY = ["a", "0", "x", "A", "_", "-", " ", ".", "b", "1", "y", "B"];
/**
 * Characters tried, in order, for a Unicode property class (`\p{…}`, `\P{…}`): an emoji first
 * (`\p{Emoji}` also holds the digits), then letters, digits, marks, punctuation, a space, a
 * control, CJK, a regional indicator and the keycap mark.
 */
const UNICODE = ["😀", "a", "A", "0", "é", "\u0301", "-", "+", " ", "\t", "中", "🇦", "\u20e3"];

/**
 * A guess at the shortest string `pattern` matches (with `extra` more repeats of each `*`, `+`
 * and `{n,}`); undefined when the pattern is beyond this reader. `variant` > 0 picks other
 * characters of each class (the variant-th one, wrapping), for distinct strings.
 */
export function sampleFromPattern(pattern: string, extra = 0, variant = 0): string | undefined {
  let i = 0;
  const peek = () => pattern[i];
  const pick = (chars: string[]) => chars[variant % chars.length];

  /** The characters an escape (after its `\`) stands for; [""] for an assertion. */
  function escape(): string[] {
    const c = pattern[i++];
    if (c === undefined) throw new Error("dangling escape");
    if (c in CLASS_ESCAPES) return [...CLASS_ESCAPES[c]];
    if (c in CONTROL_ESCAPES) return [CONTROL_ESCAPES[c]];
    if (c === "b" || c === "B" || /[1-9]/.test(c)) return [""];
    if (c === "p" || c === "P") {
      const m = /^\{[\w=]+\}/.exec(pattern.slice(i));
      if (!m) return [c];
      i += m[0].length;
      // Throws for a property this runtime does not know: the pattern is then beyond this reader.
      const re = new RegExp(`^\\${c}${m[0]}$`, "u");
      const chars = UNICODE.filter((s) => re.test(s));
      if (!chars.length) throw new Error("no character of the property");
      return chars;
    }
    if (c === "u" || c === "x") {
      const m = /^\{([0-9a-f]+)\}|^[0-9a-f]{2,4}/i.exec(pattern.slice(i));
      if (!m) return [c];
      const hex = m[1] ?? m[0].slice(0, c === "x" ? 2 : 4);
      i += m[1] !== undefined ? m[0].length : hex.length;
      return [String.fromCodePoint(parseInt(hex, 16))];
    }
    return [c];
  }

  function charClass(): string {
    const start = i;
    const negated = peek() === "^";
    if (negated) i++;
    const chars: string[] = [];
    while (i < pattern.length && (peek() !== "]" || i === start + (negated ? 1 : 0))) {
      const c = String.fromCodePoint(pattern.codePointAt(i)!);
      i += c.length;
      const got = c === "\\" ? escape() : [c];
      if (got.length !== 1 || peek() !== "-" || i + 1 >= pattern.length || pattern[i + 1] === "]") {
        chars.push(...got);
        continue;
      }
      // A range `a-z`: its first ten characters.
      i++;
      const to = String.fromCodePoint(pattern.codePointAt(i)!);
      i += to.length;
      const from = got[0].codePointAt(0) ?? 0;
      const end = Math.min((to === "\\" ? escape()[0] : to).codePointAt(0) ?? 0, from + 9);
      for (let p = from; p <= end; p++) chars.push(String.fromCodePoint(p));
    }
    if (peek() !== "]") throw new Error("unclosed class");
    const body = pattern.slice(start, i++);
    let re: RegExp | undefined;
    try {
      re = new RegExp(`^[${body}]$`, "u");
    } catch {
      if (negated) throw new Error("a negated class this reader cannot test");
    }
    const fit = (negated ? ANY : chars).filter((s) => !re || re.test(s));
    if (!fit.length && negated) throw new Error("no character outside the class");
    return fit.length ? pick(fit) : chars[0] ?? "";
  }

  function atom(): string {
    const c = pattern[i++];
    if (c === "^" || c === "$") return "";
    if (c === ".") return pick(ANY);
    if (c === "\\") return pick(escape());
    if (c === "[") return charClass();
    if (c === "(") {
      let skip = false;
      if (peek() === "?") {
        const m = /^\?(:|=|!|<=|<!|<[A-Za-z_$][\w$]*>)/.exec(pattern.slice(i));
        if (!m) throw new Error("unknown group");
        skip = m[1] !== ":" && !m[1].endsWith(">");
        i += m[0].length;
      }
      const inner = alternation();
      if (pattern[i++] !== ")") throw new Error("unclosed group");
      return skip ? "" : inner;
    }
    return c;
  }

  /** How many times the atom before the quantifier at `i` repeats (1 without one). */
  function quantifier(): number {
    const c = peek();
    let n = 1;
    if (c === "?") n = 0;
    else if (c === "*") n = extra;
    else if (c === "+") n = 1 + extra;
    else if (c === "{") {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(pattern.slice(i));
      if (!m) return 1;
      n = Number(m[1]);
      if (m[2] !== undefined) n = m[3] === "" ? n + extra : Math.min(n + extra, Number(m[3]));
      i += m[0].length - 1;
    } else return 1;
    i++;
    if (peek() === "?") i++; // lazy: the same least count
    return n;
  }

  function sequence(): string {
    let out = "";
    while (i < pattern.length && peek() !== "|" && peek() !== ")") {
      const a = atom();
      out += a.repeat(quantifier());
    }
    return out;
  }

  function alternation(): string {
    const first = sequence();
    while (peek() === "|") {
      i++;
      sequence();
    }
    return first;
  }

  try {
    const out = alternation();
    return i === pattern.length ? out : undefined;
  } catch {
    return undefined;
  }
}
