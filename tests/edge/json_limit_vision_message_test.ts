// A chat body over the JSON limit is most often an image sent as a data: URL: the 413 says what
// to send instead (it advised splitting inputs into batches, which only fits embeddings).
import assert from "node:assert/strict";
import { azurePath, errorOf, testApp } from "./_helpers.ts";

Deno.test("edge app: a chat body with a data: URL over maxJsonBytes gets a 413 advising an https URL or a higher limit", async () => {
  const t = testApp({ maxJsonBytes: 4096 });
  const res = await t.call(azurePath("gpt-4o", "chat/completions"), {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      messages: [{
        role: "user",
        content: [{
          type: "image_url",
          image_url: { url: `data:image/png;base64,${"A".repeat(8192)}` },
        }],
      }],
    }),
  });
  assert.equal(res.status, 413);
  const error = await errorOf(res);
  assert.equal(error.code, "request_too_large");
  assert.match(error.message, /an image as an https URL rather than a data: URL/);
  assert.match(error.message, /fewer inputs per embeddings batch/);
  assert.match(error.message, /AOAI_EDGE_MAX_JSON_BYTES/);
  assert.deepEqual(t.upstream, []);
});
