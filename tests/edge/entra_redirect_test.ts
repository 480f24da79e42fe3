import assert from "node:assert/strict";
import { entraClientCredentials, EntraTokenError } from "../../edge/mod.ts";
import { startServer } from "../helpers/server.ts";

const SECRET = "Xy8Q~entra-redirect-secret-0123";

Deno.test("entraClientCredentials(): a token endpoint answering a 307 redirect does not get the client secret sent on", async () => {
  await using target = await startServer(() =>
    Response.json({ access_token: "t", token_type: "Bearer", expires_in: 3600 })
  );
  await using authority = await startServer(() =>
    new Response(null, { status: 307, headers: { location: `${target.url}/token` } })
  );
  const provider = entraClientCredentials({
    tenantId: "contoso.onmicrosoft.com",
    clientId: "9b0e6c3a-5f2d-4e8b-8c71-1a2b3c4d5e6f",
    clientSecret: SECRET,
    authorityHost: authority.url,
  });
  const err = await provider().then(() => undefined, (e) => e);
  assert.ok(err instanceof EntraTokenError, String(err));
  assert.match(err.message, /307/);
  assert.ok(!String(err).includes(SECRET));
  assert.equal(authority.seen.length, 1);
  assert.equal(
    target.seen.length,
    0,
    "the form (with client_secret) went to the redirect's target",
  );
});
