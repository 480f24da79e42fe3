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
