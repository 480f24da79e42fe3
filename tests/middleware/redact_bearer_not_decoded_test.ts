import assert from "node:assert/strict";
import { redactSecrets } from "../../src/errors/redact.ts";
import { headerSecrets } from "../../src/middleware/_redact.ts";

Deno.test("headerSecrets() decodes only a Basic credential: a Bearer token that reads as base64 is not decoded", () => {
  const token = btoa("user:password"); // dXNlcjpwYXNzd29yZA==
  const bearer = headerSecrets([["authorization", `Bearer ${token}`]]);
  assert.deepEqual(bearer, [`Bearer ${token}`, token]);
  assert.equal(redactSecrets(`wrong password for ${token}`, bearer), "wrong password for ***");
  const basic = headerSecrets([["authorization", `basic ${token}`]]);
  assert.equal(redactSecrets("wrong password", basic), "wrong ***", "Basic, any case: decoded");
});
