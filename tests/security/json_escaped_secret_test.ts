// A secret holding `"` or `\` (header values may: a key from a vault, a gateway's token) is
// written `\"` / `\\` once an echo of it sits inside JSON text. Scrubbing only its raw form let
// it through wherever JSON text is scrubbed as text: an upstream error body the edge app
// relays, a body the logger logs.
import assert from "node:assert/strict";
import { AzureOpenAI } from "../../mod.ts";
import { createEdgeApp } from "../../edge/mod.ts";
import { logger } from "../../src/middleware/mod.ts";
import { redactSecrets } from "../../src/errors/redact.ts";

const KEY = 'sk-"quoted\\key0123456789';
const ESCAPED = JSON.stringify(KEY).slice(1, -1);

/** Every form of KEY a reader would still recognise, escaped once or twice over. */
function assertClean(text: string, label: string): void {
  for (const form of [KEY, ESCAPED, JSON.stringify(ESCAPED).slice(1, -1), "quoted"]) {
    assert.ok(!text.includes(form), `${label}: ${form} in ${text}`);
  }
}

/** An upstream that echoes the key it was sent in a JSON error body. */
const echo = (req: Request) =>
  Promise.resolve(
    Response.json({ error: { code: "429", message: `slow down ${req.headers.get("api-key")}` } }, {
      status: 429,
      headers: { "retry-after": "1" },
    }),
  );

Deno.test("redactSecrets() masks a secret written JSON-escaped", () => {
  assert.equal(redactSecrets(JSON.stringify({ m: `k ${KEY}` }), [KEY]), '{"m":"k ***"}');
});

Deno.test("edge: an upstream error echoing a key that holds a quote or backslash is relayed without it", async () => {
  const logged: string[] = [];
  const app = createEdgeApp({
    upstream: { endpoint: "https://res.openai.azure.com", apiKey: KEY, fetch: echo },
    clientKeys: ["client-key-0123456789"],
    onError: (line) => logged.push(line),
  });
  const res = await app.fetch(
    new Request("http://edge/openai/deployments/d/embeddings?api-version=2024-10-21", {
      method: "POST",
      headers: { "api-key": "client-key-0123456789", "content-type": "application/json" },
      body: JSON.stringify({ input: "x" }),
    }),
  );
  assert.equal(res.status, 429);
  const text = await res.text();
  assert.match(text, /slow down \*\*\*/);
  assertClean(text + JSON.stringify([...res.headers]) + logged.join("\n"), "relayed 429");
});

Deno.test("logger(): a response body echoing a key that holds a quote or backslash is logged without it", async () => {
  const events: string[] = [];
  const client = new AzureOpenAI({
    endpoint: "https://res.openai.azure.com",
    apiKey: KEY,
    maxRetries: 0,
    fetch: echo,
    middleware: [logger({ logBodies: true, onEvent: (e) => events.push(JSON.stringify(e)) })],
  });
  await assert.rejects(client.embeddings.create({ model: "d", input: "x" }));
  const end = events.find((e) => e.includes('"responseBody"')) ?? "";
  assert.match(end, /slow down \*\*\*/);
  assertClean(events.join("\n"), "log events");
});
