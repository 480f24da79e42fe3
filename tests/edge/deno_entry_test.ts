import assert from "node:assert/strict";
import { edgeConfigFromEnv, serveEdge } from "../../edge/deno.ts";
import { clientIdOf } from "../../edge/mod.ts";
import { keyText } from "./_helpers.ts";

const env = (vars: Record<string, string>) => (name: string) => vars[name];

Deno.test("edgeConfigFromEnv() uses the emulator and generates a client key when nothing is set", () => {
  const config = edgeConfigFromEnv(env({}));
  assert.equal(config.port, 8787);
  assert.equal(config.hostname, "127.0.0.1");
  assert.equal(config.kvPath, ".tmp/edge.kv");
  assert.match(config.banner.join("\n"), /upstream: the built-in emulator/);
  const key = keyText(config.options.clientKeys[0]);
  assert.match(key, /^edge-[A-Za-z0-9_-]{32}$/);
  assert.ok(config.banner.some((l) => l.includes(key)), "the generated key is printed");
  assert.notEqual(
    keyText(edgeConfigFromEnv(env({})).options.clientKeys[0]),
    key,
    "random per start",
  );
});

Deno.test("edgeConfigFromEnv() uses Azure when both variables are set and never prints the key", () => {
  const config = edgeConfigFromEnv(env({
    AZURE_OPENAI_ENDPOINT: "https://my-res.openai.azure.com/",
    AZURE_OPENAI_API_KEY: "azure-secret-value",
    AOAI_EDGE_KEYS: "client-key-one, client-key-two",
    AOAI_EDGE_DEPLOYMENTS: "gpt-4o",
    AOAI_EDGE_CORS_ORIGINS: "https://a.example",
    PORT: "9000",
    AOAI_EDGE_KV_PATH: "/tmp/x.kv",
  }));
  assert.deepEqual(config.options.clientKeys, ["client-key-one", "client-key-two"]);
  assert.deepEqual(config.options.upstream, {
    endpoint: "https://my-res.openai.azure.com/",
    apiKey: "azure-secret-value",
    apiVersion: undefined,
    streamIdleTimeoutMs: 600_000, // AOAI_EDGE_STREAM_IDLE_TIMEOUT_MS's default
  });
  assert.deepEqual(config.options.deployments, ["gpt-4o"]);
  assert.deepEqual(config.options.cors, { origins: ["https://a.example"] });
  assert.equal(config.port, 9000);
  assert.equal(config.kvPath, "/tmp/x.kv");
  const banner = config.banner.join("\n");
  assert.match(banner, /Azure OpenAI at https:\/\/my-res\.openai\.azure\.com/);
  assert.ok(!banner.includes("azure-secret-value") && !banner.includes("client-key-one"));
});

Deno.test("edgeConfigFromEnv() throws a clear error for half an Azure configuration", () => {
  assert.throws(
    () => edgeConfigFromEnv(env({ AZURE_OPENAI_ENDPOINT: "https://r.openai.azure.com" })),
    /Set both AZURE_OPENAI_ENDPOINT and AZURE_OPENAI_API_KEY/,
  );
  assert.throws(() => edgeConfigFromEnv(env({ PORT: "http" })), /PORT/);
});

Deno.test("edgeConfigFromEnv() reads an empty PORT as the default 8787, not a random port", () => {
  assert.equal(edgeConfigFromEnv(env({ PORT: "" })).port, 8787);
  assert.equal(edgeConfigFromEnv(env({ PORT: " " })).port, 8787);
});

Deno.test("deno task serve with a bad AOAI_EDGE_RATE_LIMIT_RPM exits 1 with one clear line", async () => {
  const dir = await Deno.makeTempDir();
  const { code, stderr } = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", new URL("../../edge/deno.ts", import.meta.url).pathname],
    env: {
      AOAI_EDGE_RATE_LIMIT_RPM: "abc",
      PORT: "0",
      AOAI_EDGE_KV_PATH: `${dir}/edge.kv`,
      NO_COLOR: "1",
    },
    stdout: "null",
    stderr: "piped",
  }).output().finally(() => Deno.remove(dir, { recursive: true }));
  const text = new TextDecoder().decode(stderr).trim();
  assert.equal(code, 1);
  assert.equal(
    text,
    "aoai-edge: AOAI_EDGE_RATE_LIMIT_RPM must be a positive number of requests per minute per " +
      "client key (e.g. 60)",
  );
  assert.doesNotMatch(text, /\bat /, "no stack trace");
});

Deno.test("edgeConfigFromEnv() reads AOAI_EDGE_RATE_LIMIT_RPM and names it when it is bad", () => {
  assert.deepEqual(
    edgeConfigFromEnv(env({ AOAI_EDGE_RATE_LIMIT_RPM: " 30 " })).options.rateLimit,
    { requestsPerMinute: 30 },
  );
  assert.equal(
    edgeConfigFromEnv(env({ AOAI_EDGE_RATE_LIMIT_RPM: " " })).options.rateLimit,
    undefined,
  );
  for (const bad of ["abc", "0", "-5", "Infinity", "1e999", "60rpm"]) {
    assert.throws(
      () => edgeConfigFromEnv(env({ AOAI_EDGE_RATE_LIMIT_RPM: bad })),
      /^Error: AOAI_EDGE_RATE_LIMIT_RPM must be a positive number [^"]*$/,
    );
  }
});

Deno.test("edgeConfigFromEnv() on Deno Deploy needs AOAI_EDGE_KEYS and Azure settings", () => {
  const azure = { AZURE_OPENAI_ENDPOINT: "https://r.openai.azure.com", AZURE_OPENAI_API_KEY: "k" };
  assert.throws(
    () => edgeConfigFromEnv(env({ DENO_DEPLOYMENT_ID: "abc", ...azure })),
    /AOAI_EDGE_KEYS/,
  );
  assert.throws(
    () => edgeConfigFromEnv(env({ DENO_DEPLOYMENT_ID: "abc", AOAI_EDGE_KEYS: "client-key-1" })),
    /AZURE_OPENAI_ENDPOINT/,
  );
  const ok = edgeConfigFromEnv(
    env({ DENO_DEPLOYMENT_ID: "a", AOAI_EDGE_KEYS: "client-key-1", ...azure }),
  );
  assert.equal(ok.kvPath, undefined);
  assert.equal(ok.deploy, true);
});

Deno.test("serveEdge() serves the app over HTTP with Deno KV in a file", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const config = edgeConfigFromEnv(env({ PORT: "0", AOAI_EDGE_KV_PATH: `${dir}/sub/edge.kv` }));
    const key = keyText(config.options.clientKeys[0]);
    {
      await using server = await serveEdge(config);
      const health = await fetch(`${server.url}/health`);
      assert.equal(health.status, 200);
      await health.body?.cancel();
      const send = () =>
        fetch(`${server.url}/v1/embeddings`, {
          method: "POST",
          headers: { "api-key": key, "content-type": "application/json" },
          body: JSON.stringify({ model: "text-embedding-3-small", input: ["persisted"] }),
        });
      const miss = await send();
      assert.equal(miss.headers.get("x-aoai-cache"), "miss");
      await miss.body?.cancel();
      const hit = await send();
      assert.equal(hit.headers.get("x-aoai-cache"), "hit");
      await hit.body?.cancel();
    }
    const stat = await Deno.stat(`${dir}/sub/edge.kv`);
    assert.ok(stat.isFile);
    // A new server on the same file starts warm.
    await using again = await serveEdge(config);
    const res = await fetch(`${again.url}/v1/embeddings`, {
      method: "POST",
      headers: { "api-key": key, "content-type": "application/json" },
      body: JSON.stringify({ model: "text-embedding-3-small", input: ["persisted"] }),
    });
    assert.equal(res.headers.get("x-aoai-cache"), "hit");
    await res.body?.cancel();
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("deno task serve starts, says which upstream it uses, prints a working key and no Deno warning", async () => {
  const dir = await Deno.makeTempDir();
  const child = new Deno.Command(Deno.execPath(), {
    args: ["task", "--quiet", "serve"],
    cwd: new URL("../../", import.meta.url).pathname,
    env: {
      PORT: "0",
      AOAI_EDGE_KV_PATH: `${dir}/edge.kv`,
      AZURE_OPENAI_ENDPOINT: "",
      AZURE_OPENAI_API_KEY: "",
      AOAI_EDGE_KEYS: "",
      NO_COLOR: "1",
    },
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  let stderr = "";
  try {
    const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
    let out = "";
    for (let i = 0; i < 1000 && !/client key[^\n]*\n/.test(out); i++) {
      const { done, value } = await reader.read();
      if (done) break;
      out += value;
    }
    const url = /listening on (http:\/\/\S+) /.exec(out)?.[1];
    const key = /client key \(generated[^)]*\): (\S+)/.exec(out)?.[1];
    assert.ok(url && key, `start-up output was:\n${out}`);
    assert.match(out, /upstream: the built-in emulator/);
    const denied = await fetch(`${url}/v1/embeddings`, { method: "POST", body: "{}" });
    assert.equal(denied.status, 401);
    await denied.body?.cancel();
    const res = await fetch(`${url}/v1/chat/completions`, {
      method: "POST",
      headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
      body: JSON.stringify({ model: "gpt-4o", messages: [{ role: "user", content: "ping" }] }),
    });
    assert.equal(res.status, 200);
    assert.equal((await res.json()).choices[0].message.content, "You said: ping");
    reader.releaseLock();
  } finally {
    child.kill("SIGTERM");
    await child.status;
    await child.stdout.cancel().catch(() => {});
    stderr = await new Response(child.stderr).text();
    await Deno.remove(dir, { recursive: true });
  }
  // Deno 2.9 warns once per process when a handler's request.signal is used under the legacy
  // abort-on-success behaviour; the app reads it to cancel the upstream when a client goes away.
  assert.doesNotMatch(stderr, /legacy behavior/);
});

Deno.test("serveEdge() closes the Deno KV it opened when the app refuses its options", async () => {
  const dir = await Deno.makeTempDir();
  const openKv = Deno.openKv;
  let closed = 0;
  const setOpenKv = (value: typeof Deno.openKv) =>
    Object.defineProperty(Deno, "openKv", { value, configurable: true, writable: true });
  setOpenKv(async (path?: string) => {
    const kv = await openKv(path);
    const close = kv.close.bind(kv);
    kv.close = () => (closed++, close());
    return kv;
  });
  try {
    const config = edgeConfigFromEnv(env({ PORT: "0", AOAI_EDGE_KV_PATH: `${dir}/edge.kv` }));
    // A rate the app refuses (the environment's is checked before; this one is set in code).
    config.options.rateLimit = { requestsPerMinute: 1 / 2000 };
    await assert.rejects(serveEdge(config), /requestsPerMinute must be at least one request a day/);
    assert.equal(closed, 1, "the KV handle was closed");
  } finally {
    setOpenKv(openKv);
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("serveEdge() counts AOAI_EDGE_RATE_LIMIT_RPM in Deno KV: two servers share one budget", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const config = edgeConfigFromEnv(
      env({ PORT: "0", AOAI_EDGE_KV_PATH: `${dir}/edge.kv`, AOAI_EDGE_RATE_LIMIT_RPM: "2" }),
    );
    assert.deepEqual(config.options.rateLimit, { requestsPerMinute: 2 });
    assert.match(config.banner.join("\n"), /rate limit: 2 requests per minute .*Deno KV/);
    const key = keyText(config.options.clientKeys[0]);
    // Two instances (as on Deno Deploy) on one KV.
    await using a = await serveEdge(config);
    await using b = await serveEdge(config);
    const send = async (url: string) => {
      const res = await fetch(`${url}/v1/chat/completions`, {
        method: "POST",
        headers: { "api-key": key, "content-type": "application/json" },
        body: JSON.stringify({ model: "gpt-4o", messages: [{ role: "user", content: "hi" }] }),
      });
      await res.body?.cancel();
      return [res.status, res.headers.get("retry-after") !== null];
    };
    assert.deepEqual(await send(a.url), [200, false]);
    assert.deepEqual(await send(b.url), [200, false]);
    assert.deepEqual(await send(a.url), [429, true], "the budget is shared, not one per instance");
    assert.deepEqual(await send(b.url), [429, true]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("serveEdge() uses a rateLimit.limiter given in the options as is", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const config = edgeConfigFromEnv(env({ PORT: "0", AOAI_EDGE_KV_PATH: `${dir}/edge.kv` }));
    const seen: string[] = [];
    config.options.rateLimit = {
      limiter: { take: (client) => (seen.push(client), { ok: false, retryAfterSeconds: 7 }) },
    };
    await using server = await serveEdge(config);
    const res = await fetch(`${server.url}/v1/embeddings`, {
      method: "POST",
      headers: {
        "api-key": keyText(config.options.clientKeys[0]),
        "content-type": "application/json",
      },
      body: JSON.stringify({ model: "text-embedding-3-small", input: "x" }),
    });
    await res.body?.cancel();
    assert.equal(res.status, 429);
    assert.equal(res.headers.get("retry-after"), "7");
    assert.deepEqual(seen, [await clientIdOf(keyText(config.options.clientKeys[0]))]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
