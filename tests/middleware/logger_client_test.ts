/** logger() through the real client and the emulator: no secret in any event, any auth mode. */
import assert from "node:assert/strict";
import { AzureOpenAI } from "../../src/client.ts";
import type { AzureOpenAIOptions } from "../../src/options.ts";
import { createEmulator } from "../../src/emulator/mod.ts";
import { type LogEvent, logger } from "../../src/middleware/logger.ts";
import { retry } from "../../src/middleware/retry.ts";
import { startServer } from "../helpers/server.ts";
import { recordingSleep } from "./_context.ts";

const MODES: [string, (key: string) => Partial<AzureOpenAIOptions>][] = [
  ["apiKey", (key) => ({ apiKey: key })],
  ["token", (key) => ({ token: key })],
  ["tokenProvider", (key) => ({ tokenProvider: () => ({ token: key, expiresOnTimestamp: 0 }) })],
];

for (const [mode, auth] of MODES) {
  Deno.test(`logger() events of real client calls contain no secret (${mode})`, async () => {
    const secret = `sk-${mode}-${crypto.randomUUID()}`;
    const emulator = createEmulator({ apiKeys: [secret], faults: { failNext: { count: 1 } } });
    await using server = await startServer((_seen, raw) => emulator.fetch(raw));
    const events: LogEvent[] = [];
    const onEvent = (e: LogEvent) => events.push(e);
    const { sleep } = recordingSleep();
    const client = new AzureOpenAI({
      endpoint: server.url,
      ...auth(secret),
      middleware: [
        logger({ onEvent, logBodies: true, logHeaders: true }),
        retry({ sleep }),
        logger({ onEvent, logBodies: true, logHeaders: true }),
      ],
    });
    await client.chat.completions.create({
      model: "gpt-4o",
      messages: [{ role: "user", content: "hello" }],
    });
    const stream = await client.chat.completions.create({
      model: "gpt-4o",
      messages: [{ role: "user", content: "stream please" }],
      stream: true,
    });
    for await (const _ of stream) { /* drain */ }
    await client.embeddings.create({ model: "text-embedding-3-small", input: ["a", "b"] });
    await assert.rejects(client.embeddings.create({ model: "missing", input: "a" }), /404/);
    const wrong = new AzureOpenAI({
      endpoint: server.url,
      ...auth(`${secret}-wrong`),
      middleware: [logger({ onEvent, logBodies: true, logHeaders: true })],
    });
    await assert.rejects(
      wrong.chat.completions.create({
        model: "gpt-4o",
        messages: [{ role: "user", content: "x" }],
      }),
      /401/,
    );

    assert.ok(events.length >= 12, `got ${events.length} events`);
    assert.ok(events.some((e) => (e.retries?.length ?? 0) > 0), "the injected fault was retried");
    assert.ok(events.some((e) => e.status === 401));
    for (const event of events) {
      const text = JSON.stringify(event);
      assert.ok(!text.includes(secret), `${mode}: secret leaked in ${text}`);
    }
  });
}

/** A response whose body sends `head`, then fails with a connection reset. */
function brokenBody(head: string, contentType: string): Response {
  return new Response(
    new ReadableStream({
      start(controller) {
        controller.enqueue(new TextEncoder().encode(head));
        controller.error(new TypeError("connection reset"));
      },
    }),
    { headers: { "content-type": contentType, "apim-request-id": "req-1" } },
  );
}

Deno.test("logger() emits an error event after end when the body fails while the client reads it", async () => {
  for (const stream of [false, true]) {
    const events: LogEvent[] = [];
    const client = new AzureOpenAI({
      endpoint: "https://res.openai.azure.com",
      apiKey: "key",
      maxRetries: 0,
      fetch: () =>
        Promise.resolve(
          stream
            ? brokenBody('data: {"id":"c","choices":[]}\n\n', "text/event-stream")
            : brokenBody('{"object":', "application/json"),
        ),
      middleware: [logger({ onEvent: (e) => events.push(e) })],
    });
    const params = { model: "gpt-4o", messages: [{ role: "user" as const, content: "hi" }] };
    await assert.rejects(async () => {
      if (!stream) return void await client.chat.completions.create(params);
      for await (const _ of await client.chat.completions.create({ ...params, stream })) {
        // read to the failure
      }
    });
    // The call failed: `end` (the headers came) must not be the last word.
    assert.deepEqual(events.map((e) => e.type), ["start", "end", "error"], `stream: ${stream}`);
    const error = events[2];
    assert.equal(error.status, 200);
    assert.equal(error.requestId, "req-1");
    assert.equal(error.stream, stream);
    assert.match(error.error?.message ?? "", /connection reset/);
    assert.equal(typeof error.durationMs, "number");
  }
});
