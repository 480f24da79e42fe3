import assert from "node:assert/strict";
import {
  AzureOpenAIError,
  BadRequestError,
  ContentFilterError,
  InternalServerError,
  NotFoundError,
  RateLimitError,
} from "./api_error.ts";
import { errorFromBody, errorFromResponse } from "./from_response.ts";
import { parseRetryAfterMs } from "./retry_after.ts";

Deno.test("errorFromBody() maps a 400 with the RAI inner code to ContentFilterError", () => {
  const body = { error: { code: "x", inner_error: { code: "ResponsibleAIPolicyViolation" } } };
  assert.ok(errorFromBody(400, body) instanceof ContentFilterError);
  // Without a status only the content_filter code counts.
  assert.equal(errorFromBody(undefined, body).constructor, AzureOpenAIError);
  assert.ok(
    errorFromBody(undefined, { error: { code: "content_filter" } }) instanceof ContentFilterError,
  );
  assert.equal(errorFromBody(400, { error: { code: "x" } }).constructor, BadRequestError);
  assert.ok(errorFromBody(599, "down") instanceof InternalServerError);
  assert.equal(errorFromBody(418, {}).constructor, AzureOpenAIError);
});

Deno.test("errorFromBody() builds the message from site, status, code, text and request id", () => {
  const err = errorFromBody(
    429,
    { error: { code: 429, message: "slow down", innererror: { revised_prompt: "p" } } },
    { operation: "op", method: "POST", url: "https://x/y?api-key=secret" },
    new Headers({ "x-request-id": "r1", "retry-after-ms": "250" }),
  );
  assert.ok(err instanceof RateLimitError);
  assert.equal(
    err.message,
    "op (POST https://x/y?api-key=***) failed with status 429 (code 429): slow down [request id r1]",
  );
  assert.equal(err.retryAfterMs, 250);
  assert.equal(err.revisedPrompt, "p");
  assert.deepEqual(err.innerError, { revised_prompt: "p" });
  assert.equal(errorFromBody(undefined, "").message, "Request failed");
});

Deno.test("errorFromResponse() keeps a body that is not JSON as text", async () => {
  const err = await errorFromResponse(new Response("<html>busy</html>", { status: 503 }));
  assert.equal(err.body, "<html>busy</html>");
  assert.match(err.message, /failed with status 503: busy$/);
});

Deno.test("errorFromResponse() gives a gateway's HTML page as its text on one line", async () => {
  const page = "<!DOCTYPE html>\n<html>\n<head><title>502 Bad Gateway</title>\n" +
    "<style>\nbody { color: red }\n</style><script>var x = '<b>';</script></head>\n" +
    "<body>\n<center><h1>502 Bad Gateway</h1></center>\n<hr><center>nginx</center>\n</body>\n" +
    "</html>\n";
  const err = await errorFromResponse(new Response(page, { status: 502 }));
  assert.equal(err.body, page, "the body stays as sent");
  assert.match(err.message, /failed with status 502: 502 Bad Gateway 502 Bad Gateway nginx$/);
  // Plain text keeps its words, on one line.
  const text = await errorFromResponse(
    new Response("upstream\r\n  busy\ttry later", { status: 503 }),
  );
  assert.match(text.message, /: upstream busy try later$/);
});

Deno.test("errorFromBody() keeps the < and > of a plain-text body that is not an HTML page", () => {
  for (const text of ["a < b and c > d", "expected List<String>, got <null>", "x>1 and y<2"]) {
    assert.equal(errorFromBody(400, text).message, `Request failed with status 400: ${text}`);
    assert.equal(errorFromBody(400, { error: text }).message.endsWith(`: ${text}`), true);
  }
  assert.match(errorFromBody(502, " \n<html><b>busy</b></html>").message, /: busy$/);
});

Deno.test("errorFromBody() drops a style, script or tag of an HTML page that the 2 KiB cut leaves open", () => {
  const head = "<html><head><title>502 Bad Gateway</title>";
  for (
    const open of [
      "<style>" + "body{color:red}".repeat(200),
      "<script>" + "var x = 1;".repeat(300),
      "<link href='" + "x".repeat(2100),
    ]
  ) {
    const page = head + open + "</style></script>'></head><body>busy</body></html>";
    assert.equal(
      errorFromBody(502, page).message,
      "Request failed with status 502: 502 Bad Gateway",
    );
  }
});

Deno.test("parseRetryAfterMs() prefers the millisecond headers and reads seconds or a date", () => {
  const now = Date.parse("2024-01-01T00:00:00Z");
  const h = (init: Record<string, string>) => new Headers(init);
  assert.equal(parseRetryAfterMs(h({ "retry-after-ms": "12", "retry-after": "3" }), now), 12);
  assert.equal(
    parseRetryAfterMs(h({ "x-ms-retry-after-ms": "x", "retry-after": "1.5" }), now),
    1500,
  );
  assert.equal(parseRetryAfterMs(h({ "retry-after": "Mon, 01 Jan 2024 00:00:02 GMT" }), now), 2000);
  assert.equal(
    parseRetryAfterMs(h({ "retry-after-ms": "-1", "retry-after": " " }), now),
    undefined,
  );
  assert.equal(parseRetryAfterMs(h({ "retry-after": "soon" }), now), undefined);
});

Deno.test("parseRetryAfterMs() reads a millisecond wait too long for a number as the seconds one", () => {
  // `retry-after: 1e400 s` already read as Infinity (past any maxRetryAfterMs); the millisecond
  // headers' Infinity was dropped for the backoff or another header's wait.
  const h = (init: Record<string, string>) => parseRetryAfterMs(new Headers(init), 0);
  assert.equal(h({ "retry-after": "9".repeat(400) }), Infinity);
  assert.equal(h({ "retry-after-ms": "1e400" }), Infinity);
  assert.equal(h({ "x-ms-retry-after-ms": "Infinity", "retry-after": "3" }), Infinity);
  assert.equal(h({ "retry-after-ms": "-Infinity" }), undefined);
});

Deno.test("parseRetryAfterMs() lets a millisecond header of 0 give way to another header's wait", () => {
  const h = (init: Record<string, string>) => parseRetryAfterMs(new Headers(init), 0);
  assert.equal(h({ "retry-after-ms": "0", "retry-after": "5" }), 5000);
  assert.equal(h({ "retry-after-ms": "0", "x-ms-retry-after-ms": "40" }), 40);
  assert.equal(h({ "retry-after-ms": "0" }), 0);
  assert.equal(h({ "retry-after-ms": "0", "retry-after": "soon" }), 0);
});

Deno.test("parseRetryAfterMs() measures a retry-after date from the response's date header", () => {
  // This machine's clock is 10 minutes ahead of the server's: the server still asks for 3 s.
  const skewed = Date.parse("2024-01-01T00:10:00Z");
  const headers = new Headers({
    date: "Mon, 01 Jan 2024 00:00:00 GMT",
    "retry-after": "Mon, 01 Jan 2024 00:00:03 GMT",
  });
  assert.equal(parseRetryAfterMs(headers, skewed), 3000);
  // No usable date header: measured from `now`.
  headers.set("date", "whenever");
  assert.equal(parseRetryAfterMs(headers, Date.parse("2024-01-01T00:00:01Z")), 2000);
});

Deno.test("parseRetryAfterMs() reads the three HTTP-date forms and nothing else as a date", () => {
  const now = Date.parse("1994-11-06T08:49:30Z");
  const after = (value: string) => parseRetryAfterMs(new Headers({ "retry-after": value }), now);
  assert.equal(after("Sun, 06 Nov 1994 08:49:37 GMT"), 7000);
  assert.equal(after("Sunday, 06-Nov-94 08:49:37 GMT"), 7000);
  assert.equal(after("Sun Nov  6 08:49:37 1994"), 7000);
  // Date.parse reads these as dates (years 2001 and 2099): a gateway's garbage is no hint.
  for (const garbage of ["-1", "foo 1", "x 2099", "2099 1", "next year"]) {
    assert.equal(after(garbage), undefined, garbage);
  }
});

Deno.test("errorFromResponse() reads at most ~64 KiB of a huge error body and cancels the rest", async () => {
  let pulls = 0;
  let cancelled = false;
  const page = new TextEncoder().encode("<html>" + "x".repeat(16_378) + "</html>"); // 16 KiB
  const body = new ReadableStream<Uint8Array>({
    pull(c) {
      pulls++;
      c.enqueue(page);
    },
    cancel() {
      cancelled = true;
    },
  }, { highWaterMark: 0 });
  const err = await errorFromResponse(new Response(body, { status: 502 }), {
    operation: "chat.completions.create",
  });
  assert.ok(err instanceof InternalServerError);
  assert.equal(err.status, 502);
  assert.ok(cancelled, "the endless body was cancelled");
  assert.ok(pulls <= 5, `read ${pulls} chunks of 16 KiB`);
  assert.equal(typeof err.body, "string");
  assert.ok((err.body as string).length <= 65_536 + 16_384);
  assert.match(err.message, /status 502/);
});

Deno.test("errorFromBody() puts an `error` that is a string into the message", () => {
  const err = errorFromBody(401, { error: "Unauthorized: key expired" }, {
    operation: "op",
    method: "POST",
    url: "https://x/y",
  });
  assert.equal(
    err.message,
    "op (POST https://x/y) failed with status 401: Unauthorized: key expired",
  );
  assert.deepEqual(err.body, { error: "Unauthorized: key expired" });
});

Deno.test("errorFromResponse() maps a response whose body was already read (e.g. by a middleware)", async () => {
  const response = new Response('{"error":{"code":"DeploymentNotFound","message":"gone"}}', {
    status: 404,
    headers: { "apim-request-id": "r9" },
  });
  await response.text(); // a middleware logged the body and passed the response on
  const err = await errorFromResponse(response, { operation: "op" });
  assert.ok(err instanceof NotFoundError);
  assert.equal(err.status, 404);
  assert.equal(err.requestId, "r9");
  assert.equal(err.message, "op failed with status 404 [request id r9]");
});
