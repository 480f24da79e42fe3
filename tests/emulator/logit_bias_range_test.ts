/**
 * `logit_bias` values: every stored document's chat and completions request types them
 * `additionalProperties: { type: integer }` and its description bounds them, "an associated bias
 * value from -100 to 100" (read from the documents here); the emulator answered 200 to 101 or -500.
 */
import assert from "node:assert/strict";
import { createEmulator } from "../../src/emulator/mod.ts";
import { loadSpec, SPEC_VERSIONS } from "../helpers/spec_schema.ts";
import { call } from "./_version_paths.ts";

/** The descriptions of every `logit_bias` property in a document. */
function descriptions(node: unknown, out: string[] = []): string[] {
  if (Array.isArray(node)) { for (const n of node) descriptions(n, out); }
  else if (node && typeof node === "object") {
    const o = node as Record<string, unknown>;
    const bias = o.logit_bias as { description?: string } | undefined;
    if (bias?.description) out.push(bias.description);
    for (const v of Object.values(o)) descriptions(v, out);
  }
  return out;
}

Deno.test("chat and completions: logit_bias values outside -100..100 answer 400 naming the entry (createChatCompletionRequest / createCompletionRequest logit_bias description), the bounds are taken", async () => {
  const e = createEmulator();
  const ops = [
    ["/deployments/gpt-4o/chat/completions", { messages: [{ role: "user", content: "hi" }] }],
    ["/deployments/gpt-35-turbo-instruct/completions", { prompt: "hi" }],
  ] as const;
  for (const version of SPEC_VERSIONS) {
    const stated = descriptions(loadSpec(version));
    assert.ok(stated.length >= 2, version);
    for (const d of stated) assert.match(d, /bias value from -100 to 100/, version);
    for (const [path, base] of ops) {
      for (const v of [101, -101, 500]) {
        const res = await call(e, path, version, { body: { ...base, logit_bias: { "50256": v } } });
        const what = `${version} ${path} ${v}`;
        assert.equal(res.status, 400, what);
        const { error } = await res.json();
        assert.equal(error.param, "logit_bias.50256", what);
        assert.equal(error.type, "invalid_request_error", what);
      }
      const ok = await call(e, path, version, {
        body: { ...base, logit_bias: { "50256": -100, "1": 100, "2": 0 } },
      });
      assert.equal(ok.status, 200, `${version} ${path} bounds`);
      await ok.body?.cancel();
    }
  }
});
