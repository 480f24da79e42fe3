import assert from "node:assert/strict";
import { emptyStringLiterals, gzipSize, moduleSections, sumByFolder } from "./bundle_size_lib.ts";

Deno.test("gzipSize() returns the byte length of a valid gzip stream", async () => {
  const input = new TextEncoder().encode("abc".repeat(10_000));
  const size = await gzipSize(input);
  const round = new Blob([input]).stream().pipeThrough(new CompressionStream("gzip"));
  const gz = new Uint8Array(await new Response(round).arrayBuffer());
  assert.equal(size, gz.length);
  assert.ok(size < input.length / 50, `expected strong compression, got ${size}`);
  const back = new Blob([gz]).stream().pipeThrough(new DecompressionStream("gzip"));
  assert.equal((await new Response(back).arrayBuffer()).byteLength, input.length);
});

Deno.test("moduleSections() splits an esbuild bundle at module comments", () => {
  const bundle = [
    "var __defProp = Object.defineProperty;",
    "",
    "// src/errors/api_error.ts",
    "var A = class {",
    "  // a comment that is not a module",
    "};",
    "",
    "// ../../root/.cache/deno/npm/registry.npmjs.org/openai/6.49.0/core/error.mjs",
    "var B = 2;",
    "",
    "// mod.ts",
    "export { A, B };",
  ].join("\n");
  const sections = moduleSections(bundle);
  assert.deepEqual(sections.map((s) => s.path), [
    "(esbuild runtime)",
    "src/errors/api_error.ts",
    "../../root/.cache/deno/npm/registry.npmjs.org/openai/6.49.0/core/error.mjs",
    "mod.ts",
  ]);
  assert.equal(sections[0].code, "var __defProp = Object.defineProperty;");
  assert.equal(sections[1].code, "var A = class {\n  // a comment that is not a module\n};");
  assert.equal(sections[3].code, "export { A, B };");
});

Deno.test("moduleSections() returns no sections for an empty bundle", () => {
  assert.deepEqual(moduleSections(""), []);
});

Deno.test("sumByFolder() groups by folder and npm package, largest first", () => {
  const rows = sumByFolder([
    { path: "src/resources/chat.ts", bytes: 10 },
    { path: "src/resources/audio.ts", bytes: 5 },
    { path: "mod.ts", bytes: 1 },
    { path: "../../x/registry.npmjs.org/openai/6.49.0/core/a.mjs", bytes: 20 },
    { path: "../../x/registry.npmjs.org/@ai-sdk/azure/4.0.85/dist/b.mjs", bytes: 3 },
    { path: "(esbuild runtime)", bytes: 2 },
  ]);
  assert.deepEqual(rows, [
    ["npm:openai", 20],
    ["src/resources", 15],
    ["npm:@ai-sdk/azure", 3],
    ["(esbuild runtime)", 2],
    ["(root)", 1],
  ]);
});

Deno.test("emptyStringLiterals() empties strings and template text but keeps code and regexps", () => {
  const r = emptyStringLiterals(
    'a=/"[/]"/g.test("x\\"y");b=c/2/d;e={a:`t${{x:"q"}.x}u${`in${1}`}`};f=\'s\'',
  );
  assert.equal(r.code, 'a=/"[/]"/g.test("");b=c/2/d;e={a:`${{x:""}.x}${`${1}`}`};f=\'\'');
  // "x\"y", "q", "s": 3 strings; 2 templates (outer, inner); text: x\"y (4) + t + u + q + in + s.
  assert.equal(r.literals, 5);
  assert.equal(r.chars, 4 + 1 + 1 + 1 + 2 + 1);
});
