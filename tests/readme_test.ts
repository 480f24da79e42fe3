/**
 * Keeps README.md and edge/README.md true where that is cheap to check: their TypeScript blocks
 * type-check against the code (as written, endpoints included: no network), the environment
 * table lists exactly the variables the entry points read (and where), the options and error
 * codes they name exist, and every `deno task` they name is a task.
 */
import assert from "node:assert/strict";
import { typeCheck } from "./helpers/type_check.ts";

const ROOT = new URL("../", import.meta.url);
const read = (path: string) => Deno.readTextFileSync(new URL(path, ROOT));

interface Block {
  lang: string;
  body: string;
  /** 1-based line of the opening fence. */
  line: number;
}

/** The fenced code blocks of `markdown`, list-indented ones included (indent removed). */
export function codeBlocks(markdown: string): Block[] {
  const blocks: Block[] = [];
  const fence = /^([ \t]*)```(\S*)[^\n]*\n([\s\S]*?)^\1```[ \t]*$/gm;
  for (const match of markdown.matchAll(fence)) {
    const indent = match[1];
    const body = match[3].split("\n").map((l) => l.startsWith(indent) ? l.slice(indent.length) : l)
      .join("\n");
    const line = markdown.slice(0, match.index).split("\n").length;
    blocks.push({ lang: match[2], body, line });
  }
  return blocks;
}

/** The text of the section under `heading` (up to the next heading of its level or higher). */
function section(markdown: string, heading: string): string {
  const start = markdown.indexOf(`\n${heading}\n`);
  assert.notEqual(start, -1, `no section ${heading}`);
  const level = heading.split(" ")[0];
  const rest = markdown.slice(start + heading.length + 2);
  const end = rest.search(new RegExp(`^#{1,${level.length}} `, "m"));
  return end === -1 ? rest : rest.slice(0, end);
}

/** Property names of `export interface name` in a source file (two-space-indented members). */
function interfaceMembers(source: string, name: string): string[] {
  const start = source.search(new RegExp(`^export interface ${name}\\b[^{]*\\{`, "m"));
  assert.notEqual(start, -1, `no interface ${name}`);
  const body = source.slice(start, source.indexOf("\n}", start));
  return [...body.matchAll(/^ {2}(?:readonly )?(\w+)\??:/gm)].map((m) => m[1]);
}

/**
 * `@azure/identity` is no dependency of this repository: README.md's Entra ID block is checked
 * against its two exports as the package declares them (v4).
 */
const AZURE_IDENTITY_STUB = `
export interface AccessToken { token: string; expiresOnTimestamp: number }
export interface TokenCredential {
  getToken(scopes: string | string[]): Promise<AccessToken | null>;
}
export declare class DefaultAzureCredential implements TokenCredential {
  getToken(scopes: string | string[]): Promise<AccessToken>;
}
export declare function getBearerTokenProvider(
  credential: TokenCredential,
  scopes: string | string[],
): () => Promise<string>;
`;

function tsBlocks(markdown: string): Block[] {
  return codeBlocks(markdown).filter((b) => b.lang === "ts" || b.lang === "typescript");
}

Deno.test("README.md: every TypeScript block type-checks as written", async () => {
  const blocks = tsBlocks(read("README.md"));
  assert.ok(blocks.length >= 8, `only ${blocks.length} TypeScript blocks found`);
  const files: Record<string, string> = { "_azure_identity.ts": AZURE_IDENTITY_STUB };
  for (const block of blocks) {
    files[`README_L${block.line}.ts`] = block.body.replaceAll(
      '"@azure/identity"',
      '"./_azure_identity.ts"',
    );
  }
  const { ok, output } = await typeCheck(files, "readme_check_");
  assert.ok(ok, `README.md blocks (file names give the fence's line):\n${output}`);
});

/**
 * edge/README.md's blocks are fragments: they use `upstream`, `clientKeys`, keys and clients
 * the reader has. Each is checked with those declared (when it does not declare them itself) and
 * the edge entry point imported; a block that is a bare object literal is the usage event.
 */
const EDGE_FREE_NAMES: Record<string, string> = {
  upstream: 'Edge.EdgeAppOptions["upstream"]',
  clientKeys: "string[]",
  eastKey: "string",
  swedenKey: "string",
  primaryKey: "string",
  readyClient: "Core.AzureOpenAI",
  kv: "Deno.Kv",
};

Deno.test("edge/README.md: every TypeScript block type-checks with its free names declared", async () => {
  const blocks = tsBlocks(read("edge/README.md"));
  assert.ok(blocks.length >= 8, `only ${blocks.length} TypeScript blocks found`);
  const files: Record<string, string> = {};
  for (const block of blocks) {
    let body = block.body;
    if (/^\s*\{/.test(body)) body = `const event: Edge.EdgeRequestEvent = ${body.trim()};\n`;
    const preamble = [
      'import type * as Core from "@aoai/edge";',
      'import type * as Edge from "@aoai/edge/edge";',
    ];
    if (!/^import /m.test(body)) {
      preamble.push(
        'import { createEdgeApp, DenoKvCache, DenoKvRateLimiter, DenoKvTokenQuota } from "@aoai/edge/edge";',
      );
    }
    for (const [name, type] of Object.entries(EDGE_FREE_NAMES)) {
      const declared = new RegExp(`\\b(?:const|let|var)\\s+${name}\\b`).test(body);
      // A use, not a property key (`upstream: …`) nor a member (`e.upstream`).
      if (!declared && new RegExp(`(?<![.\\w])${name}\\b(?!\\s*:)`).test(body)) {
        preamble.push(`declare const ${name}: ${type};`);
      }
    }
    files[`edge_README_L${block.line}.ts`] = `${preamble.join("\n")}\n${body}`;
  }
  const { ok, output } = await typeCheck(files, "readme_check_");
  assert.ok(ok, `edge/README.md blocks (file names give the fence's line):\n${output}`);
});

/** `"NAME"` literals of environment variable names in a source file. */
function envLiterals(source: string): Set<string> {
  const names = source.matchAll(/"((?:AZURE|AOAI|DENO)_[A-Z0-9_]+|PORT|HOST)"/g);
  return new Set([...names].map((m) => m[1]));
}

Deno.test("edge/README.md: the environment table lists exactly what the entry points read", () => {
  const shared = envLiterals(read("edge/_env.ts"));
  const deno = new Set([...envLiterals(read("edge/deno.ts")), ...shared]);
  const worker = new Set([...interfaceMembers(read("edge/worker.ts"), "WorkerEnv"), ...shared]);
  const table = section(read("edge/README.md"), "## Environment");
  const rows = new Map<string, string>();
  for (const line of table.split("\n")) {
    const cells = line.split("|").map((c) => c.trim());
    if (cells.length < 4 || !cells[1].startsWith("`")) continue;
    for (const name of cells[1].matchAll(/`([A-Z][A-Z0-9_]*)`/g)) rows.set(name[1], cells[2]);
  }
  assert.ok(rows.size > 20, `only ${rows.size} variables in the table`);
  const read_ = [...new Set([...deno, ...worker])].sort();
  assert.deepEqual([...rows.keys()].sort(), read_, "the table and the code differ");
  for (const [name, where] of rows) {
    const expected = deno.has(name) && worker.has(name)
      ? ["both", "Deno"] // "Deno": the Worker reads it only to refuse it
      : deno.has(name)
      ? ["Deno"]
      : ["Workers"];
    assert.ok(expected.includes(where), `${name}: "where" is ${where}, the code says ${expected}`);
  }
});

Deno.test("edge/templates/wrangler.toml names every variable a Worker reads, secrets as secrets", () => {
  const table = section(read("edge/README.md"), "## Environment");
  const worker = new Set<string>();
  const secrets = new Set(["AOAI_EDGE_KEYS"]); // client keys: the table says "keys", not "a secret"
  for (const line of table.split("\n")) {
    const cells = line.split("|").map((c) => c.trim());
    if (cells.length < 5 || !cells[1].startsWith("`")) continue;
    if (cells[2] !== "both" && cells[2] !== "Workers") continue;
    for (const name of cells[1].matchAll(/`([A-Z][A-Z0-9_]*)`/g)) {
      worker.add(name[1]);
      if (/\(a secret\b/.test(cells[3])) secrets.add(name[1]);
    }
  }
  assert.ok(secrets.size >= 5, `only ${[...secrets]} are secrets`);
  const template = read("edge/templates/wrangler.toml");
  // [vars] entries (set or commented out), `wrangler secret put` lines and bindings.
  const vars = [...template.matchAll(/^#?[ \t]*([A-Z][A-Z0-9_]*)[ \t]*=/gm)].map((m) => m[1]);
  const put = [...template.matchAll(/wrangler secret put ([A-Z][A-Z0-9_]*)/g)].map((m) => m[1]);
  const bound = [...template.matchAll(/^binding = "([A-Z][A-Z0-9_]*)"/gm)].map((m) => m[1]);
  assert.deepEqual(
    [...new Set([...vars, ...put, ...bound])].sort(),
    [...worker].sort(),
    "the template and the README's Workers variables differ",
  );
  for (const name of vars) assert.ok(!secrets.has(name), `${name} is a secret, not a [vars] entry`);
  for (const name of secrets) assert.ok(put.includes(name), `${name}: no wrangler secret put`);
});

Deno.test("README.md: the client options and per-call options are those of the types", () => {
  const readme = read("README.md");
  const options = read("src/options.ts");
  const names = (text: string) =>
    text.split(/,|\\\|/).map((s) => s.trim().replace(/\?$/, "")).filter((s) => s !== "").sort();
  const ctor = /`new AzureOpenAI\(\{ ([^}]*) \}\)`/.exec(readme);
  assert.ok(ctor, "no `new AzureOpenAI({ … })` row in API at a glance");
  assert.deepEqual(names(ctor[1]), interfaceMembers(options, "AzureOpenAIOptions").sort());
  const perCall = /Per-call `options`:\s*`\{ ([^}]*) \}`/.exec(readme);
  assert.ok(perCall, "no per-call options line");
  assert.deepEqual(names(perCall[1]), interfaceMembers(options, "RequestOptions").sort());
});

Deno.test("edge/README.md: every createEdgeApp() option and client key field is named", () => {
  const readme = read("edge/README.md");
  const options = read("edge/options.ts");
  const library = section(readme, "## As a library");
  const missing = interfaceMembers(options, "EdgeAppOptions").filter((name) =>
    !library.includes(`\`${name}\``)
  );
  assert.deepEqual(missing, [], "options missing from the list under 'As a library'");
  const shape = /`\{ key, ([^}]*) \}` in `clientKeys`/.exec(readme);
  assert.ok(shape, "no client key shape `{ key, … }` in `clientKeys`");
  const fields = ["key", ...shape[1].split(",").map((s) => s.trim().replace(/\?$/, ""))];
  assert.deepEqual(fields.sort(), interfaceMembers(options, "EdgeClientKey").sort());
});

/** The non-test sources of `dir`, concatenated. */
function sources(dir: string): string {
  let text = "";
  for (const entry of Deno.readDirSync(new URL(dir, ROOT))) {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory) text += sources(path);
    else if (entry.name.endsWith(".ts") && !entry.name.endsWith("_test.ts")) text += read(path);
  }
  return text;
}

Deno.test("READMEs: every error code named after a status is one the code answers", () => {
  const code = sources("edge") + sources("src");
  const named = new Set<string>();
  for (const file of ["README.md", "edge/README.md"]) {
    for (const m of read(file).matchAll(/\b[1-5]\d\d\**\s+\**`([A-Za-z_]+)`/g)) named.add(m[1]);
  }
  assert.ok(named.size >= 8, `only ${named.size} error codes found`);
  const unknown = [...named].filter((name) => !code.includes(`"${name}"`));
  assert.deepEqual(unknown, [], "error codes the code never answers");
});

Deno.test("READMEs: every `deno task` they name is a task of deno.json", () => {
  const tasks = Object.keys(JSON.parse(read("deno.json")).tasks);
  for (const file of ["README.md", "edge/README.md"]) {
    for (const m of read(file).matchAll(/\btask ([a-z][\w-]*)/g)) {
      assert.ok(tasks.includes(m[1]), `${file}: task ${m[1]} is not in deno.json`);
    }
  }
});
