/**
 * Part and file names of a `multipart/form-data` body as sent: the platform's parser may misread
 * a part's `Content-Disposition` (Deno's splits it at every `;` and `=`, quoted or not, so a file
 * named "Meeting; part 2.wav" comes out as '"Meeting'). Web standards only; used by the edge
 * app's `readFormLimited()` and the emulator, not by the core bundle.
 *
 * @module
 */

/** Reads a form's part header blocks from its bytes, chunk by chunk (see {@link partHeads}). */
export interface PartHeads {
  /** Delimiters seen so far (the parts plus the closing one). */
  readonly delimiters: number;
  /** Reads the next chunk of the body. */
  read(chunk: Uint8Array): void;
  /**
   * `form` (the platform's parse of the same body) with each part's name and file name as its
   * header block has them (a quoted value may hold ';', '=' and '\\"'; a `filename*=UTF-8''...`
   * comes first); `form` as it is when the two readings disagree on the parts or on which are
   * files, or the content type has no boundary.
   */
  name(form: FormData): FormData;
  /**
   * Set by the first part whose `Content-Disposition` has a quoted value a raw CR or LF cuts (it
   * is not closed on its line; Deno's parser drops such a part or cuts the name): `part` is the
   * part's name when the cut value is its file name.
   */
  readonly cut?: { part?: string };
}

/**
 * A {@link PartHeads} for a body of `contentType` (its boundary is used as sent: it is
 * case-sensitive). Each header block is kept up to 8 KB.
 */
export function partHeads(contentType: string): PartHeads {
  const boundary = /;\s*boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  // Delimiters ("\r\n--" + boundary, the first one after a virtual CRLF) seen: parts + 1.
  const delimiter = boundary && new TextEncoder().encode(`\r\n--${boundary[1] ?? boundary[2]}`);
  let tail = new Uint8Array([13, 10]);
  // Each part's header block (as latin1 text), and the one being read across chunks.
  const heads: string[] = [];
  let head: string | undefined;
  let cut: { part?: string } | undefined;
  const self = {
    delimiters: 0,
    get cut() {
      return cut;
    },
    read(chunk: Uint8Array) {
      if (!delimiter) return;
      const keep = delimiter.length - 1;
      const seam = new Uint8Array(tail.length + Math.min(keep, chunk.length));
      seam.set(tail);
      seam.set(chunk.subarray(0, keep), tail.length);
      // Where in `chunk` each delimiter ends, i.e. a part's header block starts.
      const starts = [
        ...find(seam, delimiter, tail.length).map((i) => i - tail.length),
        ...find(chunk, delimiter),
      ].map((i) => i + delimiter.length);
      self.delimiters += starts.length;
      tail = chunk.length >= keep ? chunk.slice(-keep) : seam.slice(-keep);
      if (head !== undefined) starts.unshift(0);
      starts.forEach((start, i) => {
        const text = (i || head === undefined ? "" : head) +
          String.fromCharCode(
            ...chunk.subarray(start, Math.min(starts[i + 1] ?? 1e9, start + 8192)),
          );
        const end = text.indexOf("\r\n\r\n");
        // The closing delimiter ("--") and a header of over 8 KB end the reading.
        head = end < 0 && !text.startsWith("--") && text.length < 8192 ? text : undefined;
        if (end < 0) return;
        heads.push(text.slice(0, end));
        const { params, cuts } = disposition(heads[heads.length - 1]);
        // A file name cut: its part, named; any other value cut (a part's name): no part known.
        cut ??= !cuts.length
          ? undefined
          : cuts.every((key) => /^filename\*?$/.test(key)) && params.name !== undefined
          ? { part: params.name }
          : {};
      });
    },
    name: (form: FormData) => delimiter ? named(form, heads) : form,
  };
  return self;
}

/** Where `needle` starts in `hay`, before index `before`. */
function find(hay: Uint8Array, needle: Uint8Array, before = hay.length): number[] {
  const at: number[] = [];
  for (let i = hay.indexOf(needle[0]); i !== -1 && i < before; i = hay.indexOf(needle[0], i + 1)) {
    let j = 1;
    while (j < needle.length && hay[i + j] === needle[j]) j++;
    if (j === needle.length) at.push(i);
  }
  return at;
}

/**
 * The parameters of a header block's `Content-Disposition: form-data` line (keys lower-cased, the
 * first of each kept), and the keys whose quoted value the line's end cuts (a raw CR or LF in it).
 */
function disposition(head: string): { params: Record<string, string>; cuts: string[] } {
  const params: Record<string, string> = {};
  const cuts: string[] = [];
  const text = new TextDecoder().decode(Uint8Array.from(head, (c) => c.charCodeAt(0)));
  const line = /(?:^|\n)content-disposition:[ \t]*form-data([^\r\n]*)/i.exec(text)?.[1] ?? "";
  for (
    const [, key, quoted, token] of line.matchAll(
      /;\s*([^\s=;]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^;\s]*))/g,
    )
  ) {
    if (token?.[0] === '"') cuts.push(key.toLowerCase());
    params[key.toLowerCase()] ??= quoted?.replaceAll('\\"', '"') ?? token;
  }
  return { params, cuts };
}

/** See {@link PartHeads.name}. */
function named(form: FormData, heads: string[]): FormData {
  const entries = [...form];
  const out = new FormData();
  for (const [i, [, value]] of entries.entries()) {
    const { params } = disposition(heads[i] ?? "");
    const star = /^utf-8''(.*)$/i.exec(params["filename*"]);
    let filename = params.filename;
    try {
      if (star) filename = decodeURIComponent(star[1]);
    } catch { /* the plain filename then */ }
    const { name } = params;
    if (
      entries.length !== heads.length || name === undefined ||
      (filename === undefined) !== (typeof value === "string")
    ) return form;
    if (typeof value === "string") out.append(name, value);
    else out.append(name, value, filename);
  }
  return out;
}
