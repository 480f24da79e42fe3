// A gateway key passed as a query parameter (`?subscription-key=`, API Management's) never shows
// in an error or in logger() events: the URL's parameter is masked by its name, and its value is
// scrubbed wherever the service echoes it.
import assert from "node:assert/strict";
import { inspect } from "node:util";
import { AuthenticationError } from "../../mod.ts";
import { type LogEvent, logger } from "../../src/middleware/mod.ts";
import { recordingServer } from "./_recording_server.ts";

const DEFAULT_KEY = "gw0default0subscription0key0123";
const CALL_KEY = "gw0call0subscription0key0456789";

/** A 401 that echoes the key and the whole URL it got, as a careless gateway might. */
function echoing(request: Request): Response {
  const url = new URL(request.url);
  const key = url.searchParams.get("subscription-key");
  return Response.json({
    error: {
      code: "401",
      message: `Access denied: subscription key ${key} is not valid for ${request.url}`,
    },
  }, { status: 401 });
}

Deno.test("a subscription-key in defaultQuery or a call's query is in no error's text or fields", async () => {
  const { client, seen, close } = recordingServer(
    { defaultQuery: { "subscription-key": DEFAULT_KEY, user: "alice-in-chains" } },
    echoing,
  );
  try {
    const params = { model: "text-embedding-3-small", input: "hi" };
    const errors = [
      await client.embeddings.create(params).catch((e) => e),
      await client.embeddings.create(params, { query: { "subscription-key": CALL_KEY } })
        .catch((e) => e),
    ];
    // They were sent.
    assert.match(seen[0], RegExp(`subscription-key=${DEFAULT_KEY}&user=alice-in-chains$`));
    assert.match(seen[1], RegExp(`subscription-key=${CALL_KEY}&user=alice-in-chains$`));
    for (const err of errors) {
      assert.ok(err instanceof AuthenticationError, String(err));
      const shown = `${err.message}\n${inspect(err, { depth: 9 })}\n${JSON.stringify(err)}`;
      assert.ok(!shown.includes(DEFAULT_KEY), shown);
      assert.ok(!shown.includes(CALL_KEY), shown);
      assert.match(err.message, /subscription-key=\*\*\*/);
      // Parameters not named like a credential stay readable.
      assert.match(err.message, /user=alice-in-chains/);
    }
  } finally {
    await close();
  }
});

// logger() also scrubs the values of the URL's credential parameters from bodies and headers
// (tests/security/logger_query_credential_test.ts).
Deno.test("logger() events show a query's subscription-key as ***", async () => {
  const events: LogEvent[] = [];
  const { client, close } = recordingServer({
    defaultQuery: { "subscription-key": DEFAULT_KEY },
    middleware: [logger({ onEvent: (e) => events.push(e), logHeaders: true })],
  }, echoing);
  try {
    const params = { model: "text-embedding-3-small", input: "hi" };
    await client.embeddings.create(params, { query: { "subscription-key": CALL_KEY } })
      .catch(() => {});
    await client.embeddings.create(params).catch(() => {});
    assert.ok(events.length >= 4, `${events.length} events`);
    const shown = JSON.stringify(events);
    assert.ok(!shown.includes(DEFAULT_KEY), shown);
    assert.ok(!shown.includes(CALL_KEY), shown);
    assert.match(shown, /subscription-key=\*\*\*/);
  } finally {
    await close();
  }
});
