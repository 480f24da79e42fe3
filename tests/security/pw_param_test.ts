// A `pw` parameter (`?pw=…`, `db_pw=…`) was not masked, while `pass`, `password`, `pwd` and
// `passphrase` were. The other names a user would expect masked are pinned here too.
import assert from "node:assert/strict";
import { redactUrl } from "../../src/errors/redact.ts";
import { surfaces } from "./_error_text_surfaces.ts";

Deno.test("redactUrl() masks pw parameters in any case", () => {
  const masked = redactUrl("https://x/a?pw=S1&PW=S2&db_pw=S3&Pw=S4&api-version=1");
  for (let i = 1; i <= 4; i++) assert.ok(!masked.includes(`=S${i}`), `S${i} in ${masked}`);
  assert.ok(masked.endsWith("&api-version=1"), masked);
});

Deno.test("redactUrl() masks the common secret parameter names", () => {
  const names = [
    "token",
    "access_token",
    "refresh_token",
    "id_token",
    "client_secret",
    "code",
    "api-key",
    "apikey",
    "api_key",
    "key",
    "secret",
    "signature",
    "sig",
    "x-amz-signature",
    "X-Amz-Security-Token",
    "X-Goog-Signature",
    "auth",
    "authorization",
    "password",
    "passwd",
    "pwd",
    "pass",
    "subscription-key",
    "private_key",
  ];
  const masked = redactUrl(`https://x/a?${names.map((n, i) => `${n}=S${i}z`).join("&")}`);
  names.forEach((n, i) => assert.ok(!masked.includes(`=S${i}z`), `${n} in ${masked}`));
});

Deno.test("a service's error quoting a URL with a pw parameter shows it on no surface", async () => {
  const text = await surfaces("login failed for https://db.example/login?user=a&pw=PwLeaKed1");
  assert.ok(!text.includes("PwLeaKed1"), text);
  assert.ok(text.includes("login?user=a&pw=***"), text);
});
