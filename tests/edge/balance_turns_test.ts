import assert from "node:assert/strict";
import { type EdgeAppOptions, MemoryCache } from "../../edge/mod.ts";
import { azurePath } from "./_helpers.ts";
import { balancedApp } from "./_balance.ts";

/** A round-robin app over `n` emulators; `call` gives the index of the upstream that answered. */
function roundRobin(n: number, options: Partial<Omit<EdgeAppOptions, "upstream">> = {}) {
  const b = balancedApp(n, { upstreamBalance: "round-robin", ...options });
  const call = async (path: string, json: unknown) => {
    const { res, upstream } = await b.call(path, json);
    assert.equal(res.status, 200);
    return upstream;
  };
  return { ...b, call };
}

Deno.test("round-robin spreads each deployment over the upstreams when requests for two deployments alternate", async () => {
  // A retrieval app embeds the question, then chats: strictly alternating deployments.
  const b = roundRobin(2);
  const chat: (string | null)[] = [];
  const embeddings: (string | null)[] = [];
  for (let i = 0; i < 4; i++) {
    embeddings.push(
      await b.call(azurePath("text-embedding-3-small", "embeddings"), { input: `q${i}` }),
    );
    chat.push(
      await b.call(azurePath("gpt-4o", "chat/completions"), {
        messages: [{ role: "user", content: `q${i}` }],
      }),
    );
  }
  assert.deepEqual(embeddings.toSorted(), ["0", "0", "1", "1"], `embeddings: ${embeddings}`);
  assert.deepEqual(chat.toSorted(), ["0", "0", "1", "1"], `chat: ${chat}`);
});

Deno.test("round-robin with chatCache takes turns over every upstream for streamed deterministic chats", async () => {
  // Each streamed cacheable chat also looks the cache up and stores its completion: those
  // consult the cache only and must not use up upstreams' turns.
  const b = roundRobin(3, { cache: new MemoryCache(), chatCache: true });
  const answered: (string | null)[] = [];
  for (let i = 0; i < 6; i++) {
    answered.push(
      await b.call(azurePath("gpt-4o", "chat/completions"), {
        temperature: 0,
        stream: true,
        messages: [{ role: "user", content: `question ${i}` }],
      }),
    );
  }
  assert.deepEqual(answered.toSorted(), ["0", "0", "1", "1", "2", "2"], `${answered}`);
});
