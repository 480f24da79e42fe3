// README.md (switching from the SDK): "`tests/types/sdk_snippets/` type-checks N SDK snippets
// against both, and M of what only this package types against it": N and M are the folder's
// counts (a `// snippet:` marker each; an `// aoai-only` file's snippets are the M).
import assert from "node:assert/strict";

const ROOT = new URL("../../", import.meta.url);
const DIR = new URL("tests/types/sdk_snippets/", ROOT);

Deno.test("README.md: the SDK snippet counts are the folder's", () => {
  let sdk = 0, aoaiOnly = 0;
  for (const entry of Deno.readDirSync(DIR)) {
    if (!entry.name.endsWith(".ts")) continue;
    const source = Deno.readTextFileSync(new URL(entry.name, DIR));
    const n = source.match(/^\/\/ (?:aoai-only )?snippet:/gm)?.length ?? 0;
    if (/^\/\/ aoai-only\b/.test(source)) aoaiOnly += n;
    else sdk += n;
  }
  const readme = Deno.readTextFileSync(new URL("README.md", ROOT)).replace(/\s+/g, " ");
  const claim = readme.match(
    /type-checks (\d+) SDK snippets against both, and (\d+) of what only this package types/,
  );
  assert.ok(claim, "README.md no longer states the snippet counts");
  assert.deepEqual([Number(claim[1]), Number(claim[2])], [sdk, aoaiOnly]);
});
