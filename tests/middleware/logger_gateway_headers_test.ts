/** Credentials in gateway headers the fixed list did not name (Cloudflare AI Gateway, Kong, Helicone). */
import assert from "node:assert/strict";
import { AzureOpenAI } from "../../mod.ts";
import { type LogEvent, logger } from "../../src/middleware/mod.ts";

const GATEWAY_HEADERS: Record<string, string> = {
  "cf-aig-authorization": "Bearer cf-gateway-token-2718281828",
  "apikey": "kong-key-1414213562",
  "x-portkey-api-key": "portkey-key-1732050807",
};

Deno.test("logger() masks credentials sent in gateway headers (cf-aig-authorization, apikey, x-…-api-key); errors and events never carry them", async () => {
  const events: LogEvent[] = [];
  // A gateway that refuses the call and echoes what it got.
  const echo = (request: Request) =>
    Promise.resolve(
      Response.json({
        error: { code: "denied", message: `bad ${[...request.headers.values()].join(", ")}` },
      }, { status: 403, headers: { "x-echo": request.headers.get("apikey") ?? "" } }),
    );
  const client = new AzureOpenAI({
    endpoint: "https://gateway.example",
    apiKey: "azure-key-0123456789",
    defaultHeaders: GATEWAY_HEADERS,
    fetch: echo,
    maxRetries: 0,
    middleware: [logger({ onEvent: (e) => events.push(e), logHeaders: true, logBodies: true })],
  });
  const err = await client.embeddings.create({ model: "e", input: "hi" }).catch((e) => e);
  assert.equal(err.status, 403);
  const seen = JSON.stringify(events) + String(err) + JSON.stringify(err) +
    JSON.stringify([...err.headers]);
  for (const value of Object.values(GATEWAY_HEADERS)) {
    const secret = value.replace(/^Bearer /, "");
    assert.ok(!seen.includes(secret), `${secret} leaked`);
  }
  assert.equal(events[0].requestHeaders?.["cf-aig-authorization"], "***");
  // Not credentials: the rate-limit headers stay readable.
  assert.equal(events[0].requestHeaders?.["content-type"], "application/json");
});

Deno.test("logger() keeps x-ratelimit-remaining-tokens and other plain headers readable", async () => {
  const events: LogEvent[] = [];
  const client = new AzureOpenAI({
    endpoint: "https://gateway.example",
    apiKey: "azure-key-0123456789",
    fetch: () =>
      Promise.resolve(Response.json({ object: "list", data: [], model: "m", usage: {} }, {
        headers: { "x-ratelimit-remaining-tokens": "99", "x-ratelimit-remaining-requests": "9" },
      })),
    middleware: [logger({ onEvent: (e) => events.push(e), logHeaders: true })],
  });
  await client.embeddings.create({ model: "e", input: "hi" });
  assert.equal(events[1].responseHeaders?.["x-ratelimit-remaining-tokens"], "99");
  assert.equal(events[1].responseHeaders?.["x-ratelimit-remaining-requests"], "9");
});
