import assert from "node:assert/strict";
import { azurePath, errorOf, KEY, testApp } from "./_helpers.ts";

/** The DALL-E 2 operations are in the 2023-06-01-preview to 2023-09-01-preview documents. */
const VERSION = "2023-06-01-preview";
const SUBMIT = `/openai/images/generations:submit?api-version=${VERSION}`;
const BODY = JSON.stringify({ prompt: "a fox", n: 1 });

/** A POST of `BODY` as bytes, with `contentType` (none when undefined). */
function post(contentType: string | undefined): RequestInit {
  const headers: Record<string, string> = { "api-key": KEY };
  if (contentType !== undefined) headers["content-type"] = contentType;
  // Bytes, not a string: a string body would get text/plain from the Request itself.
  return { method: "POST", headers, body: new TextEncoder().encode(BODY) };
}

for (const contentType of ["text/plain", "text/plain; charset=utf-8", "multipart/form-data"]) {
  Deno.test(
    `the DALL-E 2 submit refuses content-type ${contentType} as the other JSON routes do`,
    async () => {
      const t = testApp({ emulator: { operationPolls: 0, operationRetryAfter: 0 } });
      const submit = await t.call(SUBMIT, post(contentType));
      const other = await t.call(azurePath("dall-e-3", "images/generations"), post(contentType));
      assert.equal(other.status, 400);
      assert.equal(submit.status, other.status);
      assert.deepEqual(await errorOf(submit), await errorOf(other));
      assert.deepEqual(t.upstream, [], "nothing went upstream");
    },
  );
}

for (const contentType of [undefined, "application/json", "application/json; charset=utf-8"]) {
  Deno.test(
    `the DALL-E 2 submit still takes a JSON body sent with content-type ${contentType ?? "(none)"}`,
    async () => {
      const t = testApp({ emulator: { operationPolls: 0, operationRetryAfter: 0 } });
      const submit = await t.call(SUBMIT, post(contentType));
      assert.equal(submit.status, 202);
      await submit.body?.cancel();
      assert.deepEqual(t.upstream, [`POST ${SUBMIT}`]);
    },
  );
}

Deno.test("the DALL-E 2 submit checks the content-type before the body, as the other JSON routes do", async () => {
  const t = testApp();
  for (const body of ["not json", JSON.stringify({ prompt: "" })]) {
    const init = {
      method: "POST",
      headers: { "api-key": KEY, "content-type": "text/plain" },
      body,
    };
    const submit = await t.call(SUBMIT, init);
    const other = await t.call(azurePath("dall-e-3", "images/generations"), init);
    assert.equal(submit.status, 400);
    assert.deepEqual(await errorOf(submit), await errorOf(other));
    assert.equal((await errorOf(await t.call(SUBMIT, init))).code, "invalid_content_type");
  }
  assert.deepEqual(t.upstream, []);
});
