import assert from "node:assert/strict";
import { createEmulator } from "./emulator.ts";
import { BASE, post } from "./_testing.ts";

const CHAT = "/openai/deployments/gpt-4o/chat/completions";
const MESSAGES = { messages: [{ role: "user", content: "hi" }] };

Deno.test("faults.failNext fails the next n requests with the given status, then recovers", async () => {
  const e = createEmulator({ faults: { failNext: { count: 2, status: 503 }, retryAfterMs: 0 } });
  for (let i = 0; i < 2; i++) {
    const res = await post(e, CHAT, MESSAGES);
    assert.equal(res.status, 503);
    assert.equal(res.headers.get("retry-after"), "0");
    assert.equal(res.headers.get("retry-after-ms"), "0");
    assert.ok(res.headers.get("x-request-id"));
    assert.equal((await res.json()).error.code, "ServiceUnavailable");
  }
  assert.equal((await post(e, CHAT, MESSAGES)).status, 200);
});

Deno.test("failNext() defaults to 500 InternalServerError and can inject 429", async () => {
  const e = createEmulator();
  e.failNext(1);
  const res = await post(e, CHAT, MESSAGES);
  assert.equal(res.status, 500);
  assert.equal((await res.json()).error.code, "InternalServerError");
  e.failNext(1, 429);
  const limited = await post(e, CHAT, MESSAGES);
  assert.equal(limited.status, 429);
  assert.equal(limited.headers.get("retry-after-ms"), "1000");
  await limited.body?.cancel();
});

Deno.test("faults never replace the 401 for a bad key", async () => {
  const e = createEmulator({ faults: { failNext: { count: 1 } } });
  const res = await e.fetch(`${BASE}${CHAT}?api-version=2024-10-21`, {
    method: "POST",
    body: "{}",
  });
  assert.equal(res.status, 401);
  assert.equal((await post(e, CHAT, MESSAGES)).status, 500);
});

Deno.test("faults.errorRate fails a request when the injected random is below the rate", async () => {
  const low = createEmulator({ faults: { errorRate: 0.1, errorStatus: 503 }, random: () => 0.05 });
  const high = createEmulator({ faults: { errorRate: 0.1, errorStatus: 503 }, random: () => 0.5 });
  for (let k = 0; k < 3; k++) {
    const failed = await post(low, CHAT, MESSAGES);
    assert.equal(failed.status, 503);
    await failed.body?.cancel();
    const ok = await post(high, CHAT, MESSAGES);
    assert.equal(ok.status, 200);
    await ok.body?.cancel();
  }
  const always = createEmulator({ faults: { errorRate: 1 } });
  assert.equal((await post(always, CHAT, MESSAGES)).status, 500);
});

Deno.test("faults.latencyMs delays every response through the injected sleep", async () => {
  const sleeps: number[] = [];
  const e = createEmulator({
    faults: { latencyMs: 1500 },
    sleep: (ms) => {
      sleeps.push(ms);
      return Promise.resolve();
    },
  });
  await (await post(e, CHAT, MESSAGES)).body?.cancel();
  await (await e.fetch(`${BASE}/nowhere`)).body?.cancel();
  assert.deepEqual(sleeps, [1500, 1500]);
});

Deno.test("setFaults() replaces the faults at runtime", async () => {
  const e = createEmulator();
  e.setFaults({ dropStreamAfterChunks: 1 });
  const res = await post(e, CHAT, { ...MESSAGES, stream: true });
  await assert.rejects(() => res.text());
  e.setFaults({});
  const ok = await post(e, CHAT, { ...MESSAGES, stream: true });
  assert.match(await ok.text(), /\[DONE\]/);
});
