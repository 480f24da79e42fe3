/**
 * Fallback upstreams whose resources name a deployment differently (`deploymentNames`, env
 * `AZURE_OPENAI_FALLBACK_DEPLOYMENTS`), against emulators configured with those names.
 */
import assert from "node:assert/strict";
import { AzureOpenAI } from "../../src/client.ts";
import {
  createEmulator,
  DEFAULT_DEPLOYMENTS,
  type Emulator,
  type EmulatorDeployment,
  type EmulatorOptions,
} from "../../src/emulator/mod.ts";
import {
  createEdgeApp,
  type EdgeApp,
  type EdgeAppOptions,
  type EdgeRequestEvent,
  MemoryCache,
} from "../../edge/mod.ts";
import { edgeConfigFromEnv } from "../../edge/deno.ts";
import worker, { createWorkerApp, type WorkerEnv } from "../../edge/worker.ts";
import type { EdgeExecutionContext } from "../../edge/options.ts";
import { azurePath, errorOf, KEY } from "./_helpers.ts";

/** An emulator upstream, its key, and what it was sent. */
interface Up {
  emulator: Emulator;
  key: string;
  /** Method, path and query of each request. */
  seen: string[];
  /** Bodies of the requests, as text. */
  bodies: Promise<string>[];
}

/** One upstream of {@link renamedApp}. */
interface UpSpec {
  emulator?: EmulatorOptions;
  /** The upstream's `deploymentNames`. */
  names?: Record<string, string>;
  /** Give it as `{ client, deploymentNames }` rather than as options. */
  asClient?: boolean;
  apiVersion?: string;
}

interface Renamed {
  app: EdgeApp;
  ups: Up[];
  errors: string[];
  events: EdgeRequestEvent[];
  clock: { now: number };
  call(path: string, init?: RequestInit & { json?: unknown }): Promise<Response>;
}

/** An app over emulators `up0.local`, `up1.local`, ... (primary first). */
function renamedApp(
  specs: UpSpec[],
  options: Partial<Omit<EdgeAppOptions, "upstream">> = {},
): Renamed {
  const clock = { now: 2_000_000 };
  const now = () => clock.now;
  const ups: Up[] = [];
  const upstream = specs.map((spec, i) => {
    const key = `renamed-upstream-${i}-secret-${crypto.randomUUID()}`;
    const emulator = createEmulator({ apiKeys: [key], now, ...spec.emulator });
    const up: Up = { emulator, key, seen: [], bodies: [] };
    ups.push(up);
    const clientOptions = {
      endpoint: `http://up${i}.local`,
      apiKey: key,
      apiVersion: spec.apiVersion,
      fetch: (req: Request, init?: RequestInit) => {
        const url = new URL(req.url);
        up.seen.push(`${req.method} ${url.pathname}${url.search}`);
        up.bodies.push(req.clone().text());
        return emulator.fetch(req, init);
      },
    };
    if (spec.asClient) {
      return { client: new AzureOpenAI(clientOptions), deploymentNames: spec.names };
    }
    return spec.names ? { ...clientOptions, deploymentNames: spec.names } : clientOptions;
  });
  const errors: string[] = [];
  const events: EdgeRequestEvent[] = [];
  const app = createEdgeApp({
    clientKeys: [KEY],
    onError: (line) => errors.push(line),
    onRequest: (event) => void events.push(event),
    now,
    ...options,
    upstream,
  });
  return {
    app,
    ups,
    errors,
    events,
    clock,
    async call(path, init = {}) {
      const { json, ...requestInit } = init;
      const headers = new Headers(requestInit.headers);
      headers.set("api-key", KEY);
      if (json !== undefined) {
        headers.set("content-type", "application/json");
        requestInit.body = JSON.stringify(json);
        requestInit.method ??= "POST";
      }
      const pending: Promise<unknown>[] = [];
      const res = await app.fetch(
        new Request(`http://edge.test${path}`, { ...requestInit, headers }),
        undefined,
        { waitUntil: (p) => void pending.push(p) },
      );
      // The body is read here, so the onRequest event is out once the call returns.
      const body = await res.arrayBuffer();
      await Promise.all(pending);
      return new Response(body, { status: res.status, headers: res.headers });
    },
  };
}

/** The default deployments with some renamed, as a resource in another region has them. */
function renamedDeployments(renames: Record<string, string>): EmulatorDeployment[] {
  return DEFAULT_DEPLOYMENTS.map((d) => ({ ...d, name: renames[d.name] ?? d.name }));
}

const SWC = { "gpt-4o": "gpt-4o-swc", "whisper": "whisper-swc" };
const hi = { messages: [{ role: "user", content: "hi" }] };

for (const status of [429, 503]) {
  for (const asClient of [false, true]) {
    Deno.test(
      `deploymentNames: a fallback ${
        asClient ? "given as { client, deploymentNames }" : "given as options"
      } whose resource calls gpt-4o gpt-4o-swc answers after the primary's ${status}`,
      async () => {
        const f = renamedApp([{}, {
          emulator: { deployments: renamedDeployments(SWC) },
          names: SWC,
          asClient,
        }]);
        f.ups[0].emulator.failNext(1, status);
        const res = await f.call(azurePath("gpt-4o", "chat/completions"), { json: hi });
        assert.equal(res.status, 200);
        assert.equal(res.headers.get("x-aoai-upstream"), "1");
        assert.equal((await res.json()).choices[0].message.content, "You said: hi");
        assert.deepEqual(f.ups[1].seen, [
          "POST /openai/deployments/gpt-4o-swc/chat/completions?api-version=2024-10-21",
        ]);
        // A name the map does not list goes to the fallback unchanged.
        f.ups[0].emulator.failNext(1, status);
        f.clock.now += 60_000;
        const emb = await f.call(azurePath("text-embedding-3-small", "embeddings"), {
          json: { input: "x" },
        });
        assert.equal(emb.status, 200);
        assert.equal(emb.headers.get("x-aoai-upstream"), "1");
        assert.equal(
          f.ups[1].seen[1],
          "POST /openai/deployments/text-embedding-3-small/embeddings?api-version=2024-10-21",
        );
        // The event names the app's deployment, not the fallback's.
        assert.deepEqual(
          f.events.map((e) => [e.deployment, e.upstream, e.status]),
          [["gpt-4o", 1, 200], ["text-embedding-3-small", 1, 200]],
        );
        // The primary is still sent its own name.
        const again = await f.call(azurePath("gpt-4o", "chat/completions"), { json: hi });
        assert.equal(again.headers.get("x-aoai-upstream"), "0");
        assert.equal(
          f.ups[0].seen.at(-1),
          "POST /openai/deployments/gpt-4o/chat/completions?api-version=2024-10-21",
        );
      },
    );
  }
}

Deno.test("deploymentNames: on v1 upstreams the fallback gets its own name in the JSON model and the form model", async () => {
  const f = renamedApp([{ apiVersion: "v1" }, {
    apiVersion: "v1",
    emulator: { deployments: renamedDeployments(SWC) },
    names: SWC,
  }], { models: { "my-chat": "gpt-4o", "whisper": "whisper" } });
  f.ups[0].emulator.failNext(1, 429);
  const res = await f.call("/v1/chat/completions", { json: { model: "my-chat", ...hi } });
  assert.equal(res.status, 200);
  assert.equal(res.headers.get("x-aoai-upstream"), "1");
  assert.equal(f.ups[1].seen[0], "POST /openai/v1/chat/completions");
  assert.equal(JSON.parse(await f.ups[1].bodies[0]).model, "gpt-4o-swc");
  assert.equal(JSON.parse(await f.ups[0].bodies[0]).model, "gpt-4o");

  f.ups[0].emulator.failNext(1, 503);
  const form = new FormData();
  form.append("file", new File([new Uint8Array(2000)], "speech.wav", { type: "audio/wav" }));
  form.append("model", "whisper");
  const heard = await f.call("/v1/audio/transcriptions", { method: "POST", body: form });
  assert.equal(heard.status, 200);
  assert.equal(heard.headers.get("x-aoai-upstream"), "1");
  const sent = await f.ups[1].bodies[1];
  assert.match(sent, /name="model"\r\n\r\nwhisper-swc\r\n/);
  assert.doesNotMatch(sent, /\r\n\r\nwhisper\r\n/);
  assert.deepEqual(f.events.map((e) => e.deployment), ["gpt-4o", "whisper"]);
});

Deno.test("deploymentNames: a streamed chat fails over to the renamed deployment", async () => {
  const f = renamedApp([{}, { emulator: { deployments: renamedDeployments(SWC) }, names: SWC }]);
  f.ups[0].emulator.failNext(1, 503);
  const res = await f.call(azurePath("gpt-4o", "chat/completions"), {
    json: { ...hi, stream: true },
  });
  assert.equal(res.status, 200);
  assert.equal(res.headers.get("x-aoai-upstream"), "1");
  assert.match(await res.text(), /data: \[DONE\]/);
  assert.match(f.ups[1].seen[0], /^POST \/openai\/deployments\/gpt-4o-swc\/chat\/completions/);
});

Deno.test("deploymentNames: an embeddings reply cached from the renamed fallback is a hit for the primary, and the primary's for the fallback", async () => {
  const renames = { "text-embedding-3-small": "emb-swc" };
  const f = renamedApp([
    { emulator: { faults: { retryAfterMs: 2000 } } },
    { emulator: { deployments: renamedDeployments(renames) }, names: renames },
  ], { cache: new MemoryCache() });
  const path = azurePath("text-embedding-3-small", "embeddings");
  f.ups[0].emulator.failNext(1, 429);
  const miss = await f.call(path, { json: { input: ["a", "b"] } });
  assert.equal(miss.headers.get("x-aoai-cache"), "miss");
  assert.equal(miss.headers.get("x-aoai-upstream"), "1");
  const missed = await miss.json();
  f.clock.now += 2000;
  const count = () => f.ups.map((u) => u.seen.length);
  const before = count();
  const hit = await f.call(path, { json: { input: ["a", "b"] } });
  assert.equal(hit.headers.get("x-aoai-cache"), "hit", "the fallback's entry is the primary's");
  assert.deepEqual((await hit.json()).data, missed.data);
  assert.deepEqual(count(), before);

  // Stored by the primary, found on the fallback's pipeline while the primary cools down; only
  // the missing input goes to the fallback, under its own name.
  const stored = await f.call(path, { json: { input: ["c"] } });
  assert.equal(stored.headers.get("x-aoai-upstream"), "0");
  f.ups[0].emulator.failNext(1, 429);
  const partial = await f.call(path, { json: { input: ["c", "d"] } });
  assert.equal(partial.headers.get("x-aoai-cache"), "partial");
  assert.equal(partial.headers.get("x-aoai-upstream"), "1");
  assert.match(f.ups[1].seen.at(-1)!, /^POST \/openai\/deployments\/emb-swc\/embeddings/);
  assert.deepEqual(JSON.parse(await f.ups[1].bodies.at(-1)!).input, ["d"]);
  const quiet = count();
  const cooling = await f.call(path, { json: { input: ["d", "c", "b"] } });
  assert.equal(cooling.headers.get("x-aoai-cache"), "hit");
  assert.deepEqual(count(), quiet);
});

Deno.test("deploymentNames: a v1 chat completion cached from the renamed fallback is a hit for the primary, and the primary's for the fallback", async () => {
  const f = renamedApp([
    { apiVersion: "v1", emulator: { faults: { retryAfterMs: 1000 } } },
    { apiVersion: "v1", emulator: { deployments: renamedDeployments(SWC) }, names: SWC },
  ], { cache: new MemoryCache(), chatCache: true });
  const ask = (content: string, stream = false) =>
    f.call("/v1/chat/completions", {
      json: { model: "gpt-4o", temperature: 0, stream, messages: [{ role: "user", content }] },
    });
  const count = () => f.ups.map((u) => u.seen.length);
  f.ups[0].emulator.failNext(1, 429);
  const miss = await ask("from the fallback");
  assert.equal(miss.headers.get("x-aoai-upstream"), "1");
  assert.equal(miss.headers.get("x-aoai-cache"), "miss");
  assert.equal(JSON.parse(await f.ups[1].bodies[0]).model, "gpt-4o-swc");
  f.clock.now += 1000;
  let before = count();
  const hit = await ask("from the fallback");
  assert.equal(hit.headers.get("x-aoai-cache"), "hit");
  assert.equal((await hit.json()).choices[0].message.content, "You said: from the fallback");
  const streamed = await ask("from the fallback", true);
  assert.equal(streamed.headers.get("x-aoai-cache"), "hit");
  assert.deepEqual(count(), before);

  const primary = await ask("from the primary");
  assert.equal(primary.headers.get("x-aoai-upstream"), "0");
  f.ups[0].emulator.failNext(1, 429);
  await ask("cool the primary down");
  before = count();
  const crossed = await ask("from the primary");
  assert.equal(crossed.headers.get("x-aoai-cache"), "hit");
  assert.deepEqual(count(), before);
});

Deno.test("deploymentNames: a 429 cools the fallback down under its own name, shared by the app names mapped to it", async () => {
  const primaryDeployments = [...DEFAULT_DEPLOYMENTS, { name: "gpt-4o-b", model: "gpt-4o" }];
  const f = renamedApp([
    { emulator: { deployments: primaryDeployments } },
    {
      emulator: {
        deployments: [{ name: "shared", model: "gpt-4o" }],
        faults: { retryAfterMs: 30_000 },
      },
      names: { "gpt-4o": "shared", "gpt-4o-b": "shared" },
    },
    { emulator: { deployments: primaryDeployments } },
  ]);
  f.ups[0].emulator.failNext(1, 429);
  f.ups[1].emulator.failNext(1, 429);
  const a = await f.call(azurePath("gpt-4o", "chat/completions"), { json: hi });
  assert.equal(a.headers.get("x-aoai-upstream"), "2");
  // gpt-4o-b: upstream 1 cools down for "shared", so after the primary's 503 upstream 2 is next.
  f.ups[0].emulator.failNext(1, 503);
  const b = await f.call(azurePath("gpt-4o-b", "chat/completions"), { json: hi });
  assert.equal(b.status, 200);
  assert.equal(b.headers.get("x-aoai-upstream"), "2");
  assert.equal(f.ups[1].seen.length, 1, "the cooling fallback was not asked for gpt-4o-b");
  assert.deepEqual(f.errors, [
    "chat.completions.create: upstream up0.local answered 429; trying upstream 1",
    "chat.completions.create: upstream up1.local answered 429; trying upstream 2",
    "chat.completions.create: upstream up0.local answered 503; trying upstream 2",
  ]);
});

Deno.test("deploymentNames: a single upstream and the primary may carry a map too", async () => {
  const renames = { "gpt-4o": "prod-4o" };
  const f = renamedApp([{
    emulator: { deployments: renamedDeployments(renames) },
    names: renames,
  }]);
  const res = await f.call(azurePath("gpt-4o", "chat/completions"), { json: hi });
  assert.equal(res.status, 200);
  assert.match(f.ups[0].seen[0], /^POST \/openai\/deployments\/prod-4o\/chat\/completions/);
  const emulator = createEmulator({ deployments: renamedDeployments(renames) });
  const single = createEdgeApp({
    clientKeys: [KEY],
    upstream: {
      endpoint: "http://single.local",
      apiKey: emulator.apiKey,
      fetch: emulator.fetch,
      deploymentNames: renames,
    },
  });
  const answer = await single.fetch(
    new Request(`http://edge.test${azurePath("gpt-4o", "chat/completions")}`, {
      method: "POST",
      headers: { "api-key": KEY, "content-type": "application/json" },
      body: JSON.stringify(hi),
    }),
  );
  assert.equal(answer.status, 200);
  await answer.body?.cancel();
});

Deno.test("deploymentNames: createEdgeApp() refuses a bad map, naming upstream[i] and what to fix, without a key", () => {
  const secret = "upstream-secret-key-for-validation";
  const ok = { endpoint: "https://a.openai.azure.com", apiKey: secret };
  const client = new AzureOpenAI(ok);
  const make = (second: unknown) =>
    createEdgeApp({
      clientKeys: [KEY],
      upstream: [ok, second] as EdgeAppOptions["upstream"],
    });
  const refuses = (second: unknown, pattern: RegExp) =>
    assert.throws(() => make(second), (err: Error) => {
      assert.ok(err instanceof TypeError, String(err));
      assert.match(err.message, pattern);
      assert.ok(!err.message.includes(secret), err.message);
      return true;
    });
  refuses(
    { ...ok, deploymentNames: ["gpt-4o-swc"] },
    /^createEdgeApp: upstream\[1\]\.deploymentNames must map the app's deployment names to this upstream's own/,
  );
  refuses(
    { ...ok, deploymentNames: "gpt-4o=gpt-4o-swc" },
    /^createEdgeApp: upstream\[1\]\.deploymentNames must map/,
  );
  refuses(
    { ...ok, deploymentNames: { "gpt-4o": 4 } },
    /^createEdgeApp: upstream\[1\]\.deploymentNames\["gpt-4o"\] must be this upstream's deployment name \(a non-empty string\); got a number$/,
  );
  refuses(
    { client, deploymentNames: { "gpt-4o": null } },
    /upstream\[1\]\.deploymentNames\["gpt-4o"\] must be .*; got a null$/,
  );
  refuses(
    { ...ok, deploymentNames: { "gpt-4o": "" } },
    /upstream\[1\]\.deploymentNames\["gpt-4o"\] must be .*; got an empty string$/,
  );
  refuses(
    { ...ok, deploymentNames: { "gpt-4o": ".." } },
    /upstream\[1\]\.deploymentNames\["gpt-4o"\] must be .*; got a dot segment$/,
  );
  refuses(
    { ...ok, deploymentNames: { "gpt-4o": " gpt-4o-swc" } },
    /; got a name with spaces around it$/,
  );
  refuses(
    { ...ok, deploymentNames: { "": "gpt-4o-swc" } },
    /^createEdgeApp: upstream\[1\]\.deploymentNames has an empty name as a key/,
  );
  refuses(
    { client: ok, deploymentNames: {} },
    /^createEdgeApp: upstream\[1\]\.client must be an AzureOpenAI client/,
  );
  refuses(
    { client, apiKey: secret, deploymentNames: {} },
    /^createEdgeApp: upstream\[1\] has a client and client options \(apiKey\)/,
  );
  assert.throws(
    () =>
      createEdgeApp({
        clientKeys: [KEY],
        upstream: { ...ok, deploymentNames: { "gpt-4o": 1 as unknown as string } },
      }),
    /^TypeError: createEdgeApp: upstream\.deploymentNames\["gpt-4o"\] must be/,
  );
  // Valid: empty maps, names equal to the app's, a client with a map.
  make({ ...ok, deploymentNames: {} });
  make({ ...ok, deploymentNames: { "gpt-4o": "gpt-4o" } });
  make({ client, deploymentNames: { "gpt-4o": "gpt-4o-swc" } });
  make({ client });
});

// --- Environment: AZURE_OPENAI_FALLBACK_DEPLOYMENTS ---

const env = (vars: Record<string, string>) => (name: string) => vars[name];
const CLIENT_KEY = "renamed-env-client-key";
const PRIMARY_KEY = "renamed-primary-azure-secret";
const FALLBACK_KEYS = ["renamed-fallback-secret-one", "renamed-fallback-secret-two"];
const ctx: EdgeExecutionContext = { waitUntil: () => {} };
const PRIMARY = {
  AZURE_OPENAI_ENDPOINT: "https://primary.openai.azure.com",
  AZURE_OPENAI_API_KEY: PRIMARY_KEY,
  AOAI_EDGE_KEYS: CLIENT_KEY,
};
const TWO_FALLBACKS = {
  ...PRIMARY,
  AZURE_OPENAI_FALLBACK_ENDPOINTS: "https://second.openai.azure.com,https://third.openai.azure.com",
  AZURE_OPENAI_FALLBACK_API_KEYS: FALLBACK_KEYS.join(","),
};

function assertNoSecret(text: string): void {
  for (const key of [PRIMARY_KEY, ...FALLBACK_KEYS]) {
    assert.ok(!text.includes(key), `a key in: ${text}`);
  }
}

Deno.test("edgeConfigFromEnv() reads AZURE_OPENAI_FALLBACK_DEPLOYMENTS into each fallback's deploymentNames", () => {
  const config = edgeConfigFromEnv(env({
    ...TWO_FALLBACKS,
    AZURE_OPENAI_FALLBACK_DEPLOYMENTS: " gpt-4o = gpt-4o-swc ; text-embedding-3-small=emb-swc; , ",
  }));
  const idle = { apiVersion: undefined, streamIdleTimeoutMs: 600_000 };
  assert.deepEqual(config.options.upstream, [
    { endpoint: "https://primary.openai.azure.com", apiKey: PRIMARY_KEY, ...idle },
    {
      endpoint: "https://second.openai.azure.com",
      apiKey: FALLBACK_KEYS[0],
      deploymentNames: { "gpt-4o": "gpt-4o-swc", "text-embedding-3-small": "emb-swc" },
      ...idle,
    },
    { endpoint: "https://third.openai.azure.com", apiKey: FALLBACK_KEYS[1], ...idle },
  ]);
  const banner = config.banner.join("\n");
  assert.match(
    banner,
    /fallback upstreams, in order: https:\/\/second\.openai\.azure\.com \(2 deployment name\(s\) of its own\), https:\/\/third\.openai\.azure\.com$/m,
  );
  assertNoSecret(banner);
  createEdgeApp({ ...config.options });
  // Blank: the same names everywhere.
  const same = edgeConfigFromEnv(env({ ...TWO_FALLBACKS, AZURE_OPENAI_FALLBACK_DEPLOYMENTS: " " }));
  assert.ok(
    (same.options.upstream as object[]).every((u) => !("deploymentNames" in u)),
  );
});

Deno.test("AZURE_OPENAI_FALLBACK_DEPLOYMENTS errors name the variable and quote no value", () => {
  const cases: [string, RegExp][] = [
    [
      "gpt-4o=gpt-4o-swc",
      /^AZURE_OPENAI_FALLBACK_DEPLOYMENTS lists 1 entry but AZURE_OPENAI_FALLBACK_ENDPOINTS lists 2 endpoint\(s\); give one entry per fallback endpoint/,
    ],
    [
      "a=b,c=d,e=f",
      /^AZURE_OPENAI_FALLBACK_DEPLOYMENTS lists 3 entries but AZURE_OPENAI_FALLBACK_ENDPOINTS lists 2/,
    ],
    // A key pasted into the variable: reported by position only.
    [
      `${FALLBACK_KEYS[0]},`,
      /^AZURE_OPENAI_FALLBACK_DEPLOYMENTS: entry 1 \(fallback endpoint 1\), pair 1 is not name=own-name/,
    ],
    [
      `,gpt-4o=;`,
      /^AZURE_OPENAI_FALLBACK_DEPLOYMENTS: entry 2 \(fallback endpoint 2\), pair 1 is not name=own-name/,
    ],
    [",a=b=c", /entry 2 \(fallback endpoint 2\), pair 1 is not name=own-name/],
    ["a=b;a=c,", /entry 1 \(fallback endpoint 1\), pair 2 maps a name an earlier pair/],
    ["a=..,", /entry 1 \(fallback endpoint 1\), pair 1 names a dot segment/],
  ];
  for (const [value, pattern] of cases) {
    assert.throws(
      () => edgeConfigFromEnv(env({ ...TWO_FALLBACKS, AZURE_OPENAI_FALLBACK_DEPLOYMENTS: value })),
      (err: Error) => {
        assert.match(err.message, pattern);
        assertNoSecret(err.message);
        return true;
      },
    );
  }
  // Names for fallbacks that are not there.
  assert.throws(
    () => edgeConfigFromEnv(env({ ...PRIMARY, AZURE_OPENAI_FALLBACK_DEPLOYMENTS: "a=b" })),
    /AZURE_OPENAI_FALLBACK_DEPLOYMENTS lists 1 entry but AZURE_OPENAI_FALLBACK_ENDPOINTS lists 0/,
  );
});

/** An emulator with gpt-4o renamed, served on 127.0.0.1, and a closed port. */
function localRenamed(key: string) {
  const emulator = createEmulator({ apiKeys: [key], deployments: renamedDeployments(SWC) });
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen: () => {} },
    (req) => emulator.fetch(req),
  );
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const closed = `http://127.0.0.1:${(listener.addr as Deno.NetAddr).port}`;
  listener.close();
  return {
    emulator,
    url: `http://127.0.0.1:${server.addr.port}`,
    closed,
    [Symbol.asyncDispose]: () => server.shutdown(),
  };
}

function chatRequest(): Request {
  return new Request(`https://edge.example${azurePath("gpt-4o", "chat/completions")}`, {
    method: "POST",
    headers: { "api-key": CLIENT_KEY, "content-type": "application/json" },
    body: JSON.stringify(hi),
  });
}

Deno.test("the Deno entry's options send a fallback its AZURE_OPENAI_FALLBACK_DEPLOYMENTS name on 127.0.0.1", async () => {
  await using up = localRenamed(FALLBACK_KEYS[0]);
  const config = edgeConfigFromEnv(env({
    AZURE_OPENAI_ENDPOINT: up.closed,
    AZURE_OPENAI_API_KEY: PRIMARY_KEY,
    AZURE_OPENAI_FALLBACK_ENDPOINTS: up.url,
    AZURE_OPENAI_FALLBACK_API_KEYS: FALLBACK_KEYS[0],
    AZURE_OPENAI_FALLBACK_DEPLOYMENTS: "gpt-4o=gpt-4o-swc",
    AOAI_EDGE_KEYS: CLIENT_KEY,
  }));
  const app = createEdgeApp({ ...config.options, onError: () => {} });
  const res = await app.fetch(chatRequest());
  assert.equal(res.status, 200);
  assert.equal(res.headers.get("x-aoai-upstream"), "1");
  assert.equal((await res.json()).choices[0].message.content, "You said: hi");
});

Deno.test("createWorkerApp() sends a fallback its AZURE_OPENAI_FALLBACK_DEPLOYMENTS name, and a bad value answers 500 naming the variable", async () => {
  await using up = localRenamed(FALLBACK_KEYS[1]);
  const bindings: WorkerEnv = {
    AZURE_OPENAI_ENDPOINT: up.closed,
    AZURE_OPENAI_API_KEY: PRIMARY_KEY,
    AZURE_OPENAI_FALLBACK_ENDPOINTS: up.url,
    AZURE_OPENAI_FALLBACK_API_KEYS: FALLBACK_KEYS[1],
    AZURE_OPENAI_FALLBACK_DEPLOYMENTS: "gpt-4o=gpt-4o-swc;whisper=whisper-swc",
    AOAI_EDGE_KEYS: CLIENT_KEY,
  };
  const app = createWorkerApp(bindings);
  const res = await app.fetch(chatRequest(), undefined, ctx);
  assert.equal(res.status, 200);
  assert.equal(res.headers.get("x-aoai-upstream"), "1");
  await res.body?.cancel();
  assert.equal(up.emulator.stats.requests, 1);

  const broken = await worker.fetch(
    chatRequest(),
    { ...bindings, AZURE_OPENAI_FALLBACK_DEPLOYMENTS: FALLBACK_KEYS[1] },
    ctx,
  );
  assert.equal(broken.status, 500);
  const error = await errorOf(broken);
  assert.equal(error.code, "EdgeMisconfigured");
  assert.match(error.message, /AZURE_OPENAI_FALLBACK_DEPLOYMENTS: entry 1 .* is not name=own-name/);
  assertNoSecret(error.message);
  // The variable is part of the Worker's signature: fixing it rebuilds the app.
  const fixed = await worker.fetch(chatRequest(), bindings, ctx);
  assert.equal(fixed.status, 200);
  assert.equal(fixed.headers.get("x-aoai-upstream"), "1");
  await fixed.body?.cancel();
});
