import assert from "node:assert/strict";
import { AzureOpenAI } from "../../mod.ts";

const json = (body: unknown, status = 200, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json", ...headers },
  });

Deno.test("resourceName is lower-cased into the endpoint, as a URL's host is", () => {
  const client = new AzureOpenAI({ resourceName: "My-Res1", apiKey: "k" });
  assert.equal(client.endpoint, "https://my-res1.openai.azure.com");
  // The same resource given as an endpoint gives the same client endpoint.
  const byEndpoint = new AzureOpenAI({ endpoint: "https://My-Res1.openai.azure.com", apiKey: "k" });
  assert.equal(client.endpoint, byEndpoint.endpoint);
});

Deno.test("generateAndWait() polls the operation-location the service names for a mixed-case resourceName", async () => {
  const seen: string[] = [];
  const fetch = (input: Request | URL | string, init?: RequestInit) => {
    const req = new Request(input, init);
    seen.push(`${req.method} ${req.url}`);
    if (req.method === "POST") {
      // The service answers with its host name, lower case.
      return Promise.resolve(json({ id: "op-1", status: "notRunning" }, 202, {
        "operation-location":
          "https://my-res.openai.azure.com/openai/operations/images/op-1?api-version=2023-06-01-preview&from=location",
        "retry-after": "0",
      }));
    }
    return Promise.resolve(json({
      id: "op-1",
      created: 1,
      status: "succeeded",
      result: { created: 1, data: [{ url: "https://img/1.png" }] },
    }));
  };
  const client = new AzureOpenAI({ resourceName: "My-Res", apiKey: "k", fetch });
  const result = await client.images.generateAndWait({ prompt: "a lighthouse" });
  assert.deepEqual(result, { created: 1, data: [{ url: "https://img/1.png" }] });
  assert.equal(seen.length, 2);
  assert.equal(
    seen[1],
    "GET https://my-res.openai.azure.com/openai/operations/images/op-1?api-version=2023-06-01-preview&from=location",
  );
});

Deno.test("a resourceName that is not a host label is refused with a TypeError saying what to pass", () => {
  for (
    const resourceName of [
      "",
      "my.res",
      "my-res.openai.azure.com",
      "my/res",
      "my res",
      " my-res",
      "my-res\n",
      "-my-res",
      "https://my-res",
    ]
  ) {
    assert.throws(
      () => new AzureOpenAI({ resourceName, apiKey: "k" }),
      (err: unknown) =>
        err instanceof TypeError &&
        /`resourceName` must be a resource name like "my-res"/.test(err.message),
      JSON.stringify(resourceName),
    );
  }
});
