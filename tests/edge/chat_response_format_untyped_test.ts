/**
 * `response_format` without a `type`, or with `type: null`: the 2024-02-01 and 2024-05-01-preview
 * documents make it nullable and not required (plain text then), so the app passes it upstream
 * instead of answering 400 for `response_format.type` (found by tests/fuzz).
 */
import assert from "node:assert/strict";
import { validateRequestBody } from "../helpers/spec_schema.ts";
import { testApp } from "./_helpers.ts";

for (const version of ["2024-02-01", "2024-05-01-preview"] as const) {
  for (const format of [{}, { type: null }]) {
    Deno.test(`response_format ${JSON.stringify(format)} reaches the upstream on ${version}`, async () => {
      const body = { messages: [{ role: "user", content: "hi" }], response_format: format };
      assert.deepEqual(
        validateRequestBody(version, "/deployments/x/chat/completions", "POST", body),
        [],
      );
      const t = testApp();
      const res = await t.call(
        `/openai/deployments/gpt-4o/chat/completions?api-version=${version}`,
        { json: body },
      );
      const text = await res.text();
      assert.equal(res.status, 200, text);
      assert.equal(t.upstream.length, 1);
    });
  }
}

Deno.test("a response_format.type of the wrong type is still refused by the app", async () => {
  const t = testApp();
  const res = await t.call("/openai/deployments/gpt-4o/chat/completions?api-version=2024-02-01", {
    json: { messages: [{ role: "user", content: "hi" }], response_format: { type: 7 } },
  });
  assert.equal(res.status, 400);
  assert.equal((await res.json()).error.param, "response_format.type");
  assert.equal(t.upstream.length, 0);
});
