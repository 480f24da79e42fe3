// Parameters that carry a session or a one-time credential were not masked: `session`,
// `sessionid` (`JSESSIONID`, `PHPSESSID`), `sid` (`connect.sid`), `hmac`, `otp` / `totp`,
// `oauth_verifier` / PKCE's `code_verifier`; nor a secret name written as an array (`sig[]=`,
// `code[0]=`, `sig%5B%5D=`). Ordinary names holding those letters stay as they are.
import assert from "node:assert/strict";
import { redactUrl } from "../../src/errors/redact.ts";
import { surfaces } from "./_error_text_surfaces.ts";

Deno.test("redactUrl() masks session, one-time and verifier parameters and array-named secrets", () => {
  const names = [
    "session",
    "sessionid",
    "session_id",
    "JSESSIONID",
    "PHPSESSID",
    "ASP.NET_SessionId",
    "sid",
    "connect.sid",
    "hmac",
    "x-hmac-sha256",
    "otp",
    "totp",
    "oauth_verifier",
    "code_verifier",
    "sig[]",
    "code[0]",
    "sig%5B%5D",
    "client_assertion[]",
    "pass[x]",
  ];
  const masked = redactUrl(`https://x/a?${names.map((n, i) => `${n}=S${i}z`).join("&")}`);
  names.forEach((n, i) => assert.ok(!masked.includes(`=S${i}z`), `${n} in ${masked}`));
});

Deno.test("redactUrl() keeps ordinary parameters holding those letters", () => {
  const url = "https://x/a?side=l&considered=1&position=2&inside=3&sidebar=4&footprint=5" +
    "&hotspot=6&residence=7&codec=8&signal=9&coded[0]=a&assessment=b&sides[]=c&api-version=1";
  assert.equal(redactUrl(url), url);
});

Deno.test("an error quoting a URL with a session id or verifier shows them on no surface", async () => {
  const text = await surfaces(
    "callback https://app.example/cb;jsessionid=SeSsIoN1?oauth_verifier=VeRiFiEr1&sid=SiD1" +
      "&sig[]=SiGaRr1&side=left failed",
  );
  for (const secret of ["SeSsIoN1", "VeRiFiEr1", "SiD1", "SiGaRr1"]) {
    assert.ok(!text.includes(secret), `${secret} in ${text}`);
  }
  assert.ok(text.includes("&side=left failed"), text);
});
