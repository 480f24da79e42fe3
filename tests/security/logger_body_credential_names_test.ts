// A logged JSON body masks members named like the credentials OAuth / OpenID and databases use
// (`id_token`, `client_assertion`, `jwt`, `credential(s)`, `pw`, `pwd`, `passphrase`), as the URL
// redaction does for such parameters; the fields chat replies carry (`token` and `bytes` of
// logprobs, `code`) stay readable.
import assert from "node:assert/strict";
import { redactBody } from "../../src/middleware/_redact.ts";

Deno.test("redactBody() masks OAuth, OpenID and password members, and keeps logprobs fields", () => {
  const secret = {
    id_token: "S1",
    idToken: "S2",
    client_assertion: "S3",
    clientAssertion: "S4",
    jwt: "S5",
    credential: "S6",
    credentials: "S7",
    pw: "S8",
    pwd: "S9",
    passphrase: "S10",
  };
  const shown = { token: "Hello", bytes: [72], code: "x", client_assertion_type: "urn:jwt-bearer" };
  const out = JSON.parse(redactBody(JSON.stringify({ ...secret, ...shown }), [], 10_000));
  for (const name of Object.keys(secret)) assert.equal(out[name], "***", name);
  assert.deepEqual(
    Object.fromEntries(Object.keys(shown).map((k) => [k, out[k]])),
    shown,
  );
});

Deno.test("redactBody() masks a credential member holding a list, and walks into other members", () => {
  const body = { api_key: ["k-1", "k-2"], client_secret: [7], messages: [{ role: "user" }] };
  const out = JSON.parse(redactBody(JSON.stringify(body), [], 10_000));
  assert.equal(out.api_key, "***");
  assert.equal(out.client_secret, "***");
  assert.deepEqual(out.messages, [{ role: "user" }]);
});
