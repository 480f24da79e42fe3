import assert from "node:assert/strict";
import { MemoryCache } from "../../edge/mod.ts";
import { azurePath } from "./_helpers.ts";
import { balancedApp } from "./_balance.ts";

const CHAT = azurePath("gpt-4o", "chat/completions");
const EMBEDDINGS = azurePath("text-embedding-3-small", "embeddings");
const hi = { messages: [{ role: "user", content: "hi" }] };

Deno.test('createEdgeApp() with upstreamBalance "round-robin" sends requests to the upstreams in turn', async () => {
  const b = balancedApp(3, { upstreamBalance: "round-robin" });
  const answered: (string | null)[] = [];
  for (let i = 0; i < 6; i++) {
    const { res, body, upstream } = await b.call(CHAT, hi);
    assert.equal(res.status, 200);
    assert.equal(body.choices[0].message.content, "You said: hi");
    answered.push(upstream);
  }
  assert.deepEqual(answered, ["0", "1", "2", "0", "1", "2"]);
  assert.deepEqual(b.ups.map((u) => u.seen), [2, 2, 2]);
});

Deno.test("createEdgeApp() sends every request to the primary by default (primary-first)", async () => {
  for (const upstreamBalance of [undefined, "primary-first"] as const) {
    const b = balancedApp(2, { upstreamBalance });
    for (let i = 0; i < 3; i++) assert.equal((await b.call(CHAT, hi)).upstream, "0");
    assert.deepEqual(b.ups.map((u) => u.seen), [3, 0]);
  }
});

Deno.test("createEdgeApp() round-robin fails over from its turn's upstream and skips one cooling down", async () => {
  const b = balancedApp(3, { upstreamBalance: "round-robin" });
  // Turn 0 starts at upstream 0, which fails: upstream 1 answers.
  b.ups[0].emulator.failNext(1, 503);
  assert.equal((await b.call(CHAT, hi)).upstream, "1");
  // Upstream 1 answers 429 on its turn (turn 1): it cools down and upstream 2 answers.
  b.ups[1].emulator.failNext(1, 429);
  assert.equal((await b.call(CHAT, hi)).upstream, "2");
  // While upstream 1 cools down, the turns go over upstreams 0 and 2 only.
  const next = [];
  for (let i = 0; i < 4; i++) next.push((await b.call(CHAT, hi)).upstream);
  assert.ok(!next.includes("1"), `cooling upstream used: ${next}`);
  assert.deepEqual(next.toSorted(), ["0", "0", "2", "2"]);
  // Its cooldown over, upstream 1 takes turns again.
  b.clock.now += 61_000;
  const later = [];
  for (let i = 0; i < 3; i++) later.push((await b.call(CHAT, hi)).upstream);
  assert.deepEqual(later.toSorted(), ["0", "1", "2"]);
});

Deno.test("createEdgeApp() round-robin keeps one embeddings cache whichever upstream answered", async () => {
  const b = balancedApp(2, { upstreamBalance: "round-robin", cache: new MemoryCache() });
  const input = { input: ["alpha", "beta"] };
  const miss = await b.call(EMBEDDINGS, input);
  assert.equal(miss.res.headers.get("x-aoai-cache"), "miss");
  assert.equal(miss.upstream, "0");
  const other = await b.call(EMBEDDINGS, { input: ["gamma"] });
  assert.equal(other.upstream, "1");
  const hit = await b.call(EMBEDDINGS, { input: ["gamma", "alpha"] });
  assert.equal(hit.res.headers.get("x-aoai-cache"), "hit");
  assert.deepEqual(hit.body.data[1].embedding, miss.body.data[0].embedding);
  assert.deepEqual(hit.body.data[0].embedding, other.body.data[0].embedding);
  assert.deepEqual(b.ups.map((u) => u.seen), [1, 1]);
});

Deno.test("createEdgeApp() refuses an unknown upstreamBalance, naming the choices", () => {
  assert.throws(
    () => balancedApp(2, { upstreamBalance: "random" as never }),
    /upstreamBalance must be "primary-first" or "round-robin"/,
  );
});
