// An operation-location whose id is not valid percent-encoding: the service did create the
// operation, so submit() must not fail with a bare URIError (the operation would be lost). The id
// is kept as it was sent, and generateAndWait() polls the operation-location URL as given.
import assert from "node:assert/strict";
import { AzureOpenAI } from "../../mod.ts";

const LOCATION =
  "https://r.openai.azure.com/openai/operations/images/%E0%A4%A?api-version=2023-06-01-preview";

function client(polled: string[]) {
  return new AzureOpenAI({
    endpoint: "https://r.openai.azure.com",
    apiKey: "sk-image-bad-percent-key-1234",
    fetch: (input, init) => {
      const request = new Request(input, init);
      if (request.method === "POST") {
        return Promise.resolve(
          Response.json({ status: "notRunning" }, {
            status: 202,
            headers: { "operation-location": LOCATION, "retry-after": "0" },
          }),
        );
      }
      polled.push(request.url);
      return Promise.resolve(Response.json({
        id: "x",
        created: 7,
        status: "succeeded",
        result: { data: [{ url: "https://img.example/0.png" }] },
      }));
    },
  });
}

Deno.test("images.submit() keeps a malformed percent-encoded operation id as sent instead of throwing URIError", async () => {
  const res = await client([]).images.submit({ prompt: "x" });
  assert.equal(res.id, "%E0%A4%A");
});

Deno.test("images.generateAndWait() with a malformed percent-encoded operation id polls operation-location as given", async () => {
  const polled: string[] = [];
  const res = await client(polled).images.generateAndWait({ prompt: "x" });
  assert.deepEqual(res, { created: 7, data: [{ url: "https://img.example/0.png" }] });
  assert.deepEqual(polled, [LOCATION]);
});
