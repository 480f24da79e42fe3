/**
 * Runtime matrix, Deno: compat/tests/_uploads_query_scenarios.mjs (audio uploads from a fetched
 * Response, `new Response(bytes)`, an async generator, toFile() and a node:fs ReadStream;
 * defaultQuery with a call's query; withOptions({ defaultHeaders })), the scenarios Node, Bun,
 * workerd and Chromium run, with the core from ../mod.ts against the emulator served by
 * `Deno.serve` on 127.0.0.1.
 */
import assert from "node:assert/strict";
import { createReadStream } from "node:fs";
import * as core from "../mod.ts";
import { createEmulator } from "../src/emulator/mod.ts";
import {
  createHandler,
  MATRIX_WAV,
  runUploadQueryScenarios,
  uploadQueryScenarioNames,
} from "../compat/tests/_uploads_query_scenarios.mjs";
import type { ScenarioResult } from "./helpers/scenarios.d.ts";

Deno.test("deno: the core passes the upload and query scenarios", async (t) => {
  const dir = await Deno.makeTempDir();
  const path = `${dir}/matrix.wav`;
  await Deno.writeFile(path, MATRIX_WAV);
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen() {} },
    createHandler(createEmulator),
  );
  try {
    const results = await runUploadQueryScenarios({
      core,
      endpoint: `http://127.0.0.1:${server.addr.port}`,
      readStream: () => createReadStream(path, { highWaterMark: 4096 }),
    }) as ScenarioResult[];
    assert.deepEqual(results.map((r) => r.name), uploadQueryScenarioNames(true));
    for (const r of results) {
      await t.step(r.name, () => assert.ok(r.ok, r.error));
    }
  } finally {
    await server.shutdown();
    await Deno.remove(dir, { recursive: true });
  }
});
