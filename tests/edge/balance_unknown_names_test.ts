// Round-robin keeps its turns per deployment name, for at most 1 000 names: names no upstream
// has (a client's typos, or one sending made-up names on purpose) must not push the turns of the
// deployments in use out, which sent every request to the first upstream of the cycle again.
import assert from "node:assert/strict";
import { azurePath } from "./_helpers.ts";
import { balancedApp } from "./_balance.ts";

Deno.test("round-robin: deployment names every upstream answers 404 for do not take the turns of those in use", async () => {
  const b = balancedApp(2, { upstreamBalance: "round-robin" });
  const embed = async () => {
    const { res, upstream } = await b.call(azurePath("text-embedding-3-small", "embeddings"), {
      input: "q",
    });
    assert.equal(res.status, 200);
    return upstream;
  };
  assert.equal(await embed(), "0");
  for (let i = 0; i < 1_000; i++) {
    const { res } = await b.call(azurePath(`no-such-deployment-${i}`, "embeddings"), {
      input: "q",
    });
    assert.equal(res.status, 404);
  }
  assert.equal(await embed(), "1", "the embeddings deployment's next turn");
  assert.equal(await embed(), "0");
});
