/**
 * The package's promise, checked at the type level: code written for the official `openai`
 * SDK's `AzureOpenAI` type-checks here after its import is changed. Each file of
 * `sdk_snippets/` is such code, importing from `openai` (and `openai/resources/…`): it is
 * type-checked as written against the SDK (so it is real SDK code), then with every `openai`
 * import turned into `@aoai/edge` against this package. A file whose first line says
 * `aoai-only` uses what only this package types (Azure's filter results, `finalChatCompletion()`
 * on `create()`'s stream), imports `@aoai/edge` itself and is checked against this package only.
 */
import assert from "node:assert/strict";
import { typeCheck } from "../helpers/type_check.ts";

const DIR = new URL("./sdk_snippets/", import.meta.url);

interface Snippet {
  name: string;
  source: string;
  aoaiOnly: boolean;
}

function snippets(): Snippet[] {
  return [...Deno.readDirSync(DIR)]
    .filter((e) => e.isFile && e.name.endsWith(".ts"))
    .map((e) => {
      const source = Deno.readTextFileSync(new URL(e.name, DIR));
      return { name: e.name, source, aoaiOnly: /^\/\/ aoai-only\b/.test(source) };
    })
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** `source` with its `openai` imports turned into `@aoai/edge`: the switch users make. */
export function switchImports(source: string): string {
  return source.replace(/from "openai(?:\/[^"]*)?"/g, 'from "@aoai/edge"');
}

Deno.test("sdk snippets: 25+ of them, each importing from openai", () => {
  const all = snippets();
  const count = all.reduce(
    (n, s) => n + s.source.match(/^\/\/ (?:aoai-only )?snippet:/gm)!.length,
    0,
  );
  assert.ok(count >= 25, `only ${count} snippets`);
  for (const { name, source, aoaiOnly } of all) {
    // An aoai-only file imports this package as such (`deno task check` checks the folder as it
    // is: the SDK lacks what it reads).
    assert.match(source, aoaiOnly ? /from "@aoai\/edge"/ : /from "openai"/, name);
    assert.doesNotMatch(switchImports(source), /"openai/, name);
  }
});

Deno.test("sdk snippets type-check against the openai SDK as written", async () => {
  const files = Object.fromEntries(
    snippets().filter((s) => !s.aoaiOnly).map((s) => [s.name, s.source]),
  );
  const { ok, output } = await typeCheck(files, "sdk_snippets_");
  assert.ok(ok, `not valid openai SDK code:\n${output}`);
});

Deno.test("sdk snippets type-check against @aoai/edge after the import change", async () => {
  const files = Object.fromEntries(snippets().map((s) => [s.name, switchImports(s.source)]));
  const { ok, output } = await typeCheck(files, "sdk_snippets_");
  assert.ok(ok, `fails after switching the import to @aoai/edge:\n${output}`);
});
