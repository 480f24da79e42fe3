/**
 * A completions body without `prompt`: the 2024-02-01 and 2024-05-01-preview documents do not
 * require it (the model then starts a new document, as with `prompt: null`), so the app passes it
 * upstream instead of answering 400 missing_required_parameter (found by tests/fuzz).
 */
import assert from "node:assert/strict";
import { validateRequestBody } from "../helpers/spec_schema.ts";
import { testApp } from "./_helpers.ts";

for (const version of ["2024-02-01", "2024-05-01-preview"] as const) {
  Deno.test(`completions without prompt reach the upstream on ${version}`, async () => {
    const body = { max_tokens: 16, echo: false };
    assert.deepEqual(validateRequestBody(version, "/deployments/x/completions", "POST", body), []);
    const t = testApp();
    const res = await t.call(
      `/openai/deployments/gpt-35-turbo-instruct/completions?api-version=${version}`,
      { json: body },
    );
    const text = await res.text();
    assert.equal(res.status, 200, text);
    assert.equal(t.upstream.length, 1);
  });
}

Deno.test("completions without prompt on 2024-10-21 (required there): upstream's 400 naming it", async () => {
  const t = testApp();
  const res = await t.call(
    "/openai/deployments/gpt-35-turbo-instruct/completions?api-version=2024-10-21",
    { json: { max_tokens: 16 } },
  );
  assert.equal(res.status, 400);
  assert.equal((await res.json()).error.param, "prompt");
  assert.equal(t.upstream.length, 1);
});

Deno.test("completions with a prompt of the wrong type are still refused by the app", async () => {
  const t = testApp();
  const res = await t.call(
    "/openai/deployments/gpt-35-turbo-instruct/completions?api-version=2024-02-01",
    { json: { prompt: 42 } },
  );
  assert.equal(res.status, 400);
  assert.equal((await res.json()).error.param, "prompt");
  assert.equal(t.upstream.length, 0);
});
