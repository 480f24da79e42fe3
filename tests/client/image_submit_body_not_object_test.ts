// A submit answer whose JSON body is no object (`null`, a string: a gateway's) is read as an empty
// body: the id comes from operation-location, and with none there either it is the typed "no
// operation id" error; never a TypeError from setting `id` on it.
import assert from "node:assert/strict";
import { AzureOpenAI, AzureOpenAIError } from "../../mod.ts";

function client(body: string, location?: string) {
  return new AzureOpenAI({
    endpoint: "https://r.openai.azure.com",
    apiKey: "sk-image-submit-body-key-1234",
    fetch: () =>
      Promise.resolve(
        new Response(body, {
          status: 202,
          headers: {
            "content-type": "application/json",
            "apim-request-id": "req-b",
            ...location && { "operation-location": location },
          },
        }),
      ),
  });
}

Deno.test("images.submit() answered 202 with a null or string body and an operation-location resolves to { id }", async () => {
  for (const body of ["null", '"accepted"']) {
    const res = await client(
      body,
      "https://r.openai.azure.com/openai/operations/images/op-n?api-version=2023-06-01-preview",
    ).images.submit({ prompt: "x" });
    assert.equal(res.id, "op-n", body);
  }
});

Deno.test("images.submit() answered 202 with a null or string body and no operation-location rejects with AzureOpenAIError", async () => {
  for (const body of ["null", '"accepted"']) {
    await assert.rejects(client(body).images.submit({ prompt: "x" }), (err: unknown) => {
      assert.ok(err instanceof AzureOpenAIError, `${body}: ${err}`);
      assert.equal(err.requestId, "req-b");
      assert.match(err.message, /no operation id or operation-location/);
      return true;
    });
  }
});
