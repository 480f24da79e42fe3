import assert from "node:assert/strict";
import { createEmulator } from "./emulator.ts";
import { BASE, post } from "./_testing.ts";

const CHAT = "/openai/deployments/gpt-4o/chat/completions";
const EMB = "/openai/deployments/text-embedding-3-small/embeddings";
const MESSAGES = { messages: [{ role: "user", content: "hi" }] };

Deno.test("faults.errorRate fails when the draw is below the rate, not when it equals it", async () => {
  const at = createEmulator({ faults: { errorRate: 0.25 }, random: () => 0.25 });
  const ok = await post(at, CHAT, MESSAGES);
  await ok.body?.cancel();
  assert.equal(ok.status, 200);
  const below = createEmulator({ faults: { errorRate: 0.25 }, random: () => 0.2499 });
  const failed = await post(below, CHAT, MESSAGES);
  await failed.body?.cancel();
  assert.equal(failed.status, 500);
});

Deno.test("with no errorRate (or 0) a request draws no random number for faults, keeping seeded ids", async () => {
  for (const faults of [{}, { errorRate: 0 }]) {
    let draws = 0;
    const e = createEmulator({
      faults,
      random: () => {
        draws++;
        return 0.5;
      },
    });
    // A 404 draws only its request id; an embeddings answer draws nothing more.
    await (await e.fetch(`${BASE}/nowhere`)).body?.cancel();
    const idOnly = draws;
    assert.ok(idOnly > 0);
    draws = 0;
    const res = await post(e, EMB, { input: "hi" });
    await res.body?.cancel();
    assert.equal(res.status, 200);
    assert.equal(draws, idOnly, JSON.stringify(faults));
  }
});
