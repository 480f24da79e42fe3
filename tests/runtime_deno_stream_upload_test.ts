/**
 * Runtime matrix, Deno, second part: compat/runtime/stream_upload_scenarios.mjs (streamed
 * transcription, tee() and fromReadableStream() round trips, uploads parsed as they stream into
 * the edge app) against the *bundled* core and edge app, with the emulator and the edge app
 * served by `Deno.serve` on 127.0.0.1, as Node, Bun and workerd run them.
 */
import assert from "node:assert/strict";
import { createEmulator, DEFAULT_DEPLOYMENTS } from "../src/emulator/mod.ts";
import {
  createUploadApp,
  EMULATOR_DEPLOYMENTS,
  runStreamUploadScenarios,
  runWireScenarios,
  STREAM_UPLOAD_SCENARIO_NAMES,
  WIRE_SCENARIO_NAMES,
} from "../compat/runtime/stream_upload_scenarios.mjs";

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

Deno.test("deno: the bundled core and edge app pass the stream and upload scenarios", async (t) => {
  const dir = await Deno.makeTempDir();
  const emulator = createEmulator({
    apiKeys: [UPSTREAM_KEY],
    deployments: [...DEFAULT_DEPLOYMENTS, ...EMULATOR_DEPLOYMENTS],
  });
  const listen = (handler: (request: Request) => Response | Promise<Response>) =>
    Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, handler);
  const server = listen((request) => emulator.fetch(request));
  let edgeServer: Deno.HttpServer<Deno.NetAddr> | undefined;
  try {
    await bundle("mod.ts", `${dir}/core.mjs`);
    await bundle("edge/mod.ts", `${dir}/edge.mjs`);
    const core = await import(`file://${dir}/core.mjs`);
    const edge = await import(`file://${dir}/edge.mjs`);
    const upstream = {
      core,
      edge,
      endpoint: `http://127.0.0.1:${server.addr.port}`,
      apiKey: UPSTREAM_KEY,
    };
    const results = await runStreamUploadScenarios(upstream);
    const { app } = createUploadApp(upstream);
    edgeServer = listen((request) => app.fetch(request));
    results.push(...await runWireScenarios({ url: `http://127.0.0.1:${edgeServer.addr.port}` }));
    assert.deepEqual(
      results.map((r: { name: string }) => r.name),
      [...STREAM_UPLOAD_SCENARIO_NAMES, ...WIRE_SCENARIO_NAMES],
    );
    for (const r of results) {
      await t.step(r.name, () => assert.ok(r.ok, r.error));
    }
  } finally {
    await edgeServer?.shutdown();
    await server.shutdown();
    await Deno.remove(dir, { recursive: true });
  }
});
