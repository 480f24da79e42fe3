import assert from "node:assert/strict";
import { createEmulator } from "../../src/emulator/mod.ts";
import {
  SPEC_VERSIONS,
  validateRequestBody,
  validateResponseBody,
} from "../helpers/spec_schema.ts";
import { call } from "./_version_paths.ts";

const SPEC_PATH = "/deployments/x/completions";

function complete(
  e: ReturnType<typeof createEmulator>,
  body: unknown,
  version: string,
): Promise<Response> {
  return call(e, "/deployments/gpt-35-turbo-instruct/completions", version, { body });
}

Deno.test("completions without prompt or with prompt null answers as each spec's request schema says", async () => {
  const e = createEmulator();
  for (const version of SPEC_VERSIONS) {
    for (const body of [{}, { prompt: null }, { prompt: null, max_tokens: 5 }]) {
      const specErrors = validateRequestBody(version, SPEC_PATH, "POST", body);
      const res = await complete(e, body, version);
      const json = await res.json();
      const what = `${version} ${JSON.stringify(body)}`;
      if (specErrors.length > 0) {
        assert.equal(res.status, 400, what);
        assert.equal(json.error.code, "missing_required_parameter", what);
        assert.equal(json.error.param, "prompt", what);
        continue;
      }
      assert.equal(res.status, 200, `${what}: ${JSON.stringify(json)}`);
      assert.deepEqual(validateResponseBody(version, SPEC_PATH, "POST", 200, json), [], what);
      assert.equal(json.choices.length, 1);
    }
  }
  // 2024-10-21 requires prompt (nullable); 2024-02-01 and 2024-05-01-preview do not.
  assert.equal((await complete(e, {}, "2024-10-21")).status, 400);
  assert.equal((await complete(e, {}, "2024-02-01")).status, 200);
  assert.equal((await complete(e, { prompt: null }, "2024-10-21")).status, 200);
});
