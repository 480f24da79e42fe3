// A `cookie` header is a credential header, so its whole value was a secret, but a service (or a
// gateway) that rejects a session names the cookie's value alone: "session <value> expired".
// Each cookie's value is a secret too.
import assert from "node:assert/strict";
import { AzureOpenAI } from "../../mod.ts";
import { logger } from "../../src/middleware/mod.ts";
import { headerSecrets } from "../../src/middleware/_redact.ts";
import { redactSecrets } from "../../src/errors/redact.ts";

const SESSION = "sess-0123456789abcdef";
const OTHER = "gw-affinity-9876543210";

const echo = () =>
  Promise.resolve(
    Response.json({ error: { code: "401", message: `session ${SESSION} expired (${OTHER})` } }, {
      status: 401,
    }),
  );

Deno.test("headerSecrets() takes the value of each cookie of a cookie header", () => {
  const secrets = headerSecrets([["cookie", `session=${SESSION};affinity=${OTHER}`]]);
  assert.equal(redactSecrets(`${SESSION} ${OTHER}`, secrets), "*** ***");
});

Deno.test("errors and logger(): a cookie's value echoed alone is scrubbed", async () => {
  const events: string[] = [];
  const client = new AzureOpenAI({
    endpoint: "https://res.openai.azure.com",
    apiKey: "sk-client-0123456789",
    deployment: "d",
    maxRetries: 0,
    fetch: echo,
    middleware: [logger({ logBodies: true, onEvent: (e) => void events.push(JSON.stringify(e)) })],
  });
  const err = await client.embeddings.create({ input: "x" }, {
    headers: { cookie: `session=${SESSION}; affinity=${OTHER}` },
  }).then(() => assert.fail("expected a throw"), (e) => e);
  assert.match(err.message, /session \*\*\* expired \(\*\*\*\)/);
  const text = [String(err), JSON.stringify(err), Deno.inspect(err, { depth: 10 }), ...events]
    .join("\n");
  for (const secret of [SESSION, OTHER]) assert.ok(!text.includes(secret), `${secret}: ${text}`);
});
