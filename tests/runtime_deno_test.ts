/**
 * Runtime matrix, Deno: the same scenarios Node, Bun and workerd run (compat/runtime/
 * scenarios.mjs), against the *bundled* core and edge app (`deno bundle --platform browser`, as
 * users who ship a bundle get them) and the emulator served by `Deno.serve` on 127.0.0.1.
 */
import assert from "node:assert/strict";
import { createEmulator } from "../src/emulator/mod.ts";
// @ts-types="./helpers/scenarios.d.ts"
import { EMULATOR_OPTIONS, runScenarios, SCENARIO_NAMES } from "../compat/runtime/scenarios.mjs";

const ROOT = new URL("../", import.meta.url).pathname;
const UPSTREAM_KEY = "runtime-upstream-key";

async function bundle(entry: string, out: string): Promise<void> {
  const { code, stderr } = await new Deno.Command(Deno.execPath(), {
    args: ["bundle", "--platform", "browser", "-o", out, entry],
    cwd: ROOT,
    stdout: "null",
    stderr: "piped",
    env: { NO_COLOR: "1" },
  }).output();
  assert.equal(code, 0, `deno bundle ${entry}: ${new TextDecoder().decode(stderr)}`);
}

Deno.test("deno: the bundled core and edge app pass the runtime-matrix scenarios", async (t) => {
  const dir = await Deno.makeTempDir();
  const emulator = createEmulator({ ...EMULATOR_OPTIONS, apiKeys: [UPSTREAM_KEY] });
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen() {} },
    (request) => emulator.fetch(request),
  );
  try {
    await bundle("mod.ts", `${dir}/core.mjs`);
    await bundle("edge/mod.ts", `${dir}/edge.mjs`);
    const core = await import(`file://${dir}/core.mjs`);
    const edge = await import(`file://${dir}/edge.mjs`);
    const results = await runScenarios({
      core,
      edge,
      endpoint: `http://127.0.0.1:${server.addr.port}`,
      apiKey: UPSTREAM_KEY,
    });
    assert.deepEqual(results.map((r) => r.name), SCENARIO_NAMES);
    for (const r of results) {
      await t.step(r.name, () => assert.ok(r.ok, r.error));
    }
  } finally {
    await server.shutdown();
    await Deno.remove(dir, { recursive: true });
  }
});
