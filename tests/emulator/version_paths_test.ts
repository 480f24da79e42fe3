import assert from "node:assert/strict";
import { createEmulator } from "../../src/emulator/mod.ts";
import type { SpecVersion } from "../helpers/spec_schema.ts";
import { assertResourceNotFound, call, pathsOf } from "./_version_paths.ts";

Deno.test("DALL-E 2 operations answer 404 Resource not found on api-versions whose document lacks them", async () => {
  for (const version of ["2024-10-21", "2024-02-01", "2024-05-01-preview"] as SpecVersion[]) {
    const paths = pathsOf(version);
    assert.ok(!paths.some((p) => p.includes(":submit") || p.startsWith("/operations/")), version);
  }
  const e = createEmulator({ operationPolls: 0 });
  for (
    const version of ["2024-10-21", "2024-02-01", "2024-05-01-preview", "2023-12-01-preview"]
  ) {
    const submit = await call(e, "/images/generations:submit", version, { body: { prompt: "x" } });
    await assertResourceNotFound(submit, `submit ${version}`);
  }
  // An operation submitted on a version that has it can't be polled or deleted on one that lacks it.
  const submitted = await call(e, "/images/generations:submit", "2023-06-01-preview", {
    body: { prompt: "x" },
  });
  assert.equal(submitted.status, 202);
  const { id } = await submitted.json();
  for (const method of ["GET", "DELETE"]) {
    const res = await call(e, `/operations/images/${id}`, "2024-10-21", { method });
    await assertResourceNotFound(res, `${method} 2024-10-21`);
  }
  const poll = await call(e, `/operations/images/${id}`, "2023-09-01-preview", { method: "GET" });
  assert.equal(poll.status, 200);
  assert.equal((await poll.json()).status, "succeeded");
});
