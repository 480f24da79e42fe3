/**
 * Bundle size: bundles our core (`mod.ts`), the edge app (`edge/mod.ts`, when present) and the
 * peers (npm `openai` `AzureOpenAI`, `@ai-sdk/azure` `createAzure`) the same way — `deno bundle
 * --minify --platform browser` — and prints raw and gzipped bytes as a Markdown table.
 *
 * Run:
 * - `deno run -A bench/bundle_size.ts` — the table (bundles land in `.tmp/bundle/`)
 * - `deno run -A bench/bundle_size.ts --check` — exits 1 when the core's gzipped size is over
 *   `bench/size_budget.json`
 * - `deno run -A bench/bundle_size.ts --breakdown` — also which `src/` folders weigh most in
 *   the core (from an unminified bundle's per-module sections, each minified on its own)
 *
 * @module
 */
import { emptyStringLiterals, gzipSize, moduleSections, sumByFolder } from "./bundle_size_lib.ts";

const ROOT = new URL("../", import.meta.url).pathname;
const OUT_DIR = `${ROOT}.tmp/bundle`;
const BUDGET_FILE = `${ROOT}bench/size_budget.json`;

interface Target {
  name: string;
  entry: string;
  /** Also bundled by `--check` (the peers are skipped there). */
  ours: boolean;
}

interface Measured {
  name: string;
  entry: string;
  raw: number;
  gzip: number;
}

interface Budget {
  coreGzipBytes: number;
}

const TARGETS: Target[] = [
  { name: "@aoai/edge core (mod.ts)", entry: "mod.ts", ours: true },
  {
    name: "@aoai/edge AzureOpenAI only",
    entry: "bench/peers/ours_client_entry.ts",
    ours: true,
  },
  { name: "@aoai/edge/edge (edge/mod.ts)", entry: "edge/mod.ts", ours: true },
  { name: "openai 6.49.0 AzureOpenAI", entry: "bench/peers/openai_entry.ts", ours: false },
  {
    name: "@ai-sdk/azure 4.0.85 createAzure",
    entry: "bench/peers/ai_sdk_azure_entry.ts",
    ours: false,
  },
];

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.stat(path);
    return true;
  } catch {
    return false;
  }
}

async function bundle(entry: string, out: string, minify: boolean): Promise<void> {
  const args = ["bundle", "--platform", "browser", "-o", out];
  if (minify) args.push("--minify");
  args.push(entry);
  const { code, stderr } = await new Deno.Command(Deno.execPath(), {
    args,
    cwd: ROOT,
    stdout: "null",
    stderr: "piped",
    env: { NO_COLOR: "1", DENO_NO_UPDATE_CHECK: "1" },
  }).output();
  if (code !== 0) {
    throw new Error(
      `deno bundle ${entry} failed (exit ${code}); fix the entry so it bundles:\n` +
        new TextDecoder().decode(stderr),
    );
  }
}

async function measure(target: Target): Promise<Measured> {
  const file = `${OUT_DIR}/${target.entry.replaceAll("/", "_").replace(/\.ts$/, ".js")}`;
  await bundle(target.entry, file, true);
  const bytes = await Deno.readFile(file);
  return { name: target.name, entry: target.entry, raw: bytes.length, gzip: await gzipSize(bytes) };
}

function kb(n: number): string {
  return `${(n / 1024).toFixed(1)} KB`;
}

function table(rows: Measured[]): string {
  const core = rows[0];
  const lines = [
    "| bundle | entry | minified | gzipped | gzipped vs core |",
    "| --- | --- | ---: | ---: | ---: |",
  ];
  for (const r of rows) {
    const ratio = `${(r.gzip / core.gzip).toFixed(1)}×`;
    lines.push(`| ${r.name} | \`${r.entry}\` | ${kb(r.raw)} | ${kb(r.gzip)} | ${ratio} |`);
  }
  return lines.join("\n");
}

async function readBudget(): Promise<Budget> {
  const parsed: unknown = JSON.parse(await Deno.readTextFile(BUDGET_FILE));
  if (
    typeof parsed !== "object" || parsed === null || !("coreGzipBytes" in parsed) ||
    typeof parsed.coreGzipBytes !== "number"
  ) {
    throw new Error(`${BUDGET_FILE} must be an object with a numeric "coreGzipBytes"`);
  }
  return { coreGzipBytes: parsed.coreGzipBytes };
}

async function minifiedLength(code: string): Promise<number> {
  // Wrapped in an exported function so esbuild minifies the module's code (renames, whitespace)
  // without tree-shaking its top-level declarations away.
  const src = `${OUT_DIR}/section.js`;
  const out = `${OUT_DIR}/section.min.js`;
  await Deno.writeTextFile(src, `export function section() {\n${code}\n}\n`);
  const { code: exit } = await new Deno.Command(Deno.execPath(), {
    args: ["bundle", "--minify", "--platform", "browser", "-o", out, src],
    cwd: ROOT,
    stdout: "null",
    stderr: "null",
  }).output();
  if (exit !== 0) return code.length;
  const wrapper = "export function section(){}".length;
  return Math.max(0, (await Deno.stat(out)).size - wrapper);
}

async function breakdown(entry: string): Promise<string> {
  const file = `${OUT_DIR}/breakdown_unminified.js`;
  await bundle(entry, file, false);
  const sections = moduleSections(await Deno.readTextFile(file));
  const sized: Array<{ path: string; bytes: number }> = [];
  try {
    for (const s of sections) {
      const code = s.code.replace(/\nexport\s*\{[^}]*\};?\s*$/, "").replace(
        /^export\s*\{[^}]*\};?\s*$/,
        "",
      );
      sized.push({ path: s.path, bytes: await minifiedLength(code) });
    }
  } finally {
    // Unminified JS keeps the JSDoc examples; `deno test --doc` would pick these files up.
    for (const name of ["breakdown_unminified.js", "section.js", "section.min.js"]) {
      await Deno.remove(`${OUT_DIR}/${name}`).catch(() => {});
    }
  }
  const total = sized.reduce((n, s) => n + s.bytes, 0);
  const lines = ["| folder | minified bytes (approx.) | share |", "| --- | ---: | ---: |"];
  for (const [folder, bytes] of sumByFolder(sized)) {
    lines.push(`| ${folder} | ${bytes} | ${((bytes / total) * 100).toFixed(1)}% |`);
  }
  lines.push(`| (sum) | ${total} | 100% |`);
  lines.push("", "| heaviest modules | minified bytes (approx.) |", "| --- | ---: |");
  for (const s of [...sized].sort((a, b) => b.bytes - a.bytes).slice(0, 12)) {
    lines.push(`| ${s.path} | ${s.bytes} |`);
  }
  return lines.join("\n");
}

/**
 * How much of the minified bundle of `entry` is the text of string literals: its gzipped size
 * with every literal's text emptied is what the code alone weighs.
 */
async function textShare(entry: string): Promise<string> {
  const file = `${OUT_DIR}/text_share.js`;
  await bundle(entry, file, true);
  const js = await Deno.readTextFile(file);
  await Deno.remove(file).catch(() => {});
  const { code, literals, chars } = emptyStringLiterals(js);
  const gz = (s: string) => gzipSize(new TextEncoder().encode(s));
  return [
    "",
    "| text of string literals | minified | gzipped |",
    "| --- | ---: | ---: |",
    `| as bundled (${literals} literals, ${chars} chars of text) | ${js.length} | ${await gz(
      js,
    )} |`,
    `| every literal's text emptied (the code alone) | ${code.length} | ${await gz(code)} |`,
  ].join("\n");
}

async function main(args: string[]): Promise<number> {
  const check = args.includes("--check");
  await Deno.mkdir(OUT_DIR, { recursive: true });
  const targets = [];
  for (const t of TARGETS) {
    if (check && !t.ours) continue;
    if (await exists(`${ROOT}${t.entry}`)) targets.push(t);
  }
  const rows: Measured[] = [];
  for (const t of targets) rows.push(await measure(t));
  console.log(table(rows));
  await Deno.writeTextFile(`${ROOT}.tmp/bundle_size.json`, JSON.stringify(rows, null, 2) + "\n");

  if (args.includes("--breakdown")) {
    const entry = args[args.indexOf("--breakdown") + 1]?.endsWith(".ts")
      ? args[args.indexOf("--breakdown") + 1]
      : "mod.ts";
    console.log(`\n${entry} by folder:\n`);
    console.log(await breakdown(entry));
    console.log(await textShare(entry));
  }

  if (check) {
    const budget = await readBudget();
    const core = rows[0];
    if (core.gzip > budget.coreGzipBytes) {
      console.error(
        `core bundle is ${core.gzip} B gzipped, over the budget of ${budget.coreGzipBytes} B in ` +
          `bench/size_budget.json; find what grew with --breakdown, or raise the budget in a ` +
          `reviewed commit`,
      );
      return 1;
    }
    console.log(`\ncore bundle ${core.gzip} B gzipped ≤ budget ${budget.coreGzipBytes} B`);
  }
  return 0;
}

if (import.meta.main) Deno.exit(await main(Deno.args));
