// README.md, client.withOptions(): `middleware` given is replaced whole, and the middleware
// instances a derived client inherits are shared: a rateLimit()'s slots and queue serve both
// clients' calls.
import assert from "node:assert/strict";
import type { Middleware } from "../../src/middleware/types.ts";
import { rateLimit } from "../../src/middleware/mod.ts";
import { recordingServer } from "../client/_recording_server.ts";

const EMBED = { model: "text-embedding-3-small", input: "hi" };

Deno.test("README: withOptions() shares the middleware instances it inherits; middleware given replaces them whole", async () => {
  let arrived!: () => void;
  const firstArrived = new Promise<void>((resolve) => arrived = resolve);
  let release!: () => void;
  const released = new Promise<void>((resolve) => release = resolve);
  let first = true;
  const limiter = rateLimit({ maxConcurrent: 1, maxQueue: 1 });
  const { client, seen, close } = recordingServer({ middleware: [limiter] }, () => {
    if (!first) return undefined; // the emulator answers
    first = false;
    arrived();
    // The first call stays upstream, holding the one slot, until released.
    return released.then(() =>
      Response.json({
        object: "list",
        data: [{ object: "embedding", index: 0, embedding: [0.5] }],
        model: "text-embedding-3-small",
        usage: { prompt_tokens: 1, total_tokens: 1 },
      })
    ) as unknown as Response;
  });
  try {
    const derived = client.withOptions({ timeoutMs: 60_000 });
    const held = client.embeddings.create(EMBED);
    await firstArrived;
    // The derived client's calls wait in the same queue: one waits, the next is refused.
    const queued = derived.embeddings.create(EMBED);
    await assert.rejects(derived.embeddings.create(EMBED), /maxQueue/);
    // A client given its own middleware has no limiter: it goes while the slot is held.
    let counted = 0;
    const counter: Middleware = (_ctx, next) => (counted++, next());
    const replaced = client.withOptions({ middleware: [counter] });
    await replaced.embeddings.create(EMBED);
    assert.equal(counted, 1);
    assert.equal(seen.length, 2);
    release();
    await held;
    await queued;
    assert.equal(seen.length, 3);
  } finally {
    release();
    await close();
  }
});
