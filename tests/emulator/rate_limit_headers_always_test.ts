// Azure sends x-ratelimit-remaining-requests and -tokens on every model answer; the emulator sent
// them only for the limits configured. A kind without a limit now reads "unlimited" as the
// largest safe integer: never lower, so rateLimit() learning from it adopts a budget that is never
// reached and does not hold a call (a realistic figure would make the client throttle itself
// against an emulator that has no limits).
import assert from "node:assert/strict";
import { AzureOpenAI } from "../../mod.ts";
import { rateLimit } from "../../src/middleware/mod.ts";
import { createEmulator, type EmulatorOptions } from "../../src/emulator/mod.ts";

const UNLIMITED = String(Number.MAX_SAFE_INTEGER);
const CHAT = "http://emulator.test/openai/deployments/gpt-4o/chat/completions" +
  "?api-version=2024-10-21";

/** The two remaining-* headers of `n` chat answers of an emulator made with `options`. */
async function remaining(options: EmulatorOptions, n: number): Promise<string[]> {
  const e = createEmulator({ ...options, now: () => 0 });
  const seen: string[] = [];
  for (let i = 0; i < n; i++) {
    const res = await e.fetch(CHAT, {
      method: "POST",
      headers: { "api-key": e.apiKey, "content-type": "application/json" },
      body: JSON.stringify({ messages: [{ role: "user", content: "abcd abcd" }] }),
    });
    await res.body?.cancel();
    const h = res.headers;
    seen.push(
      `${res.status} ${h.get("x-ratelimit-remaining-requests")} ${
        h.get("x-ratelimit-remaining-tokens")
      }`,
    );
  }
  return seen;
}

Deno.test("emulator: every model answer carries x-ratelimit-remaining-requests and -tokens, 'unlimited' for a kind with no limit", async () => {
  assert.deepEqual(await remaining({}, 2), [
    `200 ${UNLIMITED} ${UNLIMITED}`,
    `200 ${UNLIMITED} ${UNLIMITED}`,
  ]);
  const [a, b] = await remaining({ rateLimits: { tokensPerMinute: 1000 } }, 2);
  assert.match(a, new RegExp(`^200 ${UNLIMITED} \\d+$`));
  assert.ok(Number(b.split(" ")[2]) < Number(a.split(" ")[2]), `${a} / ${b}: tokens counted`);
  assert.deepEqual(await remaining({ rateLimits: { requestsPerMinute: 2 } }, 3), [
    `200 1 ${UNLIMITED}`,
    `200 0 ${UNLIMITED}`,
    `429 0 ${UNLIMITED}`,
  ]);
});

Deno.test("rateLimit() learning from an emulator with no limits never holds a call", async () => {
  const emulator = createEmulator();
  const waits: number[] = [];
  const client = new AzureOpenAI({
    endpoint: "http://emulator.local",
    apiKey: emulator.apiKey,
    maxRetries: 0,
    fetch: emulator.fetch,
    // A frozen clock: a budget learned from the headers would never refill.
    middleware: [rateLimit({
      now: () => 0,
      sleep: (ms) => {
        waits.push(ms);
        return new Promise(() => {});
      },
    })],
  });
  // One after another (at once, all would go before anything is learned); a held call is aborted.
  let held = 0;
  for (let i = 0; i < 200; i++) {
    const controller = new AbortController();
    let done = false;
    const call = client.chat.completions.create({
      model: "gpt-4o",
      messages: [{ role: "user", content: `call ${i}` }],
    }, { signal: controller.signal }).then(() => done = true, () => {});
    for (let turn = 0; turn < 50 && !done; turn++) await new Promise((r) => setTimeout(r, 0));
    if (!done) {
      held++;
      controller.abort();
    }
    await call;
  }
  assert.equal(held, 0);
  const { response } = await client.chat.completions.create({
    model: "gpt-4o",
    messages: [{ role: "user", content: "last" }],
  }).withResponse();
  assert.equal(response.headers.get("x-ratelimit-remaining-tokens"), UNLIMITED);
  assert.deepEqual(waits, []);
});
