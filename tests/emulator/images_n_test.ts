/**
 * `n` of the synchronous `/images/generations`: the three stored documents'
 * `imageGenerationsRequest` set `n` `maximum: 1`, whatever the model, so a DALL-E 2 deployment
 * answers 400 naming `n` for n > 1 there; versions without a stored document keep n up to 10.
 */
import assert from "node:assert/strict";
import { createEmulator } from "../../src/emulator/mod.ts";
import { SPEC_VERSIONS, validateRequestBody } from "../helpers/spec_schema.ts";
import { call } from "./_version_paths.ts";

const SPEC_PATH = "/deployments/x/images/generations";

Deno.test("DALL-E 2 generations answer 400 naming n for n > 1 on the documented api-versions", async () => {
  // kindOfModel() reads the model name case-insensitively; both deployments are DALL-E 2.
  const e = createEmulator({
    deployments: [{ name: "d2", model: "dall-e-2" }, { name: "D2", model: "DALL-E-2" }],
  });
  for (const deployment of ["d2", "D2"]) {
    const path = `/deployments/${deployment}/images/generations`;
    for (const version of SPEC_VERSIONS) {
      for (const n of [2, 10]) {
        const body = { prompt: "x", n };
        const what = `${deployment} ${version} n=${n}`;
        assert.notDeepEqual(validateRequestBody(version, SPEC_PATH, "POST", body), [], what);
        const res = await call(e, path, version, { body });
        const json = await res.json();
        assert.equal(res.status, 400, `${what}: ${JSON.stringify(json)}`);
        assert.equal(json.error.param, "n", what);
        assert.equal(json.error.type, "invalid_request_error", what);
      }
      const body = { prompt: "x", n: 1 };
      assert.deepEqual(validateRequestBody(version, SPEC_PATH, "POST", body), [], version);
      const res = await call(e, path, version, { body });
      assert.equal(res.status, 200, `${deployment} ${version} n=1`);
      assert.equal((await res.json()).data.length, 1);
    }
    // Versions without a stored document keep the earlier limit of 10.
    for (const version of ["2024-06-01", "2024-12-01-preview"]) {
      const res = await call(e, path, version, { body: { prompt: "x", n: 10 } });
      assert.equal(res.status, 200, `${deployment} ${version} n=10`);
      assert.equal((await res.json()).data.length, 10);
      const tooMany = await call(e, path, version, { body: { prompt: "x", n: 11 } });
      assert.equal(tooMany.status, 400, `${deployment} ${version} n=11`);
      assert.equal((await tooMany.json()).error.param, "n");
    }
  }
});
