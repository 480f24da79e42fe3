/**
 * The start-up lines name the Entra ID certificate's expiry date, and warn when it is under 30
 * days away (Entra ID refuses an expired certificate: found otherwise only when sign-ins fail).
 */
import assert from "node:assert/strict";
import { edgeConfigFromEnv, serveEdge } from "../../edge/deno.ts";
import worker, { createWorkerApp, type WorkerEnv } from "../../edge/worker.ts";
import type { EdgeExecutionContext } from "../../edge/options.ts";

const PEM_PATH = new URL("../fixtures/entra/client.pem", import.meta.url).pathname;
const CLIENT_PEM = Deno.readTextFileSync(PEM_PATH);
/** client.pem's notAfter. */
const NOT_AFTER = Date.UTC(2126, 10, 7, 5, 40, 41);
const DAY = 86_400_000;
const BASE = {
  AZURE_OPENAI_ENDPOINT: "https://my-res.openai.azure.com",
  AZURE_TENANT_ID: "4d1f8a62-0c1e-4b7a-9a55-2f7c3e1b9d10",
  AZURE_CLIENT_ID: "9b0e6c3a-5f2d-4e8b-8c71-1a2b3c4d5e6f",
  AOAI_EDGE_KEYS: "entra-expiry-test-client-key",
};
const env = (vars: Record<string, string>) => (name: string) => vars[name];
const EXPIRY = /^certificate: valid until 2126-11-07T05:40:41Z \(in (\d+) days\)$/;
const WARNING =
  /^warning: the Entra ID certificate expires in (\d+) days? \(2126-11-07T05:40:41Z\); renew it/;

Deno.test("edgeConfigFromEnv(): the banner names the certificate's expiry date (AZURE_CLIENT_CERTIFICATE), and warns under 30 days", () => {
  const vars = { ...BASE, AZURE_CLIENT_CERTIFICATE: CLIENT_PEM };
  const lines = (now?: number) =>
    edgeConfigFromEnv(env(vars), now === undefined ? undefined : { now: () => now }).banner;
  const today = lines();
  const auth = today.findIndex((line) => line.startsWith("auth: Microsoft Entra ID"));
  assert.ok(auth >= 0);
  assert.match(today[auth + 1], EXPIRY);
  assert.ok(!today.some((line) => WARNING.test(line)));
  const far = lines(NOT_AFTER - 40 * DAY);
  assert.equal(far.find((line) => EXPIRY.test(line))?.match(EXPIRY)?.[1], "40");
  assert.ok(!far.some((line) => WARNING.test(line)), "40 days away: no warning");
  const near = lines(NOT_AFTER - 20 * DAY);
  assert.equal(near.find((line) => WARNING.test(line))?.match(WARNING)?.[1], "20");
  const last = lines(NOT_AFTER - 5 * 3_600_000);
  assert.match(last.join("\n"), /expires in 0 days/);
});

Deno.test("serveEdge() with AZURE_CLIENT_CERTIFICATE_PATH: the banner names the expiry date of the certificate it read, and warns under 30 days", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const config = edgeConfigFromEnv(
      env({
        ...BASE,
        AZURE_CLIENT_CERTIFICATE_PATH: PEM_PATH,
        PORT: "0",
        AOAI_EDGE_KV_PATH: `${dir}/edge.kv`,
      }),
      { now: () => NOT_AFTER - 10 * DAY },
    );
    await using _server = await serveEdge(config);
    const auth = config.banner.findIndex((line) => line.startsWith("auth: Microsoft Entra ID"));
    assert.match(config.banner[auth + 1], EXPIRY);
    assert.match(config.banner[auth + 2], WARNING);
    assert.match(config.banner[auth + 2], /expires in 10 days/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("the Worker logs the certificate's expiry date when it builds its app, and warns under 30 days", async () => {
  const logged: string[] = [];
  const warned: string[] = [];
  const { log, warn } = console;
  console.log = (...args: unknown[]) => logged.push(args.map(String).join(" "));
  console.warn = (...args: unknown[]) => warned.push(args.map(String).join(" "));
  try {
    const vars: WorkerEnv = { ...BASE, AZURE_CLIENT_CERTIFICATE: CLIENT_PEM };
    createWorkerApp(vars, { now: () => NOT_AFTER - 3 * DAY });
    assert.deepEqual(
      logged.map((l) => l.replace(/^aoai-edge: /, "")).filter((l) => EXPIRY.test(l)).length,
      1,
    );
    assert.equal(warned.length, 1);
    assert.match(warned[0].replace(/^aoai-edge: /, ""), WARNING);
    assert.match(warned[0], /expires in 3 days/);
    // Built by the Worker on a request (today: years away, no warning).
    logged.length = warned.length = 0;
    const ctx: EdgeExecutionContext = { waitUntil: () => {} };
    const res = await worker.fetch(new Request("https://edge.example/health"), vars, ctx);
    await res.body?.cancel();
    assert.equal(res.status, 200);
    assert.equal(logged.filter((l) => EXPIRY.test(l.replace(/^aoai-edge: /, ""))).length, 1);
    assert.deepEqual(warned, []);
    for (const line of [...logged, ...warned]) assert.ok(!line.includes("PRIVATE KEY"));
  } finally {
    console.log = log;
    console.warn = warn;
  }
});
