import assert from "node:assert/strict";
import { createEmulator } from "../../src/emulator/mod.ts";
import { edgeConfigFromEnv, serveEdge } from "../../edge/deno.ts";
import worker, { type WorkerEnv } from "../../edge/worker.ts";
import { EntraTokenError } from "../../edge/mod.ts";
import type { EdgeExecutionContext } from "../../edge/options.ts";
import { azurePath } from "./_helpers.ts";

const TENANT = "4d1f8a62-0c1e-4b7a-9a55-2f7c3e1b9d10";
const CLIENT = "9b0e6c3a-5f2d-4e8b-8c71-1a2b3c4d5e6f";
const CLIENT_KEY = "entra-cert-env-test-client-key";
const PEM_PATH = new URL("../fixtures/entra/client.pem", import.meta.url).pathname;
const CLIENT_PEM = Deno.readTextFileSync(PEM_PATH);
const OTHER_PEM = Deno.readTextFileSync(new URL("../fixtures/entra/other.pem", import.meta.url));
const KEY_BODY = /-----BEGIN PRIVATE KEY-----([^-]*)-----END/.exec(CLIENT_PEM)![1].replace(
  /\s/g,
  "",
);
const IDS = { AZURE_TENANT_ID: TENANT, AZURE_CLIENT_ID: CLIENT };
const ctx: EdgeExecutionContext = { waitUntil: () => {} };
const env = (vars: Record<string, string>) => (name: string) => vars[name];

/** An emulator that knows the client's certificate, on 127.0.0.1 (authority and resource). */
function localEntra(certificates = [CLIENT_PEM]) {
  const emulator = createEmulator({ entra: { tenantId: TENANT, clientId: CLIENT, certificates } });
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen: () => {} },
    (req) => emulator.fetch(req),
  );
  return {
    emulator,
    url: `http://127.0.0.1:${server.addr.port}`,
    tokenRequests: () => emulator.log.filter((e) => e.path.includes("/oauth2/v2.0/token")).length,
    [Symbol.asyncDispose]: () => server.shutdown(),
  };
}

function chatRequest(base = "https://edge.example"): Request {
  return new Request(`${base}${azurePath("gpt-4o", "chat/completions")}`, {
    method: "POST",
    headers: { "api-key": CLIENT_KEY, "content-type": "application/json" },
    body: JSON.stringify({ messages: [{ role: "user", content: "hi" }] }),
  });
}

function assertNoKey(text: string): void {
  for (let i = 0; i + 32 < KEY_BODY.length; i += 32) {
    assert.ok(!text.includes(KEY_BODY.slice(i, i + 32)), "key material in the text");
  }
  assert.ok(!text.includes("PRIVATE KEY-----"), "a PEM key in the text");
}

async function withTempDir<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = await Deno.makeTempDir();
  try {
    return await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("serveEdge() with AZURE_CLIENT_CERTIFICATE_PATH reads the PEM file and signs in with the certificate, end to end; the banner names the file, never the key", async () => {
  await using entra = localEntra();
  await withTempDir(async (dir) => {
    const config = edgeConfigFromEnv(env({
      AZURE_OPENAI_ENDPOINT: entra.url,
      ...IDS,
      AZURE_CLIENT_CERTIFICATE_PATH: PEM_PATH,
      AZURE_AUTHORITY_HOST: entra.url,
      AOAI_EDGE_KEYS: CLIENT_KEY,
      AOAI_EDGE_KV_PATH: `${dir}/edge.kv`,
      PORT: "0",
    }));
    const banner = config.banner.join("\n");
    assert.match(
      banner,
      new RegExp(
        `auth: Microsoft Entra ID, client ${CLIENT} of tenant ${TENANT} \\(client credentials ` +
          `with a certificate from AZURE_CLIENT_CERTIFICATE_PATH \\(${PEM_PATH}\\), tokens from`,
      ),
    );
    assertNoKey(banner);
    // Before serveEdge() reads the file, the provider says so.
    const upstream = config.options.upstream as { tokenProvider: () => Promise<unknown> };
    const early = await upstream.tokenProvider().then(() => undefined, (e) => e);
    assert.ok(early instanceof EntraTokenError);
    assert.match(early.message, /AZURE_CLIENT_CERTIFICATE_PATH is not read yet/);
    await using server = await serveEdge(config);
    const res = await fetch(chatRequest(server.url));
    assert.equal(res.status, 200);
    assert.equal((await res.json()).choices[0].message.content, "You said: hi");
    assert.equal(entra.tokenRequests(), 1);
    assert.equal(entra.emulator.log.at(-1)?.auth, "bearer");
  });
});

Deno.test("serveEdge(): an AZURE_CLIENT_CERTIFICATE_PATH that cannot be read, or holds a PKCS#1 key, stops it with an Error naming the variable and no key", async () => {
  await withTempDir(async (dir) => {
    const base = {
      AZURE_OPENAI_ENDPOINT: "https://my-res.openai.azure.com",
      ...IDS,
      AOAI_EDGE_KEYS: CLIENT_KEY,
      AOAI_EDGE_KV_PATH: `${dir}/edge.kv`,
      PORT: "0",
    };
    const missing = edgeConfigFromEnv(env({
      ...base,
      AZURE_CLIENT_CERTIFICATE_PATH: `${dir}/nope.pem`,
    }));
    await assert.rejects(
      () => serveEdge(missing),
      /AZURE_CLIENT_CERTIFICATE_PATH: cannot read .*nope\.pem \(NotFound\)/,
    );
    const pkcs1 = `${dir}/pkcs1.pem`;
    const pkcs1Text = Deno.readTextFileSync(
      new URL("../fixtures/entra/client_pkcs1.key", import.meta.url),
    );
    await Deno.writeTextFile(
      pkcs1,
      pkcs1Text + CLIENT_PEM.slice(CLIENT_PEM.indexOf("-----BEGIN CERTIFICATE")),
    );
    const config = edgeConfigFromEnv(env({ ...base, AZURE_CLIENT_CERTIFICATE_PATH: pkcs1 }));
    const err = await serveEdge(config).then(() => undefined, (e) => e);
    assert.ok(err instanceof TypeError);
    assert.match(
      err.message,
      /^AZURE_CLIENT_CERTIFICATE_PATH \(.*pkcs1\.pem\) holds a PKCS#1 key .*openssl pkcs8 -topk8/,
    );
    const pkcs1Body = /-----BEGIN RSA PRIVATE KEY-----([^-]*)-----END/.exec(pkcs1Text)![1].replace(
      /\s/g,
      "",
    );
    assert.ok(!err.message.includes(pkcs1Body.slice(0, 32)));
  });
});

Deno.test("edgeConfigFromEnv(): AZURE_CLIENT_CERTIFICATE (PEM text, also with \\n written out) signs in; a secret and a certificate together are refused", async () => {
  await using entra = localEntra();
  for (
    const pem of [
      CLIENT_PEM,
      CLIENT_PEM.replace(/\n/g, "\\n"),
      CLIENT_PEM.replace(/\n/g, "\\r\\n"), // written out on Windows
      // One line with \n written out, then a real line break (`wrangler secret put < file`).
      CLIENT_PEM.trim().replace(/\n/g, "\\n") + "\n",
    ]
  ) {
    const config = edgeConfigFromEnv(env({
      AZURE_OPENAI_ENDPOINT: entra.url,
      ...IDS,
      AZURE_CLIENT_CERTIFICATE: pem,
      AZURE_AUTHORITY_HOST: entra.url,
      AOAI_EDGE_KEYS: CLIENT_KEY,
    }));
    assert.equal(config.entraCertificate, undefined);
    assert.match(
      config.banner.join("\n"),
      /client credentials with a certificate from AZURE_CLIENT_CERTIFICATE,/,
    );
    assertNoKey(config.banner.join("\n"));
    const upstream = config.options.upstream as { tokenProvider: () => Promise<{ token: string }> };
    assert.ok((await upstream.tokenProvider()).token);
  }
  const endpoint = {
    AZURE_OPENAI_ENDPOINT: "https://my-res.openai.azure.com",
    AOAI_EDGE_KEYS: CLIENT_KEY,
  };
  const cases: [Record<string, string>, RegExp][] = [
    [
      {
        ...endpoint,
        ...IDS,
        AZURE_CLIENT_SECRET: "a-secret-value-123",
        AZURE_CLIENT_CERTIFICATE_PATH: PEM_PATH,
      },
      /^AZURE_CLIENT_SECRET and AZURE_CLIENT_CERTIFICATE_PATH are both set; Microsoft Entra ID signs in with one credential/,
    ],
    [
      {
        ...endpoint,
        ...IDS,
        AZURE_CLIENT_SECRET: "a-secret-value-123",
        AZURE_CLIENT_CERTIFICATE: CLIENT_PEM,
      },
      /^AZURE_CLIENT_SECRET and AZURE_CLIENT_CERTIFICATE are both set/,
    ],
    [
      {
        ...endpoint,
        ...IDS,
        AZURE_CLIENT_CERTIFICATE_PATH: PEM_PATH,
        AZURE_CLIENT_CERTIFICATE: CLIENT_PEM,
      },
      /^AZURE_CLIENT_CERTIFICATE_PATH and AZURE_CLIENT_CERTIFICATE are both set/,
    ],
    [
      { ...endpoint, AZURE_CLIENT_CERTIFICATE_PATH: PEM_PATH },
      /AZURE_TENANT_ID and AZURE_CLIENT_ID are not set/,
    ],
    [
      {
        ...endpoint,
        ...IDS,
        AZURE_CLIENT_CERTIFICATE:
          "-----BEGIN RSA PRIVATE KEY-----\nMIIB\n-----END RSA PRIVATE KEY-----",
      },
      /^AZURE_CLIENT_CERTIFICATE holds a PKCS#1 key/,
    ],
    [
      {
        ...endpoint,
        ...IDS,
        AZURE_CLIENT_CERTIFICATE: CLIENT_PEM.slice(0, CLIENT_PEM.indexOf("-----BEGIN CERTIFICATE")),
      },
      /^AZURE_CLIENT_CERTIFICATE must hold the certificate registered on the app/,
    ],
    [
      {
        ...endpoint,
        ...IDS,
        AZURE_CLIENT_CERTIFICATE_PATH: PEM_PATH,
        AZURE_TENANT_ID: "not a tenant",
      },
      /^AZURE_TENANT_ID must be the directory/,
    ],
  ];
  for (const [vars, pattern] of cases) {
    assert.throws(() => edgeConfigFromEnv(env(vars)), (err: Error) => {
      assert.match(err.message, pattern);
      assertNoKey(err.message);
      assert.ok(!err.message.includes("a-secret-value-123"));
      return true;
    });
  }
});

Deno.test("the Worker signs in with the AZURE_CLIENT_CERTIFICATE secret, refuses AZURE_CLIENT_CERTIFICATE_PATH, and answers 502 without the key for a certificate Entra does not know", async () => {
  await using entra = localEntra();
  const base: WorkerEnv = {
    AZURE_OPENAI_ENDPOINT: entra.url,
    ...IDS,
    AZURE_CLIENT_CERTIFICATE: CLIENT_PEM,
    AZURE_AUTHORITY_HOST: entra.url,
    AOAI_EDGE_KEYS: CLIENT_KEY,
  };
  const good = await worker.fetch(chatRequest(), base, ctx);
  assert.equal(good.status, 200);
  assert.equal((await good.json()).choices[0].message.content, "You said: hi");
  const logged: string[] = [];
  const original = console.error;
  console.error = (...args: unknown[]) => logged.push(args.map(String).join(" "));
  try {
    const bad = await worker.fetch(
      chatRequest(),
      { ...base, AZURE_CLIENT_CERTIFICATE: OTHER_PEM },
      ctx,
    );
    const text = await bad.text();
    assert.equal(bad.status, 502, "AZURE_CLIENT_CERTIFICATE is part of the Worker's signature");
    assert.equal(JSON.parse(text).error.code, "UpstreamSignInFailed");
    assert.match(logged.join("\n"), /AADSTS700027/);
    for (const t of [text, ...logged]) {
      assertNoKey(t);
      assert.ok(!t.includes("eyJ"), "no assertion (a JWT) in the answer or the log");
    }
  } finally {
    console.error = original;
  }
  const path = await worker.fetch(
    chatRequest(),
    { ...base, AZURE_CLIENT_CERTIFICATE: undefined, AZURE_CLIENT_CERTIFICATE_PATH: PEM_PATH },
    ctx,
  );
  assert.equal(path.status, 500);
  const body = await path.json();
  assert.equal(body.error.code, "EdgeMisconfigured");
  assert.match(
    body.error.message,
    /AZURE_CLIENT_CERTIFICATE_PATH names a file, and a Worker has none: .* AZURE_CLIENT_CERTIFICATE/,
  );
  const pkcs1 = await worker.fetch(
    chatRequest(),
    {
      ...base,
      AZURE_CLIENT_CERTIFICATE:
        "-----BEGIN RSA PRIVATE KEY-----\nMIIB\n-----END RSA PRIVATE KEY-----",
    },
    ctx,
  );
  assert.equal(pkcs1.status, 500);
  const pkcs1Text = await pkcs1.text();
  assert.match(pkcs1Text, /AZURE_CLIENT_CERTIFICATE holds a PKCS#1 key/);
  assert.ok(!pkcs1Text.includes("MIIB"));
});
