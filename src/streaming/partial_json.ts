/**
 * Parses `text`, a JSON text cut anywhere, as the openai SDK's streamed `parsed` /
 * `parsed_arguments` do: the text is trimmed (whitespace-only throws); an open string is closed
 * (an escape cut mid-way dropped), a cut `true` / `false` / `null` completed, open arrays and
 * objects closed; a key without its value and a number at the end of an array or object (it may
 * go on) are left out, a number alone must be whole (else it throws). Works by mending the text,
 * then `JSON.parse()` (which throws for an empty text).
 */
export function partialParse(text: string): unknown {
  const s = text.trim(), n = s.length;
  /** The closing brackets of the open containers, innermost first. */
  let close = "";
  /** `s.slice(0, good) + close` is a whole JSON text (close changes only where good does). */
  let good = 0;
  /** The next string is a key. */
  let key: unknown;
  for (let i = 0, e = 0, c, from; i < n;) {
    c = s[from = i++];
    if (c == '"') {
      // To the closing quote, skipping escapes whole (a cut one leaves i past the end).
      for (; i < n && s[i] != '"'; i++) if (s[i] == "\\") i += s[(e = i) + 1] == "u" ? 5 : 1;
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
    } else if (c == "}" || c == "]") {
      close = close.slice(1);
    } else if (/[\s:,]/.test(c)) {
      if (c == ",") key = close[0] == "}";
      continue;
    } else {
      while (i < n && /[\w.+-]/.test(s[i])) i++;
      if (i == n) {
        const word = ["true", "false", "null"].find((w) => w.startsWith(s.slice(from)));
        if (word) return JSON.parse(s.slice(0, from) + word + close);
        // A number: in a container it may go on; alone it is read whole (or throws).
        if (close) break;
      }
    }
    good = i;
  }
  return JSON.parse(s.slice(0, good) + close);
}
