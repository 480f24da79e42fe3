/**
 * The DALL-E 2 operation routes' edges: a submit route answers POST only, an operation path with
 * no id or a nested one is no resource, methods other than GET and DELETE on an operation are no
 * resource (not a delete), a body that is no JSON object is refused before an operation exists,
 * a submit without `n` makes one image, `reset()` forgets the operations, and past 1,000 kept
 * operations the oldest is dropped.
 */
import assert from "node:assert/strict";
import { createEmulator } from "./emulator.ts";
import { BASE } from "./_testing.ts";

const V = "2023-06-01-preview";
type Emulator = ReturnType<typeof createEmulator>;

function submit(e: Emulator, body: string): Promise<Response> {
  return e.fetch(`${BASE}/openai/images/generations:submit?api-version=${V}`, {
    method: "POST",
    headers: { "api-key": e.apiKey, "content-type": "application/json" },
    body,
  });
}

async function call(e: Emulator, url: string, method = "GET") {
  const res = await e.fetch(url, { method, headers: { "api-key": e.apiKey } });
  return { status: res.status, body: res.status === 204 ? null : await res.json() };
}

/** Submits `body` and polls until the operation succeeds; returns the operation's location. */
async function finished(e: Emulator, body = '{"prompt":"x"}') {
  const res = await submit(e, body);
  assert.equal(res.status, 202);
  const location = res.headers.get("operation-location")!;
  await res.body?.cancel();
  let last;
  for (let i = 0; i < 5 && last?.body.status !== "succeeded"; i++) last = await call(e, location);
  assert.equal(last?.body.status, "succeeded");
  return { location, last: last!.body };
}

Deno.test("the submit route answers POST only; an operation path without an id or with a nested one is no resource", async () => {
  const e = createEmulator({ operationRetryAfter: 0 });
  const get = await call(e, `${BASE}/openai/images/generations:submit?api-version=${V}`);
  assert.deepEqual([get.status, get.body.error.message], [404, "Resource not found"]);
  // No resource (the service's plain 404), not an operation that was not found.
  for (const path of ["", "a%2Fb", "a/b"]) {
    const res = await call(e, `${BASE}/openai/operations/images/${path}?api-version=${V}`);
    assert.deepEqual([res.status, res.body.error.code, res.body.error.message], [
      404,
      "404",
      "Resource not found",
    ], path);
  }
  const unknown = await call(e, `${BASE}/openai/operations/images/zzz?api-version=${V}`);
  assert.deepEqual([unknown.status, unknown.body.error.code], [404, "NotFound"]);
});

Deno.test("an operation answers PUT and PATCH with 404 and stays, images and all; DELETE of a finished one keeps it as deleted", async () => {
  const e = createEmulator({ operationRetryAfter: 0 });
  const { location, last } = await finished(e);
  for (const method of ["PUT", "PATCH", "POST"]) {
    const res = await call(e, location, method);
    assert.deepEqual([res.status, res.body.error.message], [404, "Resource not found"], method);
  }
  const again = await call(e, location);
  assert.deepEqual(again.body, last);
  assert.equal((await call(e, location, "DELETE")).status, 204);
  const deleted = await call(e, location);
  assert.equal(deleted.body.status, "deleted");
  assert.equal(deleted.body.result, undefined);
});

Deno.test("a submit whose body is no JSON object is refused with 400 and makes no operation; without n it makes one image", async () => {
  const e = createEmulator({ operationRetryAfter: 0 });
  const bad = await submit(e, "[1]");
  assert.equal(bad.status, 400);
  assert.equal(bad.headers.get("operation-location"), null);
  assert.deepEqual((await bad.json()).error, {
    code: "invalid_type",
    message: "The request body must be a JSON object.",
    param: "body",
    type: "invalid_request_error",
  });
  const { last } = await finished(e);
  assert.equal(last.result.data.length, 1);
});

Deno.test("reset() forgets the operations: a poll of one made before answers 404", async () => {
  const e = createEmulator({ operationRetryAfter: 0 });
  const res = await submit(e, '{"prompt":"x"}');
  const location = res.headers.get("operation-location")!;
  await res.body?.cancel();
  assert.equal((await call(e, location)).status, 200);
  e.reset();
  const after = await call(e, location);
  assert.equal(after.status, 404);
});

Deno.test("past 1,000 kept operations the oldest is dropped, the 1,000 after it kept", async () => {
  const e = createEmulator({ operationRetryAfter: 0 });
  const locations: string[] = [];
  for (let i = 0; i < 1001; i++) {
    const res = await submit(e, '{"prompt":"x"}');
    locations.push(res.headers.get("operation-location")!);
    await res.body?.cancel();
  }
  assert.equal((await call(e, locations[0])).status, 404);
  assert.equal((await call(e, locations[1])).status, 200);
  assert.equal((await call(e, locations[1000])).status, 200);
});
