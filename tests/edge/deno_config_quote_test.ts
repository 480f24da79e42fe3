// `deno task serve` (edge/deno.ts) prints a start-up error on stderr, which Deno Deploy keeps in
// its logs. A few of those errors quoted the value at fault (the api-version, a CORS origin): a
// secret pasted into the wrong variable went into the platform's logs. edgeConfigFromEnv() and
// serveEdge() mask every value of the environment an error quotes, as the Worker does
// (misconfiguredMessage()), and still name the setting.
import assert from "node:assert/strict";
import { edgeConfigFromEnv, serveEdge } from "../../edge/deno.ts";

const PASTED = "pasted-Secret-0123456789abcdef";
const AZURE = {
  AZURE_OPENAI_ENDPOINT: "https://deno-config-quote.openai.azure.com",
  AZURE_OPENAI_API_KEY: "azure-key-0123456789",
  AOAI_EDGE_KEYS: "a-deno-client-key",
  PORT: "0",
};

function assertMasked(message: string, named: string, masked = true): void {
  assert.ok(message.includes(named), `the setting is named: ${message}`);
  // Masked where the value is shown at all ("***"), or not shown.
  if (masked) assert.match(message, /"\*\*\*"/, message);
  for (const form of [PASTED, PASTED.toLowerCase(), PASTED.slice(0, 12)]) {
    assert.ok(!message.includes(form), `the value is quoted: ${message}`);
  }
}

async function withDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir();
  try {
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("edgeConfigFromEnv() never quotes AZURE_OPENAI_API_VERSION's value in its error", () => {
  // Without a resource: the emulator's client is made here, and refuses the api-version.
  assert.throws(
    () => edgeConfigFromEnv((name) => name === "AZURE_OPENAI_API_VERSION" ? PASTED : undefined),
    (err: Error) => (assertMasked(err.message, "apiVersion"), true),
  );
});

Deno.test("edgeConfigFromEnv() names a bad CORS origin by variable and entry, never quoting it", () => {
  assert.throws(
    () =>
      edgeConfigFromEnv((n) =>
        ({ ...AZURE, AOAI_EDGE_CORS_ORIGINS: `https://a.example, ${PASTED}` } as Record<
          string,
          string
        >)[n]
      ),
    (err: Error) => (assertMasked(err.message, "AOAI_EDGE_CORS_ORIGINS: entry 2", false), true),
  );
});

Deno.test("serveEdge() never quotes an api-version of the environment in its error", async () => {
  await withDir(async (dir) => {
    for (
      const [name, value, named] of [
        ["AZURE_OPENAI_API_VERSION", PASTED, "apiVersion"],
      ]
    ) {
      const vars: Record<string, string> = {
        ...AZURE,
        AOAI_EDGE_KV_PATH: `${dir}/edge.kv`,
        [name]: value,
      };
      const config = edgeConfigFromEnv((n) => vars[n]);
      // As given, and as a copy with a setting changed (the options are the same).
      for (const given of [config, { ...config, port: 0 }]) {
        await assert.rejects(
          () => serveEdge(given),
          (err: Error) => (assertMasked(err.message, named), true),
        );
      }
    }
  });
});

Deno.test("deno task serve's start-up error on stderr never quotes a variable's value", async () => {
  await withDir(async (dir) => {
    for (
      const vars of [
        { AZURE_OPENAI_API_VERSION: PASTED } as Record<string, string>,
        { ...AZURE, AOAI_EDGE_CORS_ORIGINS: `${PASTED},https://a.example` },
      ]
    ) {
      const { code, stderr } = await new Deno.Command(Deno.execPath(), {
        args: ["run", "-A", new URL("../../edge/deno.ts", import.meta.url).pathname],
        env: { ...vars, AOAI_EDGE_KV_PATH: `${dir}/edge.kv`, PORT: "0", NO_COLOR: "1" },
        stdout: "null",
        stderr: "piped",
      }).output();
      const text = new TextDecoder().decode(stderr).trim();
      assert.equal(code, 1, text);
      assert.match(text, /^aoai-edge: /);
      if ("AZURE_OPENAI_API_VERSION" in vars) assertMasked(text, "apiVersion");
      else assertMasked(text, "AOAI_EDGE_CORS_ORIGINS: entry 1", false);
    }
  });
});
