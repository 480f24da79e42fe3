// Token quotas from the environment (AOAI_EDGE_TOKEN_QUOTA, AOAI_EDGE_KEY_TOKEN_QUOTA): Deno counts
// them in its Deno KV, Workers per isolate.
import assert from "node:assert/strict";
import { keyTokenQuotasFromEnv, tokenQuotaFromEnv } from "../../edge/_env.ts";
import { edgeConfigFromEnv, serveEdge } from "../../edge/deno.ts";
import { clientIdOf } from "../../edge/mod.ts";
import worker, { createWorkerApp, type WorkerEnv } from "../../edge/worker.ts";
import { errorOf } from "./_helpers.ts";
import { embed, env, statuses, upstreamServer } from "./_env_limits.ts";

const KEYS = ["env-quota-key-one-1", "env-quota-key-two-2", "env-quota-key-three-3"];

Deno.test("tokenQuotaFromEnv() and keyTokenQuotasFromEnv() read tokens/period, - and off", () => {
  assert.equal(tokenQuotaFromEnv(undefined), undefined);
  assert.equal(tokenQuotaFromEnv("  "), undefined);
  assert.deepEqual(tokenQuotaFromEnv(" 5000000/month "), { tokens: 5_000_000, period: "month" });
  assert.deepEqual(tokenQuotaFromEnv("200000 / Day"), { tokens: 200_000, period: "day" });
  assert.deepEqual(tokenQuotaFromEnv("1/hour"), { tokens: 1, period: "hour" });
  assert.deepEqual(tokenQuotaFromEnv("7/week"), { tokens: 7, period: "week" });
  assert.equal(keyTokenQuotasFromEnv("", 2), undefined);
  assert.deepEqual(keyTokenQuotasFromEnv("1000000/day, - ,OFF", 3), [
    { tokens: 1_000_000, period: "day" },
    undefined,
    false,
  ]);
});

Deno.test("tokenQuotaFromEnv() and keyTokenQuotasFromEnv() name the variable and the entry, never a value", () => {
  const secret = KEYS[1];
  const bad = [
    "0/day",
    "1.5/day",
    "-5/day",
    "100",
    "100/year",
    "100/daily",
    "/day",
    "1e6/day",
    "99999999999999999999/day",
    `${secret}/day`,
    secret,
  ];
  for (const entry of bad) {
    assert.throws(() => tokenQuotaFromEnv(entry), (err: Error) => {
      assert.match(
        err.message,
        /^AOAI_EDGE_TOKEN_QUOTA must be a whole number of tokens per hour, day, week or month \(e\.g\. 5000000\/month or 200000\/day\) per client key$/,
      );
      assert.ok(!err.message.includes(secret));
      return true;
    }, entry);
    assert.throws(() => keyTokenQuotasFromEnv(`-,${entry}`, 2), (err: Error) => {
      assert.match(
        err.message,
        /^AOAI_EDGE_KEY_TOKEN_QUOTA: entry 2 must be a whole number of tokens per hour, day, week or month .*, - \(the app's quota\) or off/,
      );
      assert.ok(!err.message.includes(secret));
      return true;
    }, entry);
  }
  assert.throws(
    () => keyTokenQuotasFromEnv("1/day", 2),
    /^Error: AOAI_EDGE_KEY_TOKEN_QUOTA lists 1 entry but AOAI_EDGE_KEYS lists 2 key\(s\)/,
  );
  assert.throws(
    () => keyTokenQuotasFromEnv("1/day", 0),
    /^Error: AOAI_EDGE_KEY_TOKEN_QUOTA needs AOAI_EDGE_KEYS/,
  );
});

Deno.test("edgeConfigFromEnv() gives the app AOAI_EDGE_TOKEN_QUOTA and each key its AOAI_EDGE_KEY_TOKEN_QUOTA, and prints them by position", () => {
  const config = edgeConfigFromEnv(env({
    AOAI_EDGE_KEYS: KEYS.join(","),
    AOAI_EDGE_TOKEN_QUOTA: "5000000/month",
    AOAI_EDGE_KEY_TOKEN_QUOTA: "-,1000000/day,off",
  }));
  assert.deepEqual(config.options.tokenQuota, { tokens: 5_000_000, period: "month" });
  assert.deepEqual(config.options.clientKeys, [
    KEYS[0],
    { key: KEYS[1], tokenQuota: { tokens: 1_000_000, period: "day" } },
    { key: KEYS[2], tokenQuota: false },
  ]);
  const banner = config.banner.join("\n");
  assert.ok(
    config.banner.includes(
      "token quota: 5000000 tokens per month (UTC) per client key, counted in Deno KV (one " +
        "quota for every instance)",
    ),
    banner,
  );
  assert.ok(
    config.banner.includes(
      "client keys' own token quotas (AOAI_EDGE_KEY_TOKEN_QUOTA; others: the app's): key 2 " +
        "1000000 tokens per day, key 3 none",
    ),
    banner,
  );
  for (const key of KEYS) assert.ok(!banner.includes(key), "no key printed");
  assert.throws(
    () => edgeConfigFromEnv(env({ AOAI_EDGE_KEY_TOKEN_QUOTA: "1/day" })),
    /^Error: AOAI_EDGE_KEY_TOKEN_QUOTA needs AOAI_EDGE_KEYS/,
  );
  assert.throws(
    () =>
      edgeConfigFromEnv(env({ AOAI_EDGE_KEYS: KEYS.join(","), AOAI_EDGE_TOKEN_QUOTA: "1/year" })),
    /^Error: AOAI_EDGE_TOKEN_QUOTA must be/,
  );
});

Deno.test("serveEdge() counts AOAI_EDGE_TOKEN_QUOTA and AOAI_EDGE_KEY_TOKEN_QUOTA in its Deno KV: - keeps the app's quota, off is never charged, an entry is the key's own", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const config = edgeConfigFromEnv(env({
      PORT: "0",
      AOAI_EDGE_KV_PATH: `${dir}/edge.kv`,
      AOAI_EDGE_KEYS: KEYS.join(","),
      AOAI_EDGE_TOKEN_QUOTA: "5/day",
      AOAI_EDGE_KEY_TOKEN_QUOTA: "-,off,1000/month",
    }));
    await using server = await serveEdge(config);
    const send = (req: Request) =>
      fetch(server.url + new URL(req.url).pathname, {
        method: req.method,
        headers: req.headers,
        body: req.body,
      });
    for (const key of KEYS) assert.deepEqual(await statuses(send, key, 1), [200]);
    // The charges land in Deno KV after the bodies: wait for them (bounded).
    const ids = await Promise.all(KEYS.map((key) => clientIdOf(key)));
    using kv = await Deno.openKv(`${dir}/edge.kv`);
    const charged = async () =>
      (await Array.fromAsync(kv.list<Deno.KvU64>({ prefix: ["aoai-edge-quota"] })))
        .map((e) => [e.key[1], e.value.value]);
    for (let i = 0; i < 200 && (await charged()).length < 2; i++) {
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    assert.deepEqual(
      (await charged()).toSorted(),
      [[ids[0], 8n], [ids[2], 8n]].toSorted(),
      "the app's quota and the key's own are charged; the key with off is not",
    );
    const refused = await send(
      new Request("https://edge.example/v1/embeddings", {
        method: "POST",
        headers: { "api-key": KEYS[0], "content-type": "application/json" },
        body: JSON.stringify(embed()),
      }),
    );
    assert.equal(refused.status, 403, "the app's 5 tokens are spent");
    const { code, message } = await errorOf(refused);
    assert.equal(code, "TokenQuotaExceeded");
    assert.match(
      message,
      /quota of 5 tokens per day on this edge app; it resets at \S+T00:00:00\.000Z\.$/,
    );
    assert.deepEqual(await statuses(send, KEYS[1], 2), [200, 200], "off");
    assert.deepEqual(await statuses(send, KEYS[2], 1), [200], "its own quota is not spent");
    // Its charge lands before the server closes its Deno KV (bounded wait).
    const third = async () => (await charged()).find(([id]) => id === ids[2])?.[1];
    for (let i = 0; i < 200 && (await third()) !== 16n; i++) {
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    assert.equal(await third(), 16n);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("createWorkerApp() reads AOAI_EDGE_TOKEN_QUOTA and AOAI_EDGE_KEY_TOKEN_QUOTA (counted per isolate)", async () => {
  await using up = upstreamServer(KEYS);
  const waits: Promise<unknown>[] = [];
  const ctx = { waitUntil: (p: Promise<unknown>) => void waits.push(p) };
  const app = createWorkerApp({
    ...up.bindings,
    AOAI_EDGE_TOKEN_QUOTA: "10/hour",
    AOAI_EDGE_KEY_TOKEN_QUOTA: "-,off,1/week",
  });
  const send = async (req: Request) => {
    const res = await app.fetch(req, undefined, ctx);
    if (res.status === 403) {
      assert.equal((await errorOf(res.clone())).code, "TokenQuotaExceeded");
    }
    await res.body?.cancel(); // still charged, in ctx.waitUntil
    await Promise.all(waits);
    return res;
  };
  assert.deepEqual(await statuses(send, KEYS[0], 3), [200, 200, 403], "the app's 10 an hour");
  assert.deepEqual(await statuses(send, KEYS[1], 3), [200, 200, 200], "off");
  assert.deepEqual(await statuses(send, KEYS[2], 2), [200, 403], "its own 1 a week");
});

Deno.test("the Worker rebuilds when AOAI_EDGE_TOKEN_QUOTA changes, and answers 500 naming it (and the entry) when wrong, never a value", async () => {
  await using up = upstreamServer(KEYS);
  const bindings: WorkerEnv = { ...up.bindings, AOAI_EDGE_TOKEN_QUOTA: "1/day" };
  const ctx = { waitUntil: () => {} };
  const send = (req: Request) => worker.fetch(req, bindings, ctx);
  bindings.AOAI_EDGE_TOKEN_QUOTA = `${KEYS[0]}/day`;
  const res = await send(new Request("https://edge.example/health"));
  assert.equal(res.status, 500);
  const { message } = await errorOf(res);
  assert.match(message, /AOAI_EDGE_TOKEN_QUOTA must be a whole number of tokens per hour/);
  assert.ok(!message.includes(KEYS[0]), "no key in the answer");
  bindings.AOAI_EDGE_TOKEN_QUOTA = "1/day";
  bindings.AOAI_EDGE_KEY_TOKEN_QUOTA = `-,${KEYS[1]},-`;
  const entry = await errorOf(await send(new Request("https://edge.example/health")));
  assert.match(entry.message, /AOAI_EDGE_KEY_TOKEN_QUOTA: entry 2 must be/);
  assert.ok(!entry.message.includes(KEYS[1]), "no key in the answer");
  bindings.AOAI_EDGE_KEY_TOKEN_QUOTA = "-,-,-";
  const health = await send(new Request("https://edge.example/health"));
  assert.equal(health.status, 200);
  await health.body?.cancel();
});
