import assert from "node:assert/strict";
import { createEmulator } from "../../src/emulator/mod.ts";
import { assertResourceNotFound, BASE, call, pathsOf } from "./_version_paths.ts";

const SPEECH = { input: "Hi! What are you going to make?", voice: "fable", response_format: "mp3" };

Deno.test("speech answers 404 Resource not found on api-versions whose document has no /audio/speech", async () => {
  const path = "/deployments/{deployment-id}/audio/speech";
  assert.ok(pathsOf("2024-05-01-preview").includes(path));
  assert.ok(!pathsOf("2024-10-21").includes(path));
  assert.ok(!pathsOf("2024-02-01").includes(path));
  const e = createEmulator();
  for (const version of ["2024-10-21", "2024-02-01", "2024-06-01", "2023-12-01-preview"]) {
    const res = await call(e, "/deployments/tts/audio/speech", version, { body: SPEECH });
    await assertResourceNotFound(res, version);
  }
  for (const version of ["2024-02-15-preview", "2024-05-01-preview", "2025-04-01-preview"]) {
    const res = await call(e, "/deployments/tts/audio/speech", version, { body: SPEECH });
    assert.equal(res.status, 200, version);
    assert.equal(res.headers.get("content-type"), "audio/mpeg");
    await res.body?.cancel();
  }
  // An unknown version is still refused as such, before the path is looked at.
  const unknown = await call(e, "/deployments/tts/audio/speech", "1999-01-01", { body: SPEECH });
  assert.equal(unknown.status, 400);
  assert.equal((await unknown.json()).error.param, "api-version");
  // The v1 API has speech (no api-version).
  const v1 = await e.fetch(`${BASE}/openai/v1/audio/speech`, {
    method: "POST",
    headers: { "api-key": e.apiKey, "content-type": "application/json" },
    body: JSON.stringify({ ...SPEECH, model: "tts" }),
  });
  assert.equal(v1.status, 200);
  await v1.body?.cancel();
});
