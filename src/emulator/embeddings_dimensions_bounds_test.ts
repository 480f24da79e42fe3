import assert from "node:assert/strict";
import { createEmulator } from "./emulator.ts";
import { post } from "./_testing.ts";

const PATH = "/openai/deployments/text-embedding-3-small/embeddings";

/** The vector length answered for `fields`, or `400 code param`. */
async function answer(fields: Record<string, unknown>): Promise<string> {
  const res = await post(createEmulator(), PATH, { input: "hi", ...fields });
  const body = await res.json();
  return res.status === 200
    ? String(body.data[0].embedding.length)
    : `${res.status} ${body.error.code} ${body.error.param}`;
}

Deno.test("dimensions takes whole numbers from 1 to the model's length; 0, 1.5 and 1537 are refused", async () => {
  assert.equal(await answer({ dimensions: 1 }), "1");
  assert.equal(await answer({ dimensions: 1536 }), "1536");
  for (const dimensions of [0, 1.5, 1537, -3]) {
    assert.equal(await answer({ dimensions }), "400 invalid_value dimensions", String(dimensions));
  }
});

Deno.test("user, input_type or encoding_format of the wrong type or value are refused", async () => {
  assert.equal(await answer({ encoding_format: "hex" }), "400 invalid_value encoding_format");
  assert.equal(await answer({ user: 5 }), "400 invalid_type user");
  assert.equal(await answer({ input_type: 5 }), "400 invalid_type input_type");
});
