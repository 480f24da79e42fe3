/**
 * `tools[i].function.parameters` per api-version, read from each stored document: 2024-02-01's and
 * 2024-05-01-preview's `chatCompletionTool.function` lists it in `required` (and its schema,
 * `chatCompletionFunctionParameters`, is not nullable); 2024-10-21's `FunctionObject` requires only
 * `name`. Where the document requires it, a tool without it is answered 400
 * `missing_required_parameter` naming it; elsewhere it is taken. No document makes it nullable: null
 * is answered 400 `invalid_type` on every documented version.
 */
import assert from "node:assert/strict";
import { createEmulator } from "../../src/emulator/mod.ts";
import { SPEC_VERSIONS, validateRequestBody } from "../helpers/spec_schema.ts";
import { call } from "./_version_paths.ts";

const PATH = "/deployments/gpt-4o/chat/completions";

Deno.test("chat: tools[i].function.parameters is required (missing: 400) where the document's chatCompletionTool.function requires it (2024-02-01, 2024-05-01-preview), optional on 2024-10-21 (FunctionObject)", async () => {
  const e = createEmulator();
  const required: string[] = [];
  for (const version of SPEC_VERSIONS) {
    for (const parameters of [undefined, null]) {
      const body = {
        messages: [{ role: "user", content: "What's the weather in Paris?" }],
        tools: [{ type: "function", function: { name: "get_weather", parameters } }],
      };
      const what = `${version} parameters ${parameters}`;
      const refused = validateRequestBody(version, PATH, "POST", body).length > 0;
      const res = await call(e, PATH, version, { body });
      if (!refused) {
        assert.equal(res.status, 200, what);
        await res.body?.cancel();
        continue;
      }
      assert.equal(res.status, 400, what);
      const param = "tools[0].function.parameters";
      const missing = parameters === undefined;
      if (missing) required.push(version);
      assert.deepEqual(await res.json(), {
        error: {
          code: missing ? "missing_required_parameter" : "invalid_type",
          message: missing
            ? `Missing required parameter: '${param}'.`
            : `'${param}' must be a JSON Schema object.`,
          param,
          type: "invalid_request_error",
        },
      }, what);
    }
  }
  // The documents as read: two of the three require it.
  assert.deepEqual(required, ["2024-02-01", "2024-05-01-preview"]);
});

Deno.test("chat: api-versions without a stored document keep taking a tool without parameters", async () => {
  const e = createEmulator();
  for (const version of ["2024-12-01-preview", "2025-01-01-preview"]) {
    const res = await call(e, PATH, version, {
      body: {
        messages: [{ role: "user", content: "hi" }],
        tools: [{ type: "function", function: { name: "ping" } }],
      },
    });
    assert.equal(res.status, 200, version);
    await res.body?.cancel();
  }
});
