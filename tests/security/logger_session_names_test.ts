// The logger masked credential headers and JSON members by names that predate the URL
// redaction's session / one-time names (commit 881a545): `x-session-id`, `x-hmac-signature`,
// a body's `session_id`, `sessionToken`, `hmac`, `otp`, `code_verifier` were logged as sent.
// Ordinary names holding those letters (`side`, `position`, `footprint`) stay readable, and so does
// Azure's diagnostic `azureml-model-session` header (support asks for it): a header name counts
// when `session` is followed by more (`session-id`, `x-session-token`).
import assert from "node:assert/strict";
import { redactBody, redactHeaders, SENSITIVE_HEADERS } from "../../src/middleware/_redact.ts";

Deno.test("credential headers: session, hmac, one-time and gateway names are masked", () => {
  const secret = [
    "cookie",
    "set-cookie",
    "x-session-id",
    "X-Session-Token",
    "session-id",
    "x-hmac-signature",
    "x-amz-security-token",
    "ocp-apim-subscription-key",
    "x-functions-key",
    "x-otp",
    "x-totp",
    "x-sid",
    "x-oauth-verifier",
    "x-client-assertion",
  ];
  const shown = [
    "x-ratelimit-remaining-tokens",
    "x-request-id",
    "apim-request-id",
    "x-ms-region",
    "azureml-model-session",
    "x-side",
    "x-footprint",
    "content-type",
  ];
  const headers = new Headers([...secret, ...shown].map((n, i) => [n, `v${i}-value`]));
  const out = redactHeaders(headers, []);
  assert.deepEqual(secret.filter((n) => out[n.toLowerCase()] != "***"), [], "shown as sent");
  assert.deepEqual(secret.filter((n) => !SENSITIVE_HEADERS.has(n)), []);
  assert.deepEqual(shown.filter((n) => out[n] == "***" || SENSITIVE_HEADERS.has(n)), [], "masked");
});

Deno.test("a logged JSON body masks session, hmac, one-time and verifier members", () => {
  const secret = [
    "session_id",
    "sessionToken",
    "sessionId",
    "JSESSIONID",
    "sid",
    "hmac",
    "otp",
    "totp",
    "code_verifier",
    "codeVerifier",
    "oauth_verifier",
    "client_secret",
    "clientSecret",
    "refresh_token",
    "refreshToken",
    "access_token",
    "api_key",
    // A count is no secret, but the name is read as in URLs (any name holding session): masked.
    "session_count",
  ];
  const body: Record<string, unknown> = {};
  secret.forEach((n, i) => body[n] = n == "session_count" ? 2 : `S${i}-secret`);
  body.nested = { otp: 123456, session_id: "Nested-secret", list: [{ hmac: "Listed-secret" }] };
  const shown = {
    side: "left",
    position: 3,
    footprint: "small",
    considered: true,
    token: "Hello",
    code: "content_filter",
    max_tokens: 10,
    prompt_cache_key: "user-1",
    session: { id: "sess_1" },
  };
  const text = redactBody(JSON.stringify({ ...body, ...shown }), [], 10_000);
  const out = JSON.parse(text);
  assert.deepEqual(secret.filter((n) => out[n] != "***"), [], text);
  assert.deepEqual(out.nested, { otp: "***", session_id: "***", list: [{ hmac: "***" }] });
  // Ordinary members stay; an object under a secret-looking name (`session`) is walked, not masked.
  for (const [n, v] of Object.entries(shown)) assert.deepEqual(out[n], v, n);
});
