import assert from "node:assert/strict";
import { createEmulator, type EmulatorFaults } from "../../src/emulator/mod.ts";

const CHAT =
  "http://emulator.local/openai/deployments/gpt-4o/chat/completions?api-version=2024-10-21";
const chat = (e: ReturnType<typeof createEmulator>) =>
  e.fetch(CHAT, {
    method: "POST",
    headers: { "api-key": "k", "content-type": "application/json" },
    body: JSON.stringify({ messages: [{ role: "user", content: "hi" }] }),
  });

// Each bad value with the range text createEmulator() gives for it.
const BAD: [EmulatorFaults, RegExp][] = [
  [{ errorRate: NaN }, /faults\.errorRate must be a number from 0 to 1, got NaN/],
  [{ errorRate: 2 }, /faults\.errorRate must be a number from 0 to 1, got 2/],
  [{ errorRate: -0.1 }, /faults\.errorRate must be a number from 0 to 1/],
  [{ errorStatus: 200 }, /faults\.errorStatus must be a whole number from 400 to 599, got 200/],
  [{ failNext: { count: -1 } }, /faults\.failNext\.count must be a whole number >= 0, got -1/],
  [{ failNext: { count: NaN } }, /faults\.failNext\.count must be a whole number >= 0/],
  [
    { failNext: { count: 1, status: 99 } },
    /faults\.failNext\.status must be a whole number from 400 to 599/,
  ],
  [{ latencyMs: -1 }, /faults\.latencyMs must be a number >= 0, got -1/],
  [{ latencyMs: NaN }, /faults\.latencyMs must be a number >= 0, got NaN/],
  [{ retryAfterMs: Infinity }, /faults\.retryAfterMs must be a number >= 0, got Infinity/],
  [{ dropStreamAfterChunks: 1.5 }, /faults\.dropStreamAfterChunks must be a whole number >= 0/],
  [{ malformedChunkAt: -2 }, /faults\.malformedChunkAt must be a whole number >= 0/],
];

Deno.test("emulator.setFaults() refuses what createEmulator() refuses, with the same TypeError text", () => {
  for (const [faults, message] of BAD) {
    const label = JSON.stringify(faults, (_k, v) => (typeof v === "number" ? String(v) : v));
    assert.throws(() => createEmulator({ faults }), TypeError, label);
    const emulator = createEmulator({ apiKeys: ["k"] });
    assert.throws(
      () => emulator.setFaults(faults),
      (err: unknown) =>
        err instanceof TypeError && /^emulator\.setFaults\(\): /.test(err.message) &&
        message.test(err.message),
      label,
    );
  }
});

Deno.test("emulator.setFaults() that throws leaves the previous faults in force, nothing half-applied", async () => {
  const emulator = createEmulator({
    apiKeys: ["k"],
    faults: { failNext: { count: 2, status: 503 }, retryAfterMs: 0 },
  });
  // A valid failNext and retryAfterMs beside a bad errorRate: none of it may apply.
  assert.throws(
    () => emulator.setFaults({ failNext: { count: 0 }, retryAfterMs: 5000, errorRate: NaN }),
    TypeError,
  );
  for (let i = 0; i < 2; i++) {
    const res = await chat(emulator);
    assert.equal(res.status, 503);
    assert.equal(res.headers.get("retry-after-ms"), "0");
    await res.body?.cancel();
  }
  const ok = await chat(emulator);
  assert.equal(ok.status, 200);
  await ok.body?.cancel();
  // Valid settings still apply.
  emulator.setFaults({ failNext: { count: 1, status: 429 }, retryAfterMs: 0 });
  const limited = await chat(emulator);
  assert.equal(limited.status, 429);
  await limited.body?.cancel();
});

Deno.test("emulator.setFaults() without faults (undefined or null, from JavaScript) clears them, as createEmulator() takes none", async () => {
  for (const none of [undefined, null]) {
    const emulator = createEmulator({ apiKeys: ["k"], faults: { errorRate: 1, errorStatus: 503 } });
    emulator.setFaults(none as unknown as EmulatorFaults);
    const res = await chat(emulator);
    assert.equal(res.status, 200, String(none));
    await res.body?.cancel();
  }
});
