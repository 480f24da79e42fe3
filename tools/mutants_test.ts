import assert from "node:assert/strict";
import { applyMutant, mutantsOf } from "./mutants.ts";

const kinds = (source: string) =>
  mutantsOf(source).map((m) => `${m.kind}: ${applyMutant(source, m)}`);

Deno.test("mutantsOf() flips comparison and logic operators", () => {
  assert.deepEqual(kinds("a < b && c === d;"), [
    "drop statement: ;",
    "< → <=: a <= b && c === d;",
    "&& → ||: a < b || c === d;",
    "=== → !==: a < b && c !== d;",
  ]);
});

Deno.test("mutantsOf() forces conditions, drops statements, negations and optional chains", () => {
  const source = "if (!x) throw e;\nconst y = a?.b ? 1 : 0;";
  assert.deepEqual(kinds(source), [
    "drop !: if (x) throw e;\nconst y = a?.b ? 1 : 0;",
    "if → true: if (true) throw e;\nconst y = a?.b ? 1 : 0;",
    "if → false: if (false) throw e;\nconst y = a?.b ? 1 : 0;",
    "drop statement: if (!x) ;\nconst y = a?.b ? 1 : 0;",
    "?: → true: if (!x) throw e;\nconst y = true ? 1 : 0;",
    "?: → false: if (!x) throw e;\nconst y = false ? 1 : 0;",
    "?. → .: if (!x) throw e;\nconst y = a.b ? 1 : 0;",
    "1 → 2: if (!x) throw e;\nconst y = a?.b ? 2 : 0;",
    "0 → 1: if (!x) throw e;\nconst y = a?.b ? 1 : 1;",
  ]);
});

Deno.test("mutantsOf() leaves types, imports, keys, strings and text joins alone", () => {
  const source = [
    'import { a } from "./a.ts";',
    "type T = 1 | true;",
    "interface I { n: 2 }",
    'const o: { 3: boolean } = { 3: "x" + y };',
  ].join("\n");
  assert.deepEqual(mutantsOf(source), []);
});

Deno.test("mutantsOf() gives each mutant's line, column and original text", () => {
  const [m] = mutantsOf("let a;\nlet b = a ?? 2;").filter((m) => m.kind === "?? → &&");
  assert.deepEqual({ line: m.line, column: m.column, from: m.from, to: m.to }, {
    line: 2,
    column: 11,
    from: "??",
    to: "&&",
  });
});
