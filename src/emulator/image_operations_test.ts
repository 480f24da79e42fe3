import assert from "node:assert/strict";
import { createEmulator } from "./emulator.ts";
import { BASE } from "./_testing.ts";

const V = "2023-06-01-preview";

function submit(e: ReturnType<typeof createEmulator>, body: unknown, version = V) {
  return e.fetch(`${BASE}/openai/images/generations:submit?api-version=${version}`, {
    method: "POST",
    headers: { "api-key": e.apiKey, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
}

function call(e: ReturnType<typeof createEmulator>, url: string, method = "GET") {
  return e.fetch(url, { method, headers: { "api-key": e.apiKey } });
}

Deno.test("images submit answers 202 notRunning with an absolute operation-location", async () => {
  const e = createEmulator();
  const res = await submit(e, { prompt: "an avocado chair", n: 2, size: "512x512" });
  assert.equal(res.status, 202);
  const body = await res.json();
  assert.match(body.id, /^[0-9a-f-]{36}$/);
  assert.equal(body.status, "notRunning");
  assert.equal(
    res.headers.get("operation-location"),
    `${BASE}/openai/operations/images/${body.id}?api-version=${V}`,
  );
});

Deno.test("image operation moves notRunning -> running -> succeeded with retry-after on non-final polls", async () => {
  const e = createEmulator({ operationRetryAfter: 0 });
  const res = await submit(e, { prompt: "x", n: 2 });
  const location = res.headers.get("operation-location")!;
  const { id } = await res.json();
  const statuses: string[] = [];
  const retryAfter: (string | null)[] = [];
  let final: Record<string, unknown> = {};
  for (let i = 0; i < 5 && final.status !== "succeeded"; i++) {
    const poll = await call(e, location);
    assert.equal(poll.status, 200);
    final = await poll.json();
    statuses.push(final.status as string);
    retryAfter.push(poll.headers.get("retry-after"));
  }
  assert.deepEqual(statuses, ["notRunning", "running", "succeeded"]);
  assert.deepEqual(retryAfter, ["0", "0", null]);
  assert.equal(final.id, id);
  assert.equal(final.expires, (final.created as number) + 86400);
  const result = final.result as { created: number; data: { url: string }[] };
  assert.equal(result.data.length, 2);
  const png = await e.fetch(result.data[0].url);
  assert.equal(png.headers.get("content-type"), "image/png");
});

Deno.test("image operation polls before success follow operationPolls", async () => {
  const e = createEmulator({ operationPolls: 0 });
  const location = (await submit(e, { prompt: "x" })).headers.get("operation-location")!;
  assert.equal((await (await call(e, location)).json()).status, "succeeded");
});

Deno.test("image operation DELETE answers 204, then GET answers status deleted (the REST reference's GET lists notRunning, running, succeeded, canceled, failed or deleted) until it expires; unknown ids answer 404", async () => {
  let now = 1_700_000_000_000;
  const e = createEmulator({ operationPolls: 0, now: () => now });
  const location = (await submit(e, { prompt: "x" })).headers.get("operation-location")!;
  const done = await (await call(e, location)).json();
  const del = await call(e, location, "DELETE");
  assert.equal(del.status, 204);
  for (let i = 0; i < 2; i++) {
    const poll = await call(e, location);
    assert.equal(poll.status, 200);
    assert.equal(poll.headers.get("retry-after"), null);
    assert.deepEqual(await poll.json(), {
      created: done.created,
      expires: done.expires,
      id: done.id,
      status: "deleted",
    });
  }
  // deleted is a final state: deleting again succeeds.
  assert.equal((await call(e, location, "DELETE")).status, 204);
  now += 24 * 60 * 60 * 1000;
  assert.equal((await call(e, location)).status, 404);
  const unknown = await call(e, `${BASE}/openai/operations/images/nope?api-version=${V}`);
  assert.equal(unknown.status, 404);
  assert.equal((await unknown.json()).error.code, "NotFound");
});

Deno.test("image operation DELETE answers 409 while running", async () => {
  const e = createEmulator({ operationPolls: 1 });
  const location = (await submit(e, { prompt: "x" })).headers.get("operation-location")!;
  assert.equal((await (await call(e, location)).json()).status, "running");
  assert.equal((await call(e, location, "DELETE")).status, 409);
  assert.equal((await (await call(e, location)).json()).status, "succeeded");
  assert.equal((await call(e, location, "DELETE")).status, 204);
});

Deno.test("image operation DELETE answers 409 before it finished (notRunning too: only a final state may be deleted)", async () => {
  const e = createEmulator({ operationPolls: 2 });
  const location = (await submit(e, { prompt: "x" })).headers.get("operation-location")!;
  // Never polled, then notRunning: both not final.
  assert.equal((await call(e, location, "DELETE")).status, 409);
  assert.equal((await (await call(e, location)).json()).status, "notRunning");
  const refused = await call(e, location, "DELETE");
  assert.equal(refused.status, 409);
  assert.match((await refused.json()).error.message, /has not finished/);
  assert.equal((await (await call(e, location)).json()).status, "running");
  assert.equal((await call(e, location, "DELETE")).status, 409);
  assert.equal((await (await call(e, location)).json()).status, "succeeded");
  assert.equal((await call(e, location, "DELETE")).status, 204);
});

Deno.test("image operation expires after 24 hours on the injected clock", async () => {
  let now = 1_700_000_000_000;
  const e = createEmulator({ operationPolls: 0, now: () => now });
  const location = (await submit(e, { prompt: "x" })).headers.get("operation-location")!;
  assert.equal((await call(e, location)).status, 200);
  now += 24 * 3600 * 1000;
  assert.equal((await call(e, location)).status, 404);
});

Deno.test("image operation fails with contentFilter when the prompt has the trigger", async () => {
  const e = createEmulator({ operationPolls: 0 });
  const location = (await submit(e, { prompt: "__content_filter__" })).headers.get(
    "operation-location",
  )!;
  const body = await (await call(e, location)).json();
  assert.equal(body.status, "failed");
  assert.equal(body.error.code, "contentFilter");
});

Deno.test("images submit checks auth, api-version and the body", async () => {
  const e = createEmulator();
  const noKey = await e.fetch(`${BASE}/openai/images/generations:submit?api-version=${V}`, {
    method: "POST",
    body: "{}",
  });
  assert.equal(noKey.status, 401);
  assert.equal((await submit(e, { prompt: "x" }, "1999-01-01")).status, 400);
  const badN = await submit(e, { prompt: "x", n: 6 });
  assert.equal((await badN.json()).error.param, "n");
  const badSize = await submit(e, { prompt: "x", size: "1792x1024" });
  assert.equal((await badSize.json()).error.param, "size");
});

Deno.test("an operation id with malformed percent-encoding answers 404 NotFound, not 500", async () => {
  const e = createEmulator();
  for (const method of ["GET", "DELETE"]) {
    const res = await call(e, `${BASE}/openai/operations/images/%E0%A4?api-version=${V}`, method);
    assert.equal(res.status, 404);
    assert.equal((await res.json()).error.code, "NotFound");
  }
});
