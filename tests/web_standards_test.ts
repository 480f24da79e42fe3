import assert from "node:assert/strict";

const SRC = new URL("../src/", import.meta.url);

async function* sourceFiles(dir: URL): AsyncGenerator<URL> {
  for await (const entry of Deno.readDir(dir)) {
    const url = new URL(entry.name + (entry.isDirectory ? "/" : ""), dir);
    if (entry.isDirectory) yield* sourceFiles(url);
    else if (entry.name.endsWith(".ts") && !entry.name.endsWith("_test.ts")) yield url;
  }
}

/** Strips comments so JSDoc examples don't count. */
function code(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, "").replace(/^\s*\/\/.*$/gm, "");
}

Deno.test("src/ imports nothing from node: and uses no Deno.* or process", async () => {
  const offenders: string[] = [];
  let files = 0;
  for await (const file of sourceFiles(SRC)) {
    files++;
    const text = code(await Deno.readTextFile(file));
    if (/from\s+["']node:|import\(\s*["']node:/.test(text)) {
      offenders.push(`${file.pathname}: node: import`);
    }
    if (/\bDeno\.[a-zA-Z]/.test(text)) offenders.push(`${file.pathname}: Deno.*`);
    // Any use of Node's process object, including `process?.x` and `globalThis.process`.
    if (/\bprocess\s*\??\.[a-zA-Z]/.test(text)) {
      offenders.push(`${file.pathname}: process`);
    }
    if (/from\s+["']npm:|from\s+["'](hono|valibot)["'/]/.test(text)) {
      offenders.push(`${file.pathname}: npm dependency in src/`);
    }
  }
  assert.ok(files > 20, `expected to scan the sources, scanned ${files}`);
  assert.deepEqual(offenders, []);
});
