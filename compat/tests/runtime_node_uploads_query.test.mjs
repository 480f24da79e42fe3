// Runtime matrix, Node: _uploads_query_scenarios.mjs (uploads from a Response, an async
// generator, toFile() and an fs.ReadStream; defaultQuery / query; withOptions({ defaultHeaders }))
// with the bundled core against the emulator bundle served by node:http on 127.0.0.1.
// Run: `cd compat && sh build.sh && sh build_runtime.sh && node --test
// tests/runtime_node_uploads_query.test.mjs`.
import { after, before } from "node:test";
import { createReadStream } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as core from "../.build/core.mjs";
import { createEmulator } from "../.build/emulator.mjs";
import {
  createHandler,
  MATRIX_WAV,
  runUploadQueryScenarios,
  uploadQueryScenarioNames,
} from "./_uploads_query_scenarios.mjs";
import { serve } from "./_serve.mjs";
import { scenarioTests } from "./_matrix.mjs";

let server;
let dir;
let results;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), "aoai-matrix-"));
  const path = join(dir, "matrix.wav");
  await writeFile(path, MATRIX_WAV);
  server = await serve(createHandler(createEmulator));
  results = await runUploadQueryScenarios({
    core,
    endpoint: server.url,
    readStream: () => createReadStream(path, { highWaterMark: 4096 }),
  });
});

after(async () => {
  await server?.close();
  await rm(dir, { recursive: true, force: true });
});

scenarioTests(`node ${process.version}`, uploadQueryScenarioNames(true), () => results);
