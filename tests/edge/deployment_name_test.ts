import assert from "node:assert/strict";
import { azurePath, errorOf, testApp } from "./_helpers.ts";

for (const model of [".", ".."]) {
  Deno.test(
    `app refuses the dot-segment deployment ${JSON.stringify(model)} before anything goes upstream`,
    async () => {
      const t = testApp();
      const res = await t.call("/v1/embeddings", { json: { model, input: "x" } });
      assert.equal(res.status, 404);
      assert.equal((await errorOf(res)).code, "DeploymentNotFound");
      assert.deepEqual(t.upstream, []);
    },
  );
}

Deno.test("app still forwards a deployment name that only contains dots among other characters", async () => {
  const t = testApp({
    emulator: { deployments: [{ name: "my.model..v2", model: "text-embedding-3-small" }] },
  });
  const res = await t.call(azurePath("my.model..v2", "embeddings"), { json: { input: "x" } });
  assert.equal(res.status, 200);
  await res.body?.cancel();
  assert.deepEqual(t.upstream, [
    "POST /openai/deployments/my.model..v2/embeddings?api-version=2024-10-21",
  ]);
});
