import assert from "node:assert/strict";
import { edgeConfigFromEnv, serveEdge } from "../../edge/deno.ts";
import worker from "../../edge/worker.ts";
import type { EdgeExecutionContext } from "../../edge/options.ts";

const TENANT = "4d1f8a62-0c1e-4b7a-9a55-2f7c3e1b9d10";
const CLIENT = "9b0e6c3a-5f2d-4e8b-8c71-1a2b3c4d5e6f";
const PEM_PATH = new URL("../fixtures/entra/client.pem", import.meta.url).pathname;
const CLIENT_PEM = Deno.readTextFileSync(PEM_PATH);
const IDS = { AZURE_TENANT_ID: TENANT, AZURE_CLIENT_ID: CLIENT };
const env = (vars: Record<string, string>) => (name: string) => vars[name];

/** A token endpoint on 127.0.0.1 that keeps the JWT headers of the assertions it is sent. */
function tokenEndpoint() {
  const headers: Record<string, unknown>[] = [];
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen: () => {} },
    async (req) => {
      const assertion = new URLSearchParams(await req.text()).get("client_assertion") ?? "";
      const part = assertion.split(".")[0].replace(/-/g, "+").replace(/_/g, "/");
      headers.push(JSON.parse(atob(part)));
      return Response.json({ token_type: "Bearer", access_token: "t", expires_in: 3599 });
    },
  );
  return {
    url: `http://127.0.0.1:${server.addr.port}`,
    headers,
    [Symbol.asyncDispose]: () => server.shutdown(),
  };
}

type Provider = { tokenProvider: () => Promise<{ token: string }> };

Deno.test("AZURE_CLIENT_CERTIFICATE_ALG=RS256 signs the assertion RS256 with x5t (from AZURE_CLIENT_CERTIFICATE and _PATH); PS256 or unset keeps PS256 with x5t#S256", async () => {
  await using entra = tokenEndpoint();
  const base = {
    AZURE_OPENAI_ENDPOINT: "https://my-res.openai.azure.com",
    AZURE_AUTHORITY_HOST: entra.url,
    AOAI_EDGE_KEYS: "entra-algorithm-test-key",
    ...IDS,
  };
  for (
    const [algorithm, alg, thumbprint] of [
      ["RS256", "RS256", "x5t"],
      ["rs256", "RS256", "x5t"],
      [" RS256 ", "RS256", "x5t"],
      ["PS256", "PS256", "x5t#S256"],
      ["", "PS256", "x5t#S256"],
      [undefined, "PS256", "x5t#S256"],
    ] as const
  ) {
    const algo: Record<string, string> = algorithm === undefined
      ? {}
      : { AZURE_CLIENT_CERTIFICATE_ALG: algorithm };
    const config = edgeConfigFromEnv(
      env({ ...base, AZURE_CLIENT_CERTIFICATE: CLIENT_PEM, ...algo }),
    );
    await (config.options.upstream as Provider).tokenProvider();
    const header = entra.headers.at(-1)!;
    assert.equal(header.alg, alg, `${algorithm}`);
    assert.deepEqual(Object.keys(header).sort(), ["alg", thumbprint, "typ"].sort());
  }
  // The file of AZURE_CLIENT_CERTIFICATE_PATH, read by serveEdge().
  const dir = await Deno.makeTempDir();
  try {
    const config = edgeConfigFromEnv(env({
      ...base,
      PORT: "0",
      AOAI_EDGE_KV_PATH: `${dir}/edge.kv`,
      AZURE_CLIENT_CERTIFICATE_PATH: PEM_PATH,
      AZURE_CLIENT_CERTIFICATE_ALG: "RS256",
    }));
    await using _server = await serveEdge(config);
    await (config.options.upstream as Provider).tokenProvider();
    assert.equal(entra.headers.at(-1)!.alg, "RS256");
    assert.ok(entra.headers.at(-1)!.x5t);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("AZURE_CLIENT_CERTIFICATE_ALG: another value, or with a client secret, stops the app naming the variable and never the value", async () => {
  const base = {
    AZURE_OPENAI_ENDPOINT: "https://my-res.openai.azure.com",
    AOAI_EDGE_KEYS: "entra-algorithm-test-key",
    ...IDS,
  };
  const cases: [Record<string, string>, RegExp][] = [
    [
      {
        ...base,
        AZURE_CLIENT_CERTIFICATE: CLIENT_PEM,
        AZURE_CLIENT_CERTIFICATE_ALG: "ES256",
      },
      /^AZURE_CLIENT_CERTIFICATE_ALG must be PS256 \(the default: .*\) or RS256 \(/,
    ],
    [
      {
        ...base,
        AZURE_CLIENT_CERTIFICATE_PATH: PEM_PATH,
        AZURE_CLIENT_CERTIFICATE_ALG: "secret-pasted-here",
      },
      /^AZURE_CLIENT_CERTIFICATE_ALG must be PS256 \(the default: .*\) or RS256 \(/,
    ],
    [
      {
        ...base,
        AZURE_CLIENT_SECRET: "a-secret-value-123",
        AZURE_CLIENT_CERTIFICATE_ALG: "RS256",
      },
      /^AZURE_CLIENT_CERTIFICATE_ALG is set, but Microsoft Entra ID signs in with AZURE_CLIENT_SECRET/,
    ],
  ];
  for (const [vars, pattern] of cases) {
    assert.throws(() => edgeConfigFromEnv(env(vars)), (err: Error) => {
      assert.match(err.message, pattern);
      for (const secret of ["a-secret-value-123", "secret-pasted-here", "ES256"]) {
        assert.ok(!err.message.includes(secret), secret);
      }
      return true;
    });
  }
  // The Worker: 500 EdgeMisconfigured naming it.
  const ctx: EdgeExecutionContext = { waitUntil: () => {} };
  const response = await worker.fetch(
    new Request("https://edge.example/health"),
    { ...base, AZURE_CLIENT_CERTIFICATE: CLIENT_PEM, AZURE_CLIENT_CERTIFICATE_ALG: "HS256" },
    ctx,
  );
  assert.equal(response.status, 500);
  const body = await response.json();
  assert.equal(body.error.code, "EdgeMisconfigured");
  assert.match(body.error.message, /AZURE_CLIENT_CERTIFICATE_ALG must be PS256/);
  assert.ok(!body.error.message.includes("HS256"));
});
