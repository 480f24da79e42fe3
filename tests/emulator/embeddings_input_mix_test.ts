/**
 * Embeddings `input` is one of string, string[], integer[] or integer[][] (the openai SDK's
 * EmbeddingCreateParams.input: `string | Array<string> | Array<number> | Array<Array<number>>`;
 * the stored documents take only the first two). An array mixing texts and token arrays fits none
 * of them: the service answers 400 naming `input`; the emulator embedded each item.
 *
 * @module
 */
import assert from "node:assert/strict";
import { createEmulator } from "../../src/emulator/mod.ts";
import { post } from "../../src/emulator/_testing.ts";

const PATH = "/openai/deployments/text-embedding-3-small/embeddings";

Deno.test("embeddings answers 400 naming input for an array mixing texts and token arrays", async () => {
  const e = createEmulator();
  for (const apiVersion of ["2024-12-01-preview", null]) {
    const path = apiVersion === null ? "/openai/v1/embeddings" : PATH;
    for (const input of [["hello", [1, 2]], [[1, 2], "hello"]]) {
      const res = await post(e, path, { model: "text-embedding-3-small", input }, { apiVersion });
      assert.equal(res.status, 400, JSON.stringify(input));
      const { error } = await res.json();
      assert.equal(error.param, "input");
      assert.equal(error.type, "invalid_request_error");
    }
    // Each of the four forms alone still works.
    for (const input of ["a", ["a", "b"], [1, 2], [[1], [2, 3]]]) {
      const res = await post(e, path, { model: "text-embedding-3-small", input }, { apiVersion });
      assert.equal(res.status, 200, JSON.stringify(input));
      await res.body?.cancel();
    }
  }
});
