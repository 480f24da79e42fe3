import assert from "node:assert/strict";
import { AzureOpenAIError, InternalServerError } from "./api_error.ts";
import { errorFromBody, errorFromResponse } from "./from_response.ts";

Deno.test("errorFromBody() maps a body of JSON null (or none) without throwing", async () => {
  assert.ok(errorFromBody(500, null) instanceof InternalServerError);
  assert.ok(errorFromBody(502, undefined) instanceof InternalServerError);
  const err = await errorFromResponse(new Response("null", { status: 500 }));
  assert.equal(err.message, "Request failed with status 500");
});

Deno.test("errorFromBody() maps status 500 itself to InternalServerError", () => {
  assert.equal(errorFromBody(500, "boom").constructor, InternalServerError);
  assert.equal(errorFromBody(499, "x").constructor, AzureOpenAIError);
});

Deno.test("errorFromBody() says a redirect (300-399, or a browser's opaque 0) was not followed", () => {
  const at = new Headers({ location: "https://elsewhere.example/x?sig=abc" });
  for (const status of [0, 300, 302, 399]) {
    assert.match(
      errorFromBody(status, "", {}, at).message,
      /: redirect to https:\/\/elsewhere\.example\/x not followed/,
      `status ${status}`,
    );
  }
  for (const status of [299, 400]) {
    assert.doesNotMatch(errorFromBody(status, "", {}, at).message, /redirect/, `status ${status}`);
  }
  // No headers, or no location: "?" for where it pointed.
  assert.match(errorFromBody(302, {}).message, /: redirect to \? not followed/);
  assert.match(errorFromBody(302, {}, {}, new Headers()).message, /: redirect to \? not followed/);
});

Deno.test("errorFromBody() keeps at most 500 characters of a text body", () => {
  const err = errorFromBody(502, "x".repeat(600));
  assert.equal(err.message, `Request failed with status 502: ${"x".repeat(500)}`);
});

Deno.test("errorFromBody() searches only the first 2048 characters of an HTML page", () => {
  // One tag of exactly 2048 characters, then text past the cut.
  const page = `<${"b".repeat(2046)}>after`;
  assert.equal(errorFromBody(502, page).message, "Request failed with status 502");
});

Deno.test("errorFromResponse() decodes a character split across two chunks of the body", async () => {
  const bytes = new TextEncoder().encode("café down");
  const cut = bytes.indexOf(0xc3) + 1; // inside é
  const body = new ReadableStream<Uint8Array>({
    start(c) {
      c.enqueue(bytes.slice(0, cut));
      c.enqueue(bytes.slice(cut));
      c.close();
    },
  });
  const err = await errorFromResponse(new Response(body, { status: 503 }));
  assert.equal(err.message, "Request failed with status 503: café down");
});

Deno.test("errorFromResponse() reads a JSON error body's code and message", async () => {
  const res = new Response('{"error":{"code":"Busy","message":"try later"}}', { status: 503 });
  const err = await errorFromResponse(res);
  assert.equal(err.code, "Busy");
  assert.equal(err.message, "Request failed with status 503 (code Busy): try later");
});

Deno.test("errorFromResponse() maps a response without a body", async () => {
  const err = await errorFromResponse(new Response(null, { status: 500 }));
  assert.ok(err instanceof InternalServerError);
  assert.equal(err.message, "Request failed with status 500");
});
