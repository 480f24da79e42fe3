import assert from "node:assert/strict";
import { onBodyEnd } from "./on_body_end.ts";

Deno.test("onBodyEnd() calls done at once for 205 and 304 responses (no body to wait for)", () => {
  for (const status of [204, 205, 304]) {
    let ends = 0;
    const res = new Response(null, { status });
    assert.equal(onBodyEnd(res, () => void ends++), res);
    assert.equal(ends, 1, `status ${status}`);
  }
});

Deno.test("onBodyEnd(): a 204's later body look or read does not call done again", async () => {
  let ends = 0;
  const res = onBodyEnd(new Response(null, { status: 204 }), () => void ends++);
  assert.equal(res.body, null);
  assert.equal(await res.text(), "");
  assert.equal(ends, 1);
});

Deno.test("onBodyEnd(): a 200 without a body is done once its body is looked at, once only", async () => {
  let ends = 0;
  const res = onBodyEnd(new Response(null, { status: 200 }), () => void ends++);
  assert.equal(ends, 0, "not before");
  assert.equal(res.body, null);
  assert.equal(ends, 1, "a null body: nothing to wait for");
  assert.equal(res.body, null);
  assert.equal(await res.text(), "");
  assert.equal(ends, 1, "done runs once");
});
