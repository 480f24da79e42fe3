/** logger() error events of a service that echoes the credential in its error `code`. */
import assert from "node:assert/strict";
import { AzureOpenAI } from "../../src/client.ts";
import { type LogEvent, logger } from "../../src/middleware/logger.ts";
import { retry } from "../../src/middleware/retry.ts";
import { startServer } from "../helpers/server.ts";

Deno.test("logger() scrubs the credential from an error event's code, as from its message", async () => {
  const secret = `sk-${crypto.randomUUID()}`;
  // A gateway that puts what it was sent into its error code.
  await using server = await startServer((seen) =>
    Response.json({
      error: { code: `bad key ${seen.headers.get("api-key")}`, message: "refused" },
    }, { status: 429, headers: { "retry-after": "3600" } })
  );
  const events: LogEvent[] = [];
  const client = new AzureOpenAI({
    endpoint: server.url,
    apiKey: secret,
    // retry() gives up on a wait over maxRetryAfterMs with a RateLimitError the logger sees.
    middleware: [logger({ onEvent: (e) => events.push(e) }), retry({ maxRetryAfterMs: 1_000 })],
  });
  await assert.rejects(client.embeddings.create({ model: "emb", input: "a" }), /429/);
  const failed = events.find((e) => e.error);
  assert.ok(failed, "an error event");
  assert.equal(failed.error?.code?.startsWith("bad key "), true);
  const text = JSON.stringify(events);
  assert.ok(!text.includes(secret), `the key is in an event: ${text}`);
});
