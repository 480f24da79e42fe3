import assert from "node:assert/strict";

const SDK_ALIASES: Record<string, string> = {
  APIError: "AzureOpenAIError",
  OpenAIError: "AzureOpenAIError",
  APIConnectionTimeoutError: "APITimeoutError",
};

// Bundlers that minify rename classes: error names must not come from the class's code name.
Deno.test("errors keep their names in a minified bundle of mod.ts", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const out = `${dir}/core.min.js`;
    const { code, stderr } = await new Deno.Command(Deno.execPath(), {
      args: ["bundle", "--platform", "browser", "--minify", "-o", out, "mod.ts"],
      cwd: new URL("../", import.meta.url).pathname,
      stdout: "null",
      stderr: "piped",
    }).output();
    assert.equal(code, 0, new TextDecoder().decode(stderr));
    const mod: Record<string, unknown> = await import(`file://${out}`);
    const errors = Object.entries(mod).filter(([name]) => name.endsWith("Error"));
    assert.ok(errors.length >= 16, `expected every error class, got ${errors.length}`);
    for (const [name, value] of errors) {
      const err = new (value as new (message: string) => Error)("x");
      // The openai SDK's names are aliases: their errors report the class's own name.
      const own = SDK_ALIASES[name] ?? name;
      assert.equal(mod[own], value, `${name} is ${own}`);
      assert.equal(err.name, own, `${name} reports its name when minified`);
      assert.ok(err instanceof Error);
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
