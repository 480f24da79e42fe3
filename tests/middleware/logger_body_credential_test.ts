/**
 * logger({ logBodies: true }) logs the request body at `start`, before the innermost auth layer
 * has put the credential on the request: a body quoting the client's own key or token must still
 * show it masked, without the caller listing it in `secrets`.
 */
import assert from "node:assert/strict";
import { AzureOpenAI } from "../../src/client.ts";
import type { AzureOpenAIOptions } from "../../src/options.ts";
import { apiKeyAuth, tokenAuth } from "../../src/auth/auth_middleware.ts";
import { createEmulator } from "../../src/emulator/mod.ts";
import { type LogEvent, logger } from "../../src/middleware/logger.ts";

const MODES: [string, (secret: string) => Partial<AzureOpenAIOptions>][] = [
  ["apiKey", (s) => ({ apiKey: s })],
  ["token", (s) => ({ token: s })],
  ["apiKeyAuth()", (s) => ({ middleware: [apiKeyAuth(s)] })],
  ["tokenAuth()", (s) => ({ middleware: [tokenAuth(() => s)] })],
  ["per-call api-key header", () => ({ apiKey: "sk-other-key-0123456789" })],
];

for (const [mode, auth] of MODES) {
  Deno.test(`logger({ logBodies }) masks the client's credential quoted in a request body at start (${mode})`, async () => {
    const secret = `sk-${crypto.randomUUID()}`;
    const emulator = createEmulator({ apiKeys: [secret, "sk-other-key-0123456789"] });
    const events: LogEvent[] = [];
    const options = auth(secret);
    const client = new AzureOpenAI({
      endpoint: "http://emulator.local",
      fetch: emulator.fetch,
      ...options,
      middleware: [
        logger({ onEvent: (e) => events.push(e), logBodies: true }),
        ...(options.middleware ?? []),
      ],
    });
    const headers = mode.startsWith("per-call") ? { "api-key": secret } : undefined;
    // A token provider's token is known once fetched: the first call fetches it.
    if (mode === "tokenAuth()") {
      await client.chat.completions.create({
        model: "gpt-4o",
        messages: [{ role: "user", content: "hi" }],
      });
      events.length = 0;
    }
    await client.chat.completions.create({
      model: "gpt-4o",
      messages: [{ role: "user", content: `my key is ${secret}, keep it` }],
    }, { headers });
    const start = events.find((e) => e.type === "start")!;
    assert.ok(start.requestBody, "the body was logged");
    assert.match(start.requestBody!, /my key is \*\*\*, keep it/);
    assert.ok(!JSON.stringify(events).includes(secret), JSON.stringify(events));
  });
}
