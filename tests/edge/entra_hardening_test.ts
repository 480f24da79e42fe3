import assert from "node:assert/strict";
import { entraClientCredentials, EntraTokenError } from "../../edge/mod.ts";

const TENANT = "4d1f8a62-0c1e-4b7a-9a55-2f7c3e1b9d10";
const CLIENT = "9b0e6c3a-5f2d-4e8b-8c71-1a2b3c4d5e6f";
// Entra secrets hold "~" (and may hold "+", "/", "="), which a form encodes ("%7E", "%2B", ...).
const SECRET = "Xy8Q~abc+def/ghi=jk l!m'n(o)*p";
const ENTRA = { tenantId: TENANT, clientId: CLIENT, clientSecret: SECRET };

/** Every rendering of an error: none may hold a secret. */
function renderings(err: unknown): string[] {
  const e = err as Error;
  return [String(e), e.stack ?? "", JSON.stringify(e), Deno.inspect(e, { depth: 10 })];
}

Deno.test("entraClientCredentials(): a token endpoint (or proxy) echoing the form body as sent gets the form-encoded secret masked", async () => {
  let sent = "";
  const provider = entraClientCredentials({
    ...ENTRA,
    fetch: async (input) => {
      sent = await input.text();
      return Response.json({
        error: "invalid_request",
        error_description: `AADSTS900144: could not parse the body ${sent}`,
        error_codes: [900144],
        trace_id: sent,
      }, { status: 400 });
    },
  });
  const err = await provider().then(() => undefined, (e) => e);
  assert.ok(err instanceof EntraTokenError);
  // The form really carried the secret, encoded, and decodes back to it.
  assert.equal(new URLSearchParams(sent).get("client_secret"), SECRET);
  const encoded = sent.split("client_secret=")[1].split("&")[0];
  assert.notEqual(encoded, SECRET);
  // Masked whole: not one character of it before the mask (its space is a "+" in the form).
  assert.match(err.message, /client_secret=\*\*\*&scope=/);
  for (const text of renderings(err)) {
    assert.ok(!text.includes(encoded), `form-encoded secret in: ${text}`);
    assert.ok(!text.includes(SECRET), text);
  }
});

Deno.test("entraClientCredentials(): timeoutMs bounds a token request whose fetch ignores the abort signal", async () => {
  // A fetch (a test double, a service binding, a proxy library) that never settles nor
  // listens to the signal: without its own bound the provider (shared by every request) hangs.
  const provider = entraClientCredentials({
    ...ENTRA,
    timeoutMs: 1,
    fetch: () => new Promise<Response>(() => {}),
  });
  const err = await provider().then(() => undefined, (e) => e);
  assert.ok(err instanceof EntraTokenError, String(err));
  assert.equal(err.code, "timeout");
  // A body that never ends, its stream deaf to the signal too.
  const slowBody = entraClientCredentials({
    ...ENTRA,
    timeoutMs: 1,
    fetch: () =>
      Promise.resolve(new Response(new ReadableStream({ pull: () => new Promise(() => {}) }))),
  });
  const err2 = await slowBody().then(() => undefined, (e) => e);
  assert.ok(err2 instanceof EntraTokenError, String(err2));
  assert.equal(err2.code, "timeout");
});

Deno.test("entraClientCredentials(): a token request answered in time leaves no timer behind (a script would wait timeoutMs to exit)", async () => {
  const live = new Set<unknown>();
  const { setTimeout: realSet, clearTimeout: realClear } = globalThis;
  globalThis.setTimeout = ((fn: () => void, ms?: number) => {
    const id = realSet(() => (live.delete(id), fn()), ms);
    live.add(id);
    return id;
  }) as typeof setTimeout;
  globalThis.clearTimeout =
    ((id?: number) => (live.delete(id), realClear(id))) as typeof clearTimeout;
  try {
    const provider = entraClientCredentials({
      ...ENTRA,
      fetch: () => Promise.resolve(Response.json({ access_token: "t", expires_in: 3600 })),
    });
    assert.equal((await provider()).token, "t");
    assert.equal(live.size, 0);
  } finally {
    globalThis.setTimeout = realSet;
    globalThis.clearTimeout = realClear;
  }
});
