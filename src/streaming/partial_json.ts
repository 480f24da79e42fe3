/**
 * Where {@linkcode partialParse} stopped reading a text, to go on from there when the next text
 * extends it: the text (`t`), the start of the token cut by its end (`i`) and, in a string, where
 * to go on reading it (`q`); what is whole so far (`g`), the brackets to close (`c`) and whether a
 * key comes next (`k`).
 */
export interface PartialParseState {
  t?: string;
  i?: number;
  q?: number;
  g?: number;
  c?: string;
  k?: unknown;
}

/**
 * Parses `text`, a JSON text cut anywhere, as the openai SDK's streamed `parsed` /
 * `parsed_arguments` do: the text is trimmed (whitespace-only throws); an open string is closed
 * (an escape cut mid-way dropped), a cut `true` / `false` / `null` completed, open arrays and
 * objects closed; a key without its value and a number at the end of an array or object (it may
 * go on) are left out, a number alone must be whole (else it throws). Works by mending the text,
 * then `JSON.parse()` (which throws for an empty text), so each call gives new objects.
 *
 * With `state` (kept by the caller, first `{}`), a text that extends the one of the last call is
 * read on from where that one stopped: a text read in growing pieces costs time linear in its
 * length (plus the `JSON.parse()`); any other text is read from its start.
 */
export function partialParse(text: string, state: PartialParseState = {}): unknown {
  const n = text.trimEnd().length, b = text.length - text.trimStart().length;
  const { t = "" } = state;
  // (Faster than text.startsWith(t), which V8 compares unit by unit.)
  let { i = 0, q = 0, g: good, c: close = "", k: key }: PartialParseState =
    text.slice(0, t.length) == t ? state : {};
  /** The text is read to `end` (else to `good`), then `tail` and `close` are added. */
  let end, tail = "";
  for (let e, c, from; i < n;) {
    c = text[from = i++];
    if (c == '"') {
      if (q) i = q, q = 0;
      // To the closing quote, skipping escapes whole (a cut one leaves i past the end).
      for (; i < n && text[i] != '"'; i++) {
        if (text[i] == "\\") {
          i += text[(e = i) + 1] == "u" ? 5 : 1;
        }
      }
      if (i++ >= n) {
        // Read on from the escape cut mid-way, else from the end.
        q = i > n + 1 ? e! : n;
        if (!key) end = q, tail = '"';
        i = from;
        break;
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
      while (i < n && /[\w.+-]/.test(text[i])) i++;
      if (i == n) {
        const word = ["true", "false", "null"].find((w) => w.startsWith(text.slice(from, n)));
        // A number: in a container it may go on; alone it is read whole (or throws).
        if (word) end = from, tail = word;
        else if (!close) end = n;
        i = from;
        break;
      }
    }
    good = i;
  }
  Object.assign(state, { t: text, i, q, g: good, c: close, k: key });
  return JSON.parse(text.slice(b, end ?? good) + tail + close);
}
