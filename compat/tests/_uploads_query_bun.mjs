// Runtime matrix, Bun: _uploads_query_scenarios.mjs with the bundled core against the emulator
// bundle served by Bun.serve on 127.0.0.1 (random port), the fs.ReadStream uploads included.
// Prints one TAP line per scenario ("ok N - name" or "not ok N - name # error") and "1..N";
// exits 1 when any failed. Spawned by runtime_bun_uploads_query.test.mjs; by hand:
// `node_modules/.bin/bun tests/_uploads_query_bun.mjs` from compat/ (after sh build.sh &&
// sh build_runtime.sh).
import { createReadStream } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as core from "../.build/core.mjs";
import { createEmulator } from "../.build/emulator.mjs";
import { createHandler, MATRIX_WAV, runUploadQueryScenarios } from "./_uploads_query_scenarios.mjs";
import { printTap } from "../runtime/tap.mjs";

const dir = await mkdtemp(join(tmpdir(), "aoai-matrix-"));
const path = join(dir, "matrix.wav");
await writeFile(path, MATRIX_WAV);
const server = Bun.serve({ port: 0, hostname: "127.0.0.1", fetch: createHandler(createEmulator) });
let failed = 0;
try {
  const results = await runUploadQueryScenarios({
    core,
    endpoint: `http://127.0.0.1:${server.port}`,
    readStream: () => createReadStream(path, { highWaterMark: 4096 }),
  });
  failed = printTap(results);
} finally {
  server.stop(true);
  await rm(dir, { recursive: true, force: true });
}
process.exit(failed === 0 ? 0 : 1);
