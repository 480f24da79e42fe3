// Weighted round-robin: an upstream's `weight` is its share of the turns, spread out (a smooth
// weighted round-robin), from the options and from AOAI_EDGE_UPSTREAM_WEIGHTS.
import assert from "node:assert/strict";
import { AzureOpenAI } from "../../src/client.ts";
import { createEmulator } from "../../src/emulator/mod.ts";
import { edgeConfigFromEnv } from "../../edge/deno.ts";
import { weightsFromEnv } from "../../edge/_env.ts";
import { createEdgeApp, MemoryCache } from "../../edge/mod.ts";
import worker, { createWorkerApp, type WorkerEnv } from "../../edge/worker.ts";
import type { EdgeExecutionContext } from "../../edge/options.ts";
import { azurePath, errorOf, KEY } from "./_helpers.ts";
import { balancedApp } from "./_balance.ts";

const CHAT = azurePath("gpt-4o", "chat/completions");
const EMBEDDINGS = azurePath("text-embedding-3-small", "embeddings");
const hi = { messages: [{ role: "user", content: "hi" }] };
const ctx: EdgeExecutionContext = { waitUntil: () => {} };

/** A round-robin app over emulators of `weights`; `next(n)` sends `n` chats, gives who answered. */
function weighted(weights: readonly number[], options = {}) {
  const b = balancedApp(weights.length, { upstreamBalance: "round-robin", ...options }, weights);
  const next = async (n: number, path = CHAT, json: unknown = hi) => {
    const answered: (string | null)[] = [];
    for (let i = 0; i < n; i++) {
      const { res, upstream } = await b.call(path, json);
      assert.equal(res.status, 200);
      answered.push(upstream);
    }
    return answered;
  };
  return { ...b, next };
}

/** The longest run of one value in `list`, read as a cycle. */
function longestRun(list: readonly unknown[]): number {
  let best = 0;
  for (let start = 0; start < list.length; start++) {
    let run = 0;
    while (run < list.length && list[(start + run) % list.length] === list[start]) run++;
    best = Math.max(best, run);
  }
  return best;
}

Deno.test("round-robin with weights 3 and 1 gives the cycle 0, 0, 1, 0: three turns in four, never more than 3 in a row", async () => {
  const b = weighted([3, 1]);
  const answered = await b.next(8);
  assert.deepEqual(answered, ["0", "0", "1", "0", "0", "0", "1", "0"]);
  assert.deepEqual(b.ups.map((u) => u.seen), [6, 2]);
  assert.equal(longestRun(answered), 3, "no more turns in a row than the weight");
});

Deno.test("round-robin with weights 1, 2 and 1 gives the cycle 1, 0, 2, 1", async () => {
  const b = weighted([1, 2, 1]);
  assert.deepEqual(await b.next(8), ["1", "0", "2", "1", "1", "0", "2", "1"]);
  assert.deepEqual(b.ups.map((u) => u.seen), [2, 4, 2]);
  // Weights with a common divisor make the same cycle.
  const scaled = weighted([100, 200, 100]);
  assert.deepEqual(await scaled.next(4), ["1", "0", "2", "1"]);
});

Deno.test("round-robin weights of 1 take turns as without weights", async () => {
  const b = weighted([1, 1, 1]);
  assert.deepEqual(await b.next(6), ["0", "1", "2", "0", "1", "2"]);
});

Deno.test("weighted round-robin keeps the turns of each deployment apart", async () => {
  const b = weighted([3, 1]);
  const chat: (string | null)[] = [];
  const embeddings: (string | null)[] = [];
  for (let i = 0; i < 8; i++) {
    chat.push(...await b.next(1));
    embeddings.push(...await b.next(1, EMBEDDINGS, { input: `q${i}` }));
  }
  assert.deepEqual(chat, ["0", "0", "1", "0", "0", "0", "1", "0"]);
  assert.deepEqual(embeddings, ["0", "0", "1", "0", "0", "0", "1", "0"]);
});

Deno.test("weighted round-robin skips the turns of an upstream cooling down, the others keeping their proportion, and its turns resume after the cooldown", async () => {
  // Weights 2, 1, 1: the cycle is 0, 1, 2, 0.
  const b = weighted([2, 1, 1]);
  assert.deepEqual(await b.next(2), ["0", "1"]);
  // Upstream 2's turn: it answers 429 and cools down; the request fails over to upstream 0 (the
  // upstreams after it, in list order).
  b.ups[2].emulator.failNext(1, 429);
  assert.deepEqual(await b.next(1), ["0"]);
  // While it cools down, its turns go to the next turn's upstream: 0 and 1 share 2 to 1.
  assert.deepEqual(await b.next(6), ["0", "0", "1", "0", "0", "1"]);
  assert.equal(b.ups[2].seen, 1, "the cooling upstream got nothing but the 429");
  // Cooldown over: the cycle goes on where it was, upstream 2 in it again.
  b.clock.now += 61_000;
  assert.deepEqual(await b.next(5), ["2", "0", "0", "1", "2"]);
  assert.equal(b.ups[2].seen, 3);
});

Deno.test("weighted round-robin: a request the cache answered gives its turn back", async () => {
  const b = weighted([3, 1], { cache: new MemoryCache() });
  const answered: (string | null)[] = [];
  for (const input of ["a", "a", "b", "c", "a", "d", "e"]) {
    const { res, upstream } = await b.call(EMBEDDINGS, { input });
    assert.equal(res.status, 200);
    answered.push(upstream);
  }
  // The hits ("a" again) have no upstream and take no turn: the misses go 0, 0, 1, 0, 0.
  assert.deepEqual(answered, ["0", null, "0", "1", null, "0", "0"]);
});

Deno.test("createEdgeApp() takes a weight on upstream options and on { client, weight }", async () => {
  const emulators = [createEmulator(), createEmulator()];
  const app = createEdgeApp({
    upstream: [
      {
        endpoint: "http://a.local",
        apiKey: emulators[0].apiKey,
        fetch: emulators[0].fetch,
        weight: 1,
      },
      {
        client: new AzureOpenAI({
          endpoint: "http://b.local",
          apiKey: emulators[1].apiKey,
          fetch: emulators[1].fetch,
        }),
        weight: 2,
      },
    ],
    upstreamBalance: "round-robin",
    clientKeys: [KEY],
  });
  const answered = [];
  for (let i = 0; i < 6; i++) {
    const res = await app.fetch(
      new Request(`http://edge.test${CHAT}`, {
        method: "POST",
        headers: { "api-key": KEY, "content-type": "application/json" },
        body: JSON.stringify(hi),
      }),
    );
    assert.equal(res.status, 200);
    answered.push(res.headers.get("x-aoai-upstream"));
    await res.body?.cancel();
  }
  assert.deepEqual(answered, ["1", "0", "1", "1", "0", "1"]);
  assert.deepEqual(emulators.map((e) => e.stats.requests), [2, 4]);
});

Deno.test("createEdgeApp() refuses a weight that is not a positive whole number, naming the upstream", () => {
  for (const weight of [0, -1, 1.5, NaN, Infinity, 2 ** 53, "2", null]) {
    assert.throws(
      () => balancedApp(2, { upstreamBalance: "round-robin" }, [1, weight as number]),
      (err: Error) => {
        assert.ok(err instanceof TypeError);
        assert.match(
          err.message,
          /^createEdgeApp: upstream\[1\]\.weight must be a positive whole number/,
        );
        return true;
      },
      String(weight),
    );
  }
  assert.throws(
    () =>
      createEdgeApp({
        upstream: { endpoint: "https://my-res.openai.azure.com", apiKey: "azure-key", weight: 0 },
        upstreamBalance: "round-robin",
        clientKeys: [KEY],
      }),
    /^TypeError: createEdgeApp: upstream\.weight must be a positive whole number/,
  );
});

Deno.test("createEdgeApp() refuses weights with primary-first, where they would do nothing", () => {
  for (const upstreamBalance of [undefined, "primary-first"] as const) {
    assert.throws(
      () => balancedApp(3, { upstreamBalance }, [1, 1, 1]),
      (err: Error) => {
        assert.ok(err instanceof TypeError);
        assert.match(
          err.message,
          /^createEdgeApp: upstream\[0\]\.weight is a share of the round-robin turns, but upstreamBalance is "primary-first"/,
        );
        return true;
      },
    );
  }
});

Deno.test("createEdgeApp() refuses weights whose cycle would be longer than 10 000 turns", () => {
  assert.throws(
    () => balancedApp(2, { upstreamBalance: "round-robin" }, [300_001, 100_000]),
    /the upstream weights make a round-robin cycle of 400001 turns .*; keep it at most 10000/,
  );
  // The same proportion with a common divisor is a short cycle.
  balancedApp(2, { upstreamBalance: "round-robin" }, [300_000, 100_000]);
});

Deno.test("weightsFromEnv() reads AOAI_EDGE_UPSTREAM_WEIGHTS, naming the variable and the entry, never a value", () => {
  assert.equal(weightsFromEnv(undefined, 2, "round-robin"), undefined);
  assert.equal(weightsFromEnv("  ", 2, undefined), undefined);
  assert.deepEqual(weightsFromEnv(" 3 , 1 ", 2, "round-robin"), [3, 1]);
  for (const balance of [undefined, "primary-first"] as const) {
    assert.throws(
      () => weightsFromEnv("3,1", 2, balance),
      /^Error: AOAI_EDGE_UPSTREAM_WEIGHTS shares the turns of round-robin; set AOAI_EDGE_UPSTREAM_BALANCE=round-robin/,
    );
  }
  assert.throws(
    () => weightsFromEnv("3,1", 3, "round-robin"),
    /AOAI_EDGE_UPSTREAM_WEIGHTS lists 2 weight\(s\) but there are 3 upstreams \(the primary, AZURE_OPENAI_ENDPOINT, and 2 from AZURE_OPENAI_FALLBACK_ENDPOINTS\)/,
  );
  assert.throws(
    () => weightsFromEnv("3,", 2, "round-robin"),
    /entry 2 \(fallback endpoint 1\) must be/,
  );
  const secret = "sk-pasted-here-by-mistake";
  for (
    const [value, entry] of [["0,1", 1], ["1.5,1", 1], ["1,-2", 2], [`1,${secret}`, 2], [
      "1,1e3",
      2,
    ]] as const
  ) {
    assert.throws(() => weightsFromEnv(value, 2, "round-robin"), (err: Error) => {
      assert.match(
        err.message,
        new RegExp(`^AOAI_EDGE_UPSTREAM_WEIGHTS: entry ${entry} .*must be a positive whole number`),
      );
      assert.ok(!err.message.includes(secret), "no value in the message");
      return true;
    });
  }
});

const UPSTREAM_KEYS = ["weights-upstream-key-zero", "weights-upstream-key-one"];

/** Two emulators served on 127.0.0.1 as a primary and a fallback, stopped on dispose. */
function twoServers() {
  const emulators = UPSTREAM_KEYS.map((key) => createEmulator({ apiKeys: [key] }));
  const servers = emulators.map((emulator) =>
    Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, (req) => emulator.fetch(req))
  );
  return {
    emulators,
    env: {
      AZURE_OPENAI_ENDPOINT: `http://127.0.0.1:${servers[0].addr.port}`,
      AZURE_OPENAI_API_KEY: UPSTREAM_KEYS[0],
      AZURE_OPENAI_FALLBACK_ENDPOINTS: `http://127.0.0.1:${servers[1].addr.port}`,
      AZURE_OPENAI_FALLBACK_API_KEYS: UPSTREAM_KEYS[1],
      AOAI_EDGE_KEYS: KEY,
      AOAI_EDGE_UPSTREAM_BALANCE: "round-robin",
    } as Record<string, string>,
    [Symbol.asyncDispose]: async () => {
      await Promise.all(servers.map((s) => s.shutdown()));
    },
  };
}

/** Which upstream answered each of `n` chats sent through `send`. */
async function answeredBy(n: number, send: (req: Request) => Promise<Response>) {
  const seen = [];
  for (let i = 0; i < n; i++) {
    const res = await send(
      new Request(`https://edge.example${CHAT}`, {
        method: "POST",
        headers: { "api-key": KEY, "content-type": "application/json" },
        body: JSON.stringify(hi),
      }),
    );
    assert.equal(res.status, 200);
    seen.push(res.headers.get("x-aoai-upstream"));
    await res.body?.cancel();
  }
  return seen;
}

Deno.test("the Deno entry gives the upstreams the weights of AOAI_EDGE_UPSTREAM_WEIGHTS and prints them", async () => {
  await using up = twoServers();
  const config = edgeConfigFromEnv((name) =>
    ({ ...up.env, AOAI_EDGE_UPSTREAM_WEIGHTS: "3,1" })[name]
  );
  const upstream = config.options.upstream as { weight?: number }[];
  assert.deepEqual(upstream.map((u) => u.weight), [3, 1]);
  assert.ok(
    config.banner.includes(
      "upstream balance: round-robin, weights 3, 1 (the primary's first; requests take turns " +
        "over the upstreams in proportion)",
    ),
    config.banner.join("\n"),
  );
  const app = createEdgeApp(config.options);
  assert.deepEqual(await answeredBy(8, (req) => app.fetch(req)), [
    "0",
    "0",
    "1",
    "0",
    "0",
    "0",
    "1",
    "0",
  ]);
  assert.deepEqual(up.emulators.map((e) => e.stats.requests), [6, 2]);
  assert.throws(
    () => edgeConfigFromEnv((name) => ({ ...up.env, AOAI_EDGE_UPSTREAM_WEIGHTS: "3,1,1" })[name]),
    /AOAI_EDGE_UPSTREAM_WEIGHTS lists 3 weight\(s\) but there are 2 upstreams/,
  );
  assert.throws(
    () =>
      edgeConfigFromEnv((name) =>
        ({ ...up.env, AOAI_EDGE_UPSTREAM_BALANCE: "", AOAI_EDGE_UPSTREAM_WEIGHTS: "3,1" })[name]
      ),
    /AOAI_EDGE_UPSTREAM_WEIGHTS shares the turns of round-robin/,
  );
});

Deno.test("the Worker gives the upstreams the weights of AOAI_EDGE_UPSTREAM_WEIGHTS, and rebuilds when they change", async () => {
  await using up = twoServers();
  const bindings: WorkerEnv = { ...up.env, AOAI_EDGE_UPSTREAM_WEIGHTS: "3,1" };
  const app = createWorkerApp(bindings);
  const viaApp = (req: Request) => app.fetch(req, undefined, ctx);
  assert.deepEqual(await answeredBy(4, viaApp), ["0", "0", "1", "0"]);
  const viaWorker = (req: Request) => worker.fetch(req, bindings, ctx);
  assert.deepEqual(await answeredBy(4, viaWorker), ["0", "0", "1", "0"]);
  bindings.AOAI_EDGE_UPSTREAM_WEIGHTS = "1,3";
  assert.deepEqual(await answeredBy(4, viaWorker), ["1", "0", "1", "1"]);
  bindings.AOAI_EDGE_UPSTREAM_WEIGHTS = "1";
  const res = await viaWorker(new Request("https://edge.example/openai/v1/models"));
  assert.equal(res.status, 500);
  assert.match(
    (await errorOf(res)).message,
    /AOAI_EDGE_UPSTREAM_WEIGHTS lists 1 weight\(s\) but there are 2 upstreams/,
  );
});
