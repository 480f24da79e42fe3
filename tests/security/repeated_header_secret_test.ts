// A credential header given twice (two `api-key` headers, `authorization` appended twice, names
// differing in case) reaches Headers as one value joined with ", ". Each credential alone is a
// secret too: an error body, a URL or a log event may echo just one of them.
import assert from "node:assert/strict";
import { AzureOpenAI } from "../../mod.ts";
import { logger } from "../../src/middleware/mod.ts";
import { headerSecrets, secretsOfHeaders } from "../../src/middleware/_redact.ts";
import { redactSecrets } from "../../src/errors/redact.ts";

const ONE = "gw-key-one-0123456789";
const TWO = "gw-key-two-9876543210";
const TOK1 = "tok-first-0123456789";
const TOK2 = "tok-second-9876543210";

/** An upstream that echoes each credential alone, in its error body and a response header. */
const echo = () =>
  Promise.resolve(
    Response.json({ error: { code: "401", message: `bad ${ONE} or ${TWO}; ${TOK1} ${TOK2}` } }, {
      status: 401,
      headers: { "x-note": `first ${ONE}` },
    }),
  );

function assertClean(text: string, label: string, secrets = [ONE, TWO, TOK1, TOK2]): void {
  for (const secret of secrets) {
    assert.ok(!text.includes(secret), `${label}: ${secret} in ${text.slice(0, 800)}`);
  }
}

Deno.test("headerSecrets() and secretsOfHeaders() take each value of a repeated credential header", () => {
  const headers = new Headers([
    ["x-api-key", ONE],
    ["X-Api-Key", TWO],
    ["authorization", `Bearer ${TOK1}`],
    ["authorization", `Bearer ${TOK2}`],
  ]);
  const text = `${ONE} ${TWO} ${TOK1} ${TOK2} [${ONE}, ${TWO}]`;
  assert.equal(redactSecrets(text, headerSecrets(headers)), "*** *** *** *** [***]");
  assert.equal(redactSecrets(text, secretsOfHeaders(headers)), "*** *** *** *** [***]");
  // The joined value stays a secret as well.
  assert.ok(headerSecrets(headers).includes(`${ONE}, ${TWO}`));
});

Deno.test("errors: each value of a credential header given twice in a call's headers is scrubbed", async () => {
  const client = new AzureOpenAI({
    endpoint: "https://res.openai.azure.com",
    apiKey: "sk-client-0123456789",
    deployment: "d",
    maxRetries: 0,
    defaultHeaders: { "Authorization": `Bearer ${TOK1}`, "authorization": `Bearer ${TOK2}` },
    fetch: echo,
  });
  const err = await client.embeddings.create({ input: "x" }, {
    headers: { "X-Api-Key": ONE, "x-api-key": TWO },
  }).then(() => assert.fail("expected a throw"), (e) => e);
  assertClean(
    [String(err), JSON.stringify(err), Deno.inspect(err, { depth: 10, showHidden: true })].join(),
    "error",
  );
  assert.match(err.message, /bad \*\*\* or \*\*\*/);
});

Deno.test("logger(): each value of a credential header given twice is scrubbed from its events", async () => {
  const events: string[] = [];
  const client = new AzureOpenAI({
    endpoint: "https://res.openai.azure.com",
    apiKey: "sk-client-0123456789",
    deployment: "d",
    maxRetries: 0,
    fetch: echo,
    middleware: [
      logger({
        logBodies: true,
        logHeaders: true,
        onEvent: (e) => void events.push(JSON.stringify(e)),
      }),
    ],
  });
  await assert.rejects(
    client.embeddings.create({ input: "x" }, {
      headers: { "X-Api-Key": ONE, "x-api-key": TWO },
    }),
  );
  const end = events.find((e) => e.includes('"responseBody"')) ?? "";
  assert.match(end, /bad \*\*\* or \*\*\*/);
  // (The logger is not told of TOK1 and TOK2.)
  assertClean(events.join("\n"), "log events", [ONE, TWO]);
});
