/** The closing text of each literal, by its first letter. */
const WORDS: Record<string, string> = { t: "true", f: "false", n: "null" };

/**
 * Parses `text`, a JSON text cut anywhere, as the openai SDK's streamed `parsed` /
 * `parsed_arguments` do: the text is trimmed (whitespace-only throws); an open string is closed
 * (an escape cut mid-way dropped), a cut `true` / `false` / `null` completed, open arrays and
 * objects closed; a key without its value and a number at the end of an array or object (it may
 * go on) are left out, a number alone must be whole (else it throws). Works by mending the text,
 * then `JSON.parse()`.
 */
export function partialParse(text: string): unknown {
  const s = text.trim(), n = s.length;
  /** The closing brackets of the open containers, innermost first. */
  let close = "";
  /** `s.slice(0, good) + end` is a whole JSON text. */
  let good = 0, end = "";
  /** The next string is a key. */
  let key: unknown;
  if (!n) throw new SyntaxError("partial JSON: no value");
  for (let i = 0, e = 0, c, from; i < n;) {
    c = s[from = i];
    if (c == '"') {
      // To the closing quote, skipping escapes whole (a cut one leaves i past the end).
      for (i++; i < n && s[i] != '"'; i++) if (s[i] == "\\") i += s[(e = i) + 1] == "u" ? 5 : 1;
      if (i++ >= n) {
        if (key) break;
        return JSON.parse(s.slice(0, i > n + 1 ? e : n) + '"' + close);
      }
      if (key) {
        key = 0;
        continue;
      }
    } else if (c == "{" || c == "[") {
      key = c == "{";
      close = (key ? "}" : "]") + close;
      i++;
    } else if (c == "}" || c == "]") {
      close = close.slice(1);
      i++;
    } else if (/[\s:,]/.test(c)) {
      if (c == ",") key = close[0] == "}";
      i++;
      continue;
    } else {
      do i++; while (i < n && /[\w.+-]/.test(s[i]));
      if (i == n) {
        const word = WORDS[c];
        if (word?.startsWith(s.slice(from))) return JSON.parse(s.slice(0, from) + word + close);
        if (close) break;
        return JSON.parse(s);
      }
    }
    good = i;
    end = close;
  }
  return JSON.parse(s.slice(0, good) + end);
}
