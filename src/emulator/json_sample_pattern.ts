/**
 * A string matching a simple regular expression (a JSON Schema `pattern`): literals, escapes,
 * classes, groups (the first alternative), anchors and quantifiers (their least count, plus
 * `extra` for the open-ended ones). Lookarounds and back-references are skipped, so the result
 * is a guess: the caller tests it against the pattern.
 *
 * @module
 */

const CLASS_ESCAPES: Record<string, string> = { d: "0", w: "a", s: " ", D: "a", W: "-", S: "a" };
const CONTROL_ESCAPES: Record<string, string> = { n: "\n", r: "\r", t: "\t", f: "\f", v: "\v" };
/** Characters tried for a negated class (`[^…]`). */
const ANY = ["a", "0", "x", "A", "_", "-", " ", "."];

/**
 * A guess at the shortest string `pattern` matches (with `extra` more repeats of each `*`, `+`
 * and `{n,}`); undefined when the pattern is beyond this reader.
 */
export function sampleFromPattern(pattern: string, extra = 0): string | undefined {
  let i = 0;
  const peek = () => pattern[i];

  function escape(): string {
    const c = pattern[i++];
    if (c === undefined) throw new Error("dangling escape");
    if (c in CLASS_ESCAPES) return CLASS_ESCAPES[c];
    if (c in CONTROL_ESCAPES) return CONTROL_ESCAPES[c];
    if (c === "b" || c === "B" || /[1-9]/.test(c)) return "";
    if (c === "u" || c === "x") {
      const m = /^\{([0-9a-f]+)\}|^[0-9a-f]{2,4}/i.exec(pattern.slice(i));
      if (!m) return c;
      const hex = m[1] ?? m[0].slice(0, c === "x" ? 2 : 4);
      i += m[1] !== undefined ? m[0].length : hex.length;
      return String.fromCodePoint(parseInt(hex, 16));
    }
    return c;
  }

  function charClass(): string {
    const start = i;
    const negated = peek() === "^";
    if (negated) i++;
    let first: string | undefined;
    while (i < pattern.length && (peek() !== "]" || i === start + (negated ? 1 : 0))) {
      const c = pattern[i++];
      const ch = c === "\\" ? escape() : c;
      first ??= ch;
    }
    if (peek() !== "]") throw new Error("unclosed class");
    const body = pattern.slice(start, i++);
    if (!negated) return first ?? "";
    const re = new RegExp(`^[${body}]$`, "u");
    const pick = ANY.find((s) => re.test(s));
    if (pick === undefined) throw new Error("no character outside the class");
    return pick;
  }

  function atom(): string {
    const c = pattern[i++];
    if (c === "^" || c === "$") return "";
    if (c === ".") return "a";
    if (c === "\\") return escape();
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
