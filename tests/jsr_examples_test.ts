/**
 * JSR readiness (issue 7): every export of the four entry points carries an `@example` that
 * `deno test --doc` runs (a block marked `ignore` is not run, so it does not count). Reads the
 * declarations with `deno doc --json`; re-exports count once, at their declaration.
 */
import assert from "node:assert/strict";

const ENTRIES = ["mod.ts", "src/middleware/mod.ts", "edge/mod.ts", "src/emulator/mod.ts"];
const ROOT = new URL("../", import.meta.url);

interface DocTag {
  kind: string;
  doc?: string;
}
interface DocDeclaration {
  kind: string;
  location: { filename: string; line: number };
  jsDoc?: { tags?: DocTag[] };
}
interface DocJson {
  nodes: Record<string, { symbols?: { name: string; declarations: DocDeclaration[] }[] }>;
}

/** The entries' declarations as `name (file:line)`, with whether one runnable example is there. */
async function declarations(): Promise<Map<string, boolean>> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["doc", "--json", ...ENTRIES],
    cwd: ROOT,
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.equal(out.code, 0, new TextDecoder().decode(out.stderr));
  const doc = JSON.parse(new TextDecoder().decode(out.stdout)) as DocJson;
  const found = new Map<string, boolean>();
  for (const node of Object.values(doc.nodes)) {
    for (const symbol of node.symbols ?? []) {
      for (const declaration of symbol.declarations) {
        if (declaration.kind === "reference") continue;
        const file = declaration.location.filename.replace(ROOT.href, "");
        const runnable = (declaration.jsDoc?.tags ?? []).some((tag) =>
          tag.kind === "example" && /```ts\s*\n/.test(tag.doc ?? "")
        );
        found.set(`${symbol.name} (${file}:${declaration.location.line})`, runnable);
      }
    }
  }
  return found;
}

Deno.test("every export of the entry points has an @example that deno test --doc runs", async () => {
  const found = await declarations();
  assert.ok(found.size > 200, `only ${found.size} declarations read: is deno doc --json working?`);
  const missing = [...found].filter(([, runnable]) => !runnable).map(([name]) => name);
  assert.deepEqual(missing, [], `${missing.length} exports without a runnable @example`);
});
