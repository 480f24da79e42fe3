// Azure's x-ratelimit-remaining-requests / -tokens report the quota that actually remains. The
// emulator has no quota for a kind without a configured limit: it sent the largest safe integer
// (9007199254740991) for it, a number rateLimit() adopted as a per-minute budget. A kind with no
// limit now sends no remaining-* header (nothing to learn); a configured kind sends what remains.
import assert from "node:assert/strict";
import { AzureOpenAI } from "../../mod.ts";
import { rateLimit } from "../../src/middleware/mod.ts";
import { createEmulator, type EmulatorOptions } from "../../src/emulator/mod.ts";

const CHAT = "http://emulator.test/openai/deployments/gpt-4o/chat/completions" +
  "?api-version=2024-10-21";

/** Status and the two remaining-* headers of `n` chat answers of an emulator made with `options`. */
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

Deno.test("emulator: a kind with no limit sends no x-ratelimit-remaining-* header; a limited kind sends what remains", async () => {
  assert.deepEqual(await remaining({}, 2), ["200 null null", "200 null null"]);
  const [a, b] = await remaining({ rateLimits: { tokensPerMinute: 1000 } }, 2);
  assert.match(a, /^200 null \d+$/);
  assert.ok(Number(a.split(" ")[2]) < 1000, `${a}: tokens counted`);
  assert.ok(Number(b.split(" ")[2]) < Number(a.split(" ")[2]), `${a} / ${b}: tokens counted`);
  assert.deepEqual(await remaining({ rateLimits: { requestsPerMinute: 2 } }, 3), [
    "200 1 null",
    "200 0 null",
    "429 0 null",
  ]);
});

/** A client with rateLimit() on a frozen clock (a learned budget never refills) over `emulator`. */
function learningClient(
  emulator: ReturnType<typeof createEmulator>,
  waits: number[],
  burstSeconds?: number,
) {
  return new AzureOpenAI({
    endpoint: "http://emulator.local",
    apiKey: emulator.apiKey,
    maxRetries: 0,
    fetch: emulator.fetch,
    middleware: [rateLimit({
      now: () => 0,
      burstSeconds,
      sleep: (ms) => {
        waits.push(ms);
        return new Promise(() => {});
      },
    })],
  });
}

/** Runs `n` calls one after another; returns how many rateLimit() held (each then aborted). */
async function heldCalls(client: AzureOpenAI, n: number): Promise<number> {
  let held = 0;
  for (let i = 0; i < n; i++) {
    const controller = new AbortController();
    let done = false;
    const call = client.chat.completions.create({
      model: "gpt-4o",
      messages: [{ role: "user", content: `call ${i}` }],
    }, { signal: controller.signal }).then(() => done = true, () => done = true);
    for (let turn = 0; turn < 50 && !done; turn++) await new Promise((r) => setTimeout(r, 0));
    if (!done) {
      held++;
      controller.abort();
    }
    await call;
  }
  return held;
}

Deno.test("rateLimit() learning from an emulator with no limits never holds a call", async () => {
  const emulator = createEmulator({ now: () => 0 });
  const waits: number[] = [];
  const client = learningClient(emulator, waits);
  assert.equal(await heldCalls(client, 200), 0);
  assert.deepEqual(waits, []);
  assert.equal(emulator.stats.requests, 200);
});

Deno.test("rateLimit() learns a limited emulator's budget from what remains and holds the call it would refuse", async () => {
  const emulator = createEmulator({ rateLimits: { requestsPerMinute: 3 }, now: () => 0 });
  const waits: number[] = [];
  // A full minute's budget may go at once (by default a learned budget is spread over 10 s).
  const client = learningClient(emulator, waits, 60);
  // Three go (2, 1, then 0 remain); the fourth is held, not sent to be refused with a 429.
  assert.equal(await heldCalls(client, 5), 2);
  assert.equal(emulator.stats.requests, 3);
  assert.equal(emulator.stats.rateLimited, 0);
});
