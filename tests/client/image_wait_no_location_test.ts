// A 202 from images/generations:submit with an `id` but no `operation-location` header (a gateway
// that drops it): generateAndWait() polls the operation by its id under the client's endpoint,
// not a URL made of the missing header. (Mutation testing: `location && new URL(...)` read as
// `||` polled "<endpoint>/null" and no test noticed.)
import assert from "node:assert/strict";
import { AzureOpenAI } from "../../mod.ts";

Deno.test("images.generateAndWait() with no operation-location polls operations/images/{id} under the endpoint", async () => {
  const polled: string[] = [];
  const client = new AzureOpenAI({
    endpoint: "https://r.openai.azure.com",
    apiKey: "sk-image-no-location-key-1234",
    fetch: (input, init) => {
      const request = new Request(input, init);
      if (request.method === "POST") {
        return Promise.resolve(
          Response.json({ id: "op-l", status: "notRunning" }, {
            status: 202,
            headers: { "retry-after": "0" },
          }),
        );
      }
      polled.push(request.url);
      return Promise.resolve(Response.json({
        id: "op-l",
        created: 7,
        status: "succeeded",
        result: { data: [{ url: "https://img.example/0.png" }] },
      }));
    },
  });
  const res = await client.images.generateAndWait({ prompt: "x" });
  assert.deepEqual(res, { created: 7, data: [{ url: "https://img.example/0.png" }] });
  assert.deepEqual(polled, [
    "https://r.openai.azure.com/openai/operations/images/op-l?api-version=2023-06-01-preview",
  ]);
});
