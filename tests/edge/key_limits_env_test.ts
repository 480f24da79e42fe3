// Per-key limits from the environment (AOAI_EDGE_KEY_RPM, AOAI_EDGE_KEY_TPM): Deno counts them in
// its Deno KV like the app's, Workers per isolate.
import assert from "node:assert/strict";
import { keyLimitsFromEnv } from "../../edge/_env.ts";
import { edgeConfigFromEnv, serveEdge } from "../../edge/deno.ts";
import { clientIdOf } from "../../edge/mod.ts";
import worker, { createWorkerApp, type WorkerEnv } from "../../edge/worker.ts";
import { errorOf } from "./_helpers.ts";
import { env, statuses, upstreamServer } from "./_env_limits.ts";

const KEYS = ["env-limits-key-one", "env-limits-key-two", "env-limits-key-three"];

/** `fetch` to a server at `base` with the path of `req`. */
const to = (base: string) => (req: Request) =>
  fetch(base + new URL(req.url).pathname, {
    method: req.method,
    headers: req.headers,
    body: req.body,
  });

Deno.test("keyLimitsFromEnv() reads a number, - (the app's) or off per key", () => {
  assert.equal(keyLimitsFromEnv(undefined, 2, "rpm"), undefined);
  assert.equal(keyLimitsFromEnv("  ", 2, "tpm"), undefined);
  assert.deepEqual(keyLimitsFromEnv(" 120 , - ,OFF, 0.5 ", 4, "rpm"), [120, undefined, false, 0.5]);
  assert.deepEqual(keyLimitsFromEnv("60000,-,off", 3, "tpm"), [60_000, undefined, false]);
});

Deno.test("keyLimitsFromEnv() names the variable and the entry when one is wrong, never a value", () => {
  assert.throws(
    () => keyLimitsFromEnv("60,60", 3, "rpm"),
    /^Error: AOAI_EDGE_KEY_RPM lists 2 entries but AOAI_EDGE_KEYS lists 3 key\(s\); give one entry per key, in the same order: a positive number of requests per minute/,
  );
  assert.throws(
    () => keyLimitsFromEnv("60", 2, "tpm"),
    /^Error: AOAI_EDGE_KEY_TPM lists 1 entry but AOAI_EDGE_KEYS lists 2 key\(s\)/,
  );
  assert.throws(() => keyLimitsFromEnv("60", 0, "rpm"), /AOAI_EDGE_KEY_RPM needs AOAI_EDGE_KEYS/);
  const secret = KEYS[1];
  const bad = ["", "0", "-5", "none", "Infinity", "0x10", "1e400", secret];
  for (const entry of bad) {
    for (const kind of ["rpm", "tpm"] as const) {
      const name = kind === "rpm" ? "AOAI_EDGE_KEY_RPM" : "AOAI_EDGE_KEY_TPM";
      assert.throws(() => keyLimitsFromEnv(`-,${entry}`, 2, kind), (err: Error) => {
        assert.match(
          err.message,
          new RegExp(`^${name}: entry 2 must be a positive .*, - \\(the app's limit\\) or off`),
        );
        assert.ok(!err.message.includes(secret), "no key in the message");
        return true;
      }, `${kind} ${JSON.stringify(entry)}`);
    }
  }
  // Tokens are whole.
  assert.throws(
    () => keyLimitsFromEnv("1.5", 1, "tpm"),
    /^Error: AOAI_EDGE_KEY_TPM: entry 1 must be a positive whole number of tokens per minute/,
  );
});

Deno.test("edgeConfigFromEnv() gives each key of AOAI_EDGE_KEYS its AOAI_EDGE_KEY_RPM and AOAI_EDGE_KEY_TPM, and prints them by position", () => {
  const config = edgeConfigFromEnv(env({
    AOAI_EDGE_KEYS: KEYS.join(","),
    AOAI_EDGE_KEY_DEPLOYMENTS: "*,text-embedding-3-small,*",
    AOAI_EDGE_KEY_RPM: "-,600,off",
    AOAI_EDGE_KEY_TPM: "-,200000,-",
  }));
  assert.deepEqual(config.options.clientKeys, [
    KEYS[0],
    {
      key: KEYS[1],
      deployments: ["text-embedding-3-small"],
      rateLimit: { requestsPerMinute: 600 },
      tokenLimit: { tokensPerMinute: 200_000 },
    },
    { key: KEYS[2], rateLimit: false },
  ]);
  assert.ok(
    config.banner.includes(
      "client keys' own rate limits (AOAI_EDGE_KEY_RPM; others: the app's): key 2 600 requests " +
        "per minute, key 3 none",
    ),
    config.banner.join("\n"),
  );
  assert.ok(
    config.banner.includes(
      "client keys' own token limits (AOAI_EDGE_KEY_TPM; others: the app's): key 2 200000 " +
        "tokens per minute",
    ),
    config.banner.join("\n"),
  );
  for (const key of KEYS) assert.ok(!config.banner.join("\n").includes(key), "no key printed");
  // Only "-": nothing of their own, nothing printed.
  const plain = edgeConfigFromEnv(
    env({ AOAI_EDGE_KEYS: KEYS.join(","), AOAI_EDGE_KEY_RPM: "-,-,-" }),
  );
  assert.deepEqual(plain.options.clientKeys, KEYS);
  assert.ok(!plain.banner.some((line) => line.includes("AOAI_EDGE_KEY_RPM")));
});

Deno.test("edgeConfigFromEnv() refuses AOAI_EDGE_KEY_RPM / _TPM without AOAI_EDGE_KEYS, and a rate under what Deno KV counts", () => {
  for (const name of ["AOAI_EDGE_KEY_RPM", "AOAI_EDGE_KEY_TPM"]) {
    assert.throws(
      () => edgeConfigFromEnv(env({ [name]: "60" })),
      new RegExp(`^Error: ${name} needs AOAI_EDGE_KEYS`),
    );
  }
  assert.throws(
    () => edgeConfigFromEnv(env({ AOAI_EDGE_KEYS: KEYS.join(","), AOAI_EDGE_KEY_RPM: "-,1e-9,-" })),
    /^Error: AOAI_EDGE_KEY_RPM: entry 2 must be at least one request a day \(1\/1440 per minute\)/,
  );
  assert.throws(
    () => edgeConfigFromEnv(env({ AOAI_EDGE_KEYS: KEYS.join(","), AOAI_EDGE_KEY_TPM: "1,2" })),
    /^Error: AOAI_EDGE_KEY_TPM lists 2 entries but AOAI_EDGE_KEYS lists 3 key\(s\)/,
  );
});

Deno.test("serveEdge() counts AOAI_EDGE_KEY_RPM in its Deno KV: - keeps the app's limit, off none, a number the key's own, shared by two servers on one file", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const config = edgeConfigFromEnv(env({
      PORT: "0",
      AOAI_EDGE_KV_PATH: `${dir}/edge.kv`,
      AOAI_EDGE_KEYS: KEYS.join(","),
      AOAI_EDGE_RATE_LIMIT_RPM: "1",
      AOAI_EDGE_KEY_RPM: "-,2,off",
    }));
    {
      await using server = await serveEdge(config);
      const send = to(server.url);
      assert.deepEqual(await statuses(send, KEYS[0], 2), [200, 429], "the app's 1 a minute");
      assert.deepEqual(await statuses(send, KEYS[1], 1), [200]);
      assert.deepEqual(await statuses(send, KEYS[2], 4), [200, 200, 200, 200], "off");
    }
    await using other = await serveEdge(config);
    const send = to(other.url);
    // Its own 2 a minute: one left, which the first server's request did not use.
    assert.deepEqual(await statuses(send, KEYS[1], 2), [200, 429]);
    assert.deepEqual(await statuses(send, KEYS[0], 1), [429]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("serveEdge() counts AOAI_EDGE_KEY_TPM in its Deno KV: - keeps the app's budget, off is never charged, a number is the key's own budget", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const config = edgeConfigFromEnv(env({
      PORT: "0",
      AOAI_EDGE_KV_PATH: `${dir}/edge.kv`,
      AOAI_EDGE_KEYS: KEYS.join(","),
      AOAI_EDGE_TOKEN_LIMIT_TPM: "1",
      AOAI_EDGE_KEY_TPM: "-,off,10",
    }));
    await using server = await serveEdge(config);
    const send = to(server.url);
    for (const key of KEYS) assert.deepEqual(await statuses(send, key, 1), [200]);
    // The charges land in Deno KV after the bodies: wait for them (bounded).
    const ids = await Promise.all(KEYS.map((key) => clientIdOf(key)));
    using kv = await Deno.openKv(`${dir}/edge.kv`);
    const charged = async () =>
      (await Array.fromAsync(kv.list({ prefix: ["aoai-edge-tokens"] }))).map((e) => e.key[1]);
    for (let i = 0; i < 200 && (await charged()).length < 2; i++) {
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    assert.deepEqual(
      (await charged()).toSorted(),
      [ids[0], ids[2]].toSorted(),
      "the app's budget and the key's own are charged; the key with off is not",
    );
    assert.deepEqual(await statuses(send, KEYS[0], 1), [429], "the app's 1 token is spent");
    assert.deepEqual(await statuses(send, KEYS[1], 3), [200, 200, 200], "off");
    // Its own 10 a minute: the 8 tokens charged owe 48 s of it, under a minute's worth.
    assert.deepEqual(await statuses(send, KEYS[2], 1), [200], "its own budget is not spent");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("createWorkerApp() reads AOAI_EDGE_KEY_RPM and AOAI_EDGE_KEY_TPM (counted per isolate)", async () => {
  await using up = upstreamServer(KEYS);
  const waits: Promise<unknown>[] = [];
  const ctx = { waitUntil: (p: Promise<unknown>) => void waits.push(p) };
  const rpm = createWorkerApp({
    ...up.bindings,
    AOAI_EDGE_RATE_LIMIT_RPM: "1",
    AOAI_EDGE_KEY_RPM: "-,2,off",
  });
  const viaRpm = (req: Request) => rpm.fetch(req, undefined, ctx);
  assert.deepEqual(await statuses(viaRpm, KEYS[0], 2), [200, 429]);
  assert.deepEqual(await statuses(viaRpm, KEYS[1], 3), [200, 200, 429]);
  assert.deepEqual(await statuses(viaRpm, KEYS[2], 4), [200, 200, 200, 200]);
  const tpm = createWorkerApp({ ...up.bindings, AOAI_EDGE_KEY_TPM: "1,-,off" });
  const viaTpm = async (req: Request) => {
    const res = await tpm.fetch(req, undefined, ctx);
    await res.body?.cancel(); // still charged, in ctx.waitUntil
    await Promise.all(waits);
    return res;
  };
  assert.deepEqual(await statuses(viaTpm, KEYS[0], 2), [200, 429], "its own 1 token");
  assert.deepEqual(await statuses(viaTpm, KEYS[1], 2), [200, 200], "the app has no budget");
});

Deno.test("createWorkerApp(): beside AOAI_EDGE_RATE_LIMITER, a number in AOAI_EDGE_KEY_RPM is counted per isolate and - keeps the binding", async () => {
  await using up = upstreamServer(KEYS);
  const asked: string[] = [];
  const app = createWorkerApp({
    ...up.bindings,
    AOAI_EDGE_RATE_LIMITER: "LIMIT",
    LIMIT: {
      limit: ({ key }: { key: string }) => {
        asked.push(key);
        return Promise.resolve({ success: false });
      },
    },
    AOAI_EDGE_KEY_RPM: "-,2,off",
  });
  const send = (req: Request) => app.fetch(req, undefined, { waitUntil: () => {} });
  assert.deepEqual(await statuses(send, KEYS[0], 1), [429], "the binding refuses");
  assert.deepEqual(await statuses(send, KEYS[1], 3), [200, 200, 429]);
  assert.deepEqual(await statuses(send, KEYS[2], 2), [200, 200]);
  const id = await clientIdOf(KEYS[0]);
  assert.equal(asked.length, 1, "only the key with - asks the binding");
  assert.ok(asked[0].endsWith(id), asked[0]);
});

Deno.test("the Worker rebuilds when AOAI_EDGE_KEY_RPM changes, and answers 500 naming it and the entry when it is wrong", async () => {
  await using up = upstreamServer(KEYS);
  const bindings: WorkerEnv = { ...up.bindings, AOAI_EDGE_KEY_RPM: "1,-,-" };
  const ctx = { waitUntil: () => {} };
  const send = (req: Request) => worker.fetch(req, bindings, ctx);
  assert.deepEqual(await statuses(send, KEYS[0], 2), [200, 429]);
  bindings.AOAI_EDGE_KEY_RPM = "off,-,-";
  assert.deepEqual(await statuses(send, KEYS[0], 2), [200, 200]);
  bindings.AOAI_EDGE_KEY_RPM = `off,-,${KEYS[2]}`;
  const res = await send(new Request("https://edge.example/health"));
  assert.equal(res.status, 500);
  const { message } = await errorOf(res);
  assert.match(message, /AOAI_EDGE_KEY_RPM: entry 3 must be a positive number of requests/);
  assert.ok(!message.includes(KEYS[2]), "no key in the answer");
  bindings.AOAI_EDGE_KEY_TPM = "1,1";
  bindings.AOAI_EDGE_KEY_RPM = "-,-,-";
  assert.match(
    (await errorOf(await send(new Request("https://edge.example/health")))).message,
    /AOAI_EDGE_KEY_TPM lists 2 entries but AOAI_EDGE_KEYS lists 3/,
  );
});
