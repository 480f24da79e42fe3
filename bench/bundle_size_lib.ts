/**
 * Helpers for `bench/bundle_size.ts`: gzip size with `CompressionStream`, and splitting an
 * unminified esbuild bundle into its per-module sections (esbuild starts each module's code
 * with a `// path/to/file.ts` comment line).
 *
 * @module
 */

/** One module's code in an unminified bundle. */
export interface ModuleSection {
  /** The module path esbuild printed, e.g. `src/client.ts`. */
  path: string;
  /** The module's code, up to the next module's comment. */
  code: string;
}

/**
 * Gzipped size in bytes of `bytes`, compressed with the web-standard `CompressionStream`.
 *
 * @example Size of a repeated string
 * ```ts
 * import { gzipSize } from "./bundle_size_lib.ts";
 * const n = await gzipSize(new TextEncoder().encode("a".repeat(1000)));
 * console.log(n < 100);
 * ```
 */
export async function gzipSize(bytes: Uint8Array<ArrayBuffer>): Promise<number> {
  const stream = new Blob([bytes]).stream().pipeThrough(new CompressionStream("gzip"));
  let size = 0;
  for await (const chunk of stream) size += chunk.length;
  return size;
}

const SECTION_START = /^\/\/ ((?:[\w.@-]+\/)*[\w.@-]+\.(?:ts|js|mjs|cjs|mts|tsx|jsx))$/gm;

/**
 * Splits an unminified esbuild bundle into module sections. Code before the first module
 * comment (esbuild's runtime helpers) is reported under the path `(esbuild runtime)`.
 *
 * @example Two modules
 * ```ts
 * import { moduleSections } from "./bundle_size_lib.ts";
 * const sections = moduleSections("// src/a.ts\nvar a = 1;\n\n// src/b.ts\nvar b = 2;\n");
 * console.log(sections.map((s) => s.path)); // ["src/a.ts", "src/b.ts"]
 * ```
 */
export function moduleSections(bundle: string): ModuleSection[] {
  const starts: Array<{ path: string; index: number; end: number }> = [];
  for (const m of bundle.matchAll(SECTION_START)) {
    starts.push({ path: m[1], index: m.index, end: m.index + m[0].length });
  }
  const sections: ModuleSection[] = [];
  const head = bundle.slice(0, starts.length > 0 ? starts[0].index : bundle.length).trim();
  if (head.length > 0) sections.push({ path: "(esbuild runtime)", code: head });
  for (let i = 0; i < starts.length; i++) {
    const stop = i + 1 < starts.length ? starts[i + 1].index : bundle.length;
    sections.push({ path: starts[i].path, code: bundle.slice(starts[i].end, stop).trim() });
  }
  return sections;
}

/**
 * Sums sizes per folder (`src/resources/chat.ts` → `src/resources`; a file of an npm package
 * counts under `npm:<package>`), largest first.
 *
 * @example Per folder
 * ```ts
 * import { sumByFolder } from "./bundle_size_lib.ts";
 * const rows = sumByFolder([
 *   { path: "src/a/x.ts", bytes: 1 },
 *   { path: "src/a/y.ts", bytes: 2 },
 *   { path: "mod.ts", bytes: 5 },
 * ]);
 * console.log(rows); // [["(root)", 5], ["src/a", 3]]
 * ```
 */
export function sumByFolder(
  items: Array<{ path: string; bytes: number }>,
): Array<[string, number]> {
  const totals = new Map<string, number>();
  for (const { path, bytes } of items) {
    const folder = folderOf(path);
    totals.set(folder, (totals.get(folder) ?? 0) + bytes);
  }
  return [...totals].sort((a, b) => b[1] - a[1]);
}

function folderOf(path: string): string {
  if (path.startsWith("(")) return path;
  const npm = path.match(/(?:node_modules|registry\.npmjs\.org)\/((?:@[^/]+\/)?[^/]+)/);
  if (npm) return `npm:${npm[1]}`;
  const slash = path.lastIndexOf("/");
  return slash === -1 ? "(root)" : path.slice(0, slash);
}

/** Characters after which a `/` in minified code starts a regular expression, not a division. */
const REGEX_AFTER = new Set("(,=:[!&|?{};+-*%<>~^");

/**
 * Empties the text of every string and template literal in (minified) JavaScript, keeping the
 * quotes and a template's `${…}` code, and counts what was removed: how much of a bundle is
 * text (messages, header names, paths) rather than code. Comments are not expected (minified
 * input); regular expressions are kept as they are.
 *
 * @example
 * ```ts
 * import { emptyStringLiterals } from "./bundle_size_lib.ts";
 * const r = emptyStringLiterals('f("hello",`a${x+"b"}c`)');
 * console.log(r.code); // f("",`${x+""}`)
 * console.log(r.literals, r.chars); // 3 8
 * ```
 */
export function emptyStringLiterals(js: string): { code: string; literals: number; chars: number } {
  let out = "";
  let literals = 0;
  let chars = 0;
  let i = 0;
  // Brace depth of each open template's `${`, innermost last.
  const templates: number[] = [];
  let depth = 0;
  let last = "";
  const skipString = (quote: string) => {
    let j = i + 1;
    while (j < js.length && js[j] !== quote) j += js[j] === "\\" ? 2 : 1;
    literals++;
    chars += j - i - 1;
    out += quote + quote;
    i = j + 1;
  };
  // Scans template text from i (just after "`" or "}") to the end or the next "${".
  const templateText = () => {
    let j = i;
    while (j < js.length && js[j] !== "`" && !(js[j] === "$" && js[j + 1] === "{")) {
      j += js[j] === "\\" ? 2 : 1;
    }
    chars += j - i;
    if (js[j] === "`") {
      out += "`";
      i = j + 1;
    } else {
      out += "${";
      templates.push(depth++);
      i = j + 2;
    }
  };
  while (i < js.length) {
    const c = js[i];
    if (c === '"' || c === "'") {
      skipString(c);
      last = c;
    } else if (c === "`") {
      literals++;
      out += "`";
      i++;
      templateText();
      last = "`";
    } else if (c === "}" && templates.length && templates[templates.length - 1] === depth - 1) {
      templates.pop();
      depth--;
      out += "}";
      i++;
      templateText();
      last = "`";
    } else if (c === "/" && (last === "" || REGEX_AFTER.has(last))) {
      let j = i + 1;
      let inClass = false;
      while (j < js.length && (inClass || js[j] !== "/")) {
        if (js[j] === "\\") j++;
        else if (js[j] === "[") inClass = true;
        else if (js[j] === "]") inClass = false;
        j++;
      }
      out += js.slice(i, j + 1);
      i = j + 1;
      last = "/";
    } else {
      if (c === "{") depth++;
      else if (c === "}") depth--;
      out += c;
      i++;
      if (c.trim()) last = c;
    }
  }
  return { code: out, literals, chars };
}
