// The headers an upstream error brings (its request ids) are relayed scrubbed of the app's
// credential, whole or when its body breaks off while the app reads it (the 502 it gets then, the
// log saying what broke). A redirect's body is cancelled, not left open.
import assert from "node:assert/strict";
import { AzureOpenAI } from "../../src/client.ts";
import { azurePath, errorOf, postJson } from "./_helpers.ts";
import { cancelCounted } from "./_first_upstream.ts";
import { reportingApp, sentThen, settle } from "./_stream_upstream.ts";

const CHAT = azurePath("gpt-4o", "chat/completions");
const hi = { messages: [{ role: "user", content: "hi" }] };
const APP_KEY = "app-upstream-key-0123456789";

const only = (fetch: () => Promise<Response>) =>
  reportingApp(
    new AzureOpenAI({ endpoint: "https://res.example", apiKey: APP_KEY, maxRetries: 0, fetch }),
    false,
  );

Deno.test("a 500's request id is relayed scrubbed of the app's key", async () => {
  const { app } = only(() =>
    Promise.resolve(
      Response.json({ error: { code: "InternalServerError", message: "oops" } }, {
        status: 500,
        headers: { "x-request-id": `req-${APP_KEY}` },
      }),
    )
  );
  const res = await app.fetch(postJson(CHAT, hi));
  assert.equal(res.status, 500);
  assert.equal((await errorOf(res)).code, "InternalServerError");
  const id = res.headers.get("x-request-id");
  assert.ok(id !== null && id.startsWith("req-") && !id.includes(APP_KEY), String(id));
});

Deno.test("a 500 whose body breaks off: 502 with its request id scrubbed of the app's key, the break logged", async () => {
  const { app, errors } = only(() =>
    Promise.resolve(
      new Response(sentThen('{"error":', new TypeError("connection reset")), {
        status: 500,
        headers: { "content-type": "application/json", "x-request-id": `req-${APP_KEY}` },
      }),
    )
  );
  const res = await app.fetch(postJson(CHAT, hi));
  assert.equal(res.status, 502);
  assert.equal((await errorOf(res)).code, "UpstreamConnectionLost");
  const id = res.headers.get("x-request-id");
  assert.ok(id !== null && id.startsWith("req-") && !id.includes(APP_KEY), String(id));
  assert.equal(errors.length, 1);
  assert.match(
    errors[0],
    /^chat\.completions\.create: upstream res\.example answered 500, then its connection broke: \S/,
  );
  assert.ok(!errors[0].includes(APP_KEY));
});

Deno.test("the only upstream's redirect is not followed and its body is cancelled", async () => {
  const redirect = cancelCounted(302, { location: "https://elsewhere.example/x?sig=secret" });
  const { app } = only(redirect.fetch);
  const res = await app.fetch(postJson(CHAT, hi));
  assert.equal(res.status, 502);
  assert.equal((await errorOf(res)).code, "UpstreamRedirect");
  await settle(() => redirect.cancelled() > 0);
  assert.equal(redirect.cancelled(), 1);
});
