/**
 * A long-running `deno task serve` is warned again as the Entra ID certificate's expiry nears:
 * the start-up lines were the only warning, long scrolled away on a server that runs for months.
 * serveEdge() re-checks each day (config.certificateCheck.everyMs; shortened here) on a timer
 * that close() stops.
 */
import assert from "node:assert/strict";
import { edgeConfigFromEnv, serveEdge } from "../../edge/deno.ts";

const PEM_PATH = new URL("../fixtures/entra/client.pem", import.meta.url).pathname;
/** client.pem's notAfter. */
const NOT_AFTER = Date.UTC(2126, 10, 7, 5, 40, 41);
const DAY = 86_400_000;
const BASE = {
  AZURE_OPENAI_ENDPOINT: "https://my-res.openai.azure.com",
  AZURE_TENANT_ID: "4d1f8a62-0c1e-4b7a-9a55-2f7c3e1b9d10",
  AZURE_CLIENT_ID: "9b0e6c3a-5f2d-4e8b-8c71-1a2b3c4d5e6f",
  AOAI_EDGE_KEYS: "entra-recheck-test-client-key",
  PORT: "0",
};

Deno.test("edgeConfigFromEnv(): certificateCheck warns by the clock of each call, daily, only under 30 days", () => {
  let now = NOT_AFTER - 40 * DAY;
  const config = edgeConfigFromEnv(
    (name) =>
      ({ ...BASE, AZURE_CLIENT_CERTIFICATE: Deno.readTextFileSync(PEM_PATH) } as Record<
        string,
        string
      >)[name],
    { now: () => now },
  );
  assert.equal(config.certificateCheck?.everyMs, DAY);
  assert.equal(config.certificateCheck?.warning(), undefined, "40 days away");
  now = NOT_AFTER - 12 * DAY;
  assert.match(config.certificateCheck?.warning() ?? "", /^warning: .* expires in 12 days/);
  // A key, or a secret: nothing to check.
  const secret = edgeConfigFromEnv((name) =>
    ({ ...BASE, AZURE_CLIENT_SECRET: "recheck-test-secret-value" } as Record<string, string>)[name]
  );
  assert.equal(secret.certificateCheck, undefined);
});

Deno.test("serveEdge(): with AZURE_CLIENT_CERTIFICATE_PATH, warns again on its timer once the expiry nears (after start-up), and close() stops it", async () => {
  const dir = await Deno.makeTempDir();
  let now = NOT_AFTER - 90 * DAY;
  const warned: string[] = [];
  let warnedOnce!: () => void;
  const seen = new Promise<void>((resolve) => warnedOnce = resolve);
  const warn = console.warn;
  console.warn = (...args: unknown[]) => {
    warned.push(args.map(String).join(" "));
    warnedOnce();
  };
  try {
    const config = edgeConfigFromEnv(
      (name) =>
        ({
          ...BASE,
          AZURE_CLIENT_CERTIFICATE_PATH: PEM_PATH,
          AOAI_EDGE_KV_PATH: `${dir}/edge.kv`,
        } as Record<string, string>)[name],
      { now: () => now },
    );
    assert.ok(config.certificateCheck);
    config.certificateCheck.everyMs = 1;
    {
      await using _server = await serveEdge(config);
      // Started 90 days before: no warning in the banner; then the date nears.
      assert.ok(!config.banner.some((line) => line.startsWith("warning: ")));
      now = NOT_AFTER - 7 * DAY;
      await seen;
    }
    assert.match(warned[0], /^aoai-edge: warning: the Entra ID certificate expires in 7 days/);
    assert.ok(!warned[0].includes("PRIVATE KEY"));
  } finally {
    console.warn = warn;
    await Deno.remove(dir, { recursive: true });
  }
});
