import assert from "node:assert/strict";
import { AzureOpenAI } from "../../mod.ts";

const KEY = "0123456789abcdef0123456789abcdef";
const MESSAGES = [{ role: "user", content: "hi" }];

/** A client whose fetch records the URLs it is asked for and answers a chat completion. */
function recording(options: { endpoint?: string; resourceName?: string; apiVersion?: string }) {
  const urls: string[] = [];
  const client = new AzureOpenAI({
    ...options,
    apiKey: KEY,
    maxRetries: 0,
    fetch: (request) => {
      urls.push(request.url);
      return Promise.resolve(Response.json({ object: "chat.completion", choices: [] }));
    },
  });
  return { client, urls };
}

Deno.test("an endpoint pasted with its operation path (the portal's Target URI) is cut at /openai", async () => {
  const pasted = [
    "https://r.openai.azure.com/openai/deployments/gpt-4o/chat/completions",
    "https://r.openai.azure.com/openai/deployments/gpt-4o",
    "https://r.openai.azure.com/openai/deployments/",
    "https://r.openai.azure.com/openai/v1/chat/completions",
    "https://r.openai.azure.com/openai/responses",
  ];
  for (const endpoint of pasted) {
    const { client, urls } = recording({ endpoint });
    assert.equal(client.endpoint, "https://r.openai.azure.com", endpoint);
    await client.chat.completions.create({ model: "gpt-4o", messages: MESSAGES } as never);
    assert.deepEqual(urls, [
      "https://r.openai.azure.com/openai/deployments/gpt-4o/chat/completions?api-version=2024-10-21",
    ]);
  }
});

Deno.test("endpoints users paste: each host and path prefix reaches /openai/ under it", () => {
  const cases: [string, string][] = [
    ["https://r.openai.azure.com/", "https://r.openai.azure.com"],
    ["https://r.openai.azure.com/openai", "https://r.openai.azure.com"],
    ["https://r.openai.azure.com/openai/", "https://r.openai.azure.com"],
    ["https://r.openai.azure.com/openai/v1/", "https://r.openai.azure.com"],
    ["https://r.cognitiveservices.azure.com/", "https://r.cognitiveservices.azure.com"],
    ["https://r.services.ai.azure.com", "https://r.services.ai.azure.com"],
    ["https://my-custom.example.com", "https://my-custom.example.com"],
    // An API Management front door's path prefix is kept, with or without its /openai.
    ["https://apim.example.com/aoai", "https://apim.example.com/aoai"],
    ["https://apim.example.com/aoai/openai/deployments/x", "https://apim.example.com/aoai"],
    // A prefix that only starts like openai is no /openai segment.
    ["https://apim.example.com/openai-proxy/", "https://apim.example.com/openai-proxy"],
    ["http://localhost:8080", "http://localhost:8080"],
    ["http://[::1]:8080/", "http://[::1]:8080"],
    ["https://R.OpenAI.Azure.COM", "https://r.openai.azure.com"],
    ["  https://r.openai.azure.com \n", "https://r.openai.azure.com"],
    ["https://r.openai.azure.com:443", "https://r.openai.azure.com"],
  ];
  for (const [endpoint, normalised] of cases) {
    assert.equal(recording({ endpoint }).client.endpoint, normalised, endpoint);
  }
});

Deno.test("a Target URI with ?api-version is refused with what to pass instead, key-free", () => {
  const target =
    "https://r.openai.azure.com/openai/deployments/gpt-4o/chat/completions?api-version=2025-01-01-preview";
  assert.throws(() => recording({ endpoint: target }), (err: unknown) => {
    assert.ok(err instanceof TypeError);
    assert.match(err.message, /query/);
    assert.match(err.message, /https:\/\/my-res\.openai\.azure\.com/);
    assert.match(err.message, /`apiVersion`/);
    return true;
  });
  assert.throws(
    () => recording({ endpoint: `https://r.openai.azure.com/openai?api-key=${KEY}` }),
    (err: Error) => !err.message.includes(KEY),
  );
});

Deno.test("deployment names: Azure's characters go verbatim, others encoded, never a new path", async () => {
  const cases: [string, string][] = [
    ["gpt-4.1_mini-2", "gpt-4.1_mini-2"],
    ["a/b", "a%2Fb"],
    ["../chat", "..%2Fchat"],
    ["%2e%2e", "%252e%252e"],
    ["a b?c#d", "a%20b%3Fc%23d"],
    ["x".repeat(300), "x".repeat(300)],
  ];
  for (const [name, segment] of cases) {
    const { client, urls } = recording({ endpoint: "https://r.openai.azure.com" });
    await client.chat.completions.create({ model: name, messages: MESSAGES } as never);
    assert.equal(
      new URL(urls[0]).pathname,
      `/openai/deployments/${segment}/chat/completions`,
      name,
    );
  }
});

Deno.test("a deployment named . or .. is refused before any request (it would change the path)", async () => {
  for (const name of [".", ".."]) {
    const { client, urls } = recording({ endpoint: "https://r.openai.azure.com" });
    await assert.rejects(
      client.chat.completions.create({ model: name, messages: MESSAGES } as never),
      (err: unknown) => err instanceof TypeError && /deployment/.test(err.message),
    );
    await assert.rejects(
      client.request({ path: "embeddings", deployment: name, json: { input: "x" } }),
      (err: unknown) => err instanceof TypeError && /deployment/.test(err.message),
    );
    // The client's own deployment too.
    const withDefault = new AzureOpenAI({
      endpoint: "https://r.openai.azure.com",
      apiKey: KEY,
      deployment: name,
      fetch: (request) => (urls.push(request.url), Promise.resolve(new Response("{}"))),
    });
    await assert.rejects(
      withDefault.embeddings.create({ input: "x" } as never),
      (err: unknown) => err instanceof TypeError && /deployment/.test(err.message),
    );
    assert.deepEqual(urls, []);
  }
  // On the v1 API too (the name goes in the body there): no deployment can have that name.
  const { client, urls } = recording({ endpoint: "https://r.openai.azure.com", apiVersion: "v1" });
  await assert.rejects(
    client.chat.completions.create({ model: "..", messages: MESSAGES } as never),
    TypeError,
  );
  assert.deepEqual(urls, []);
});

Deno.test("v1 preview routes are reachable through request() with api-version=preview in the path", async () => {
  const { client, urls } = recording({ endpoint: "https://r.openai.azure.com", apiVersion: "v1" });
  await client.request({ path: "responses?api-version=preview", json: { model: "gpt-4.1" } });
  assert.deepEqual(urls, ["https://r.openai.azure.com/openai/v1/responses?api-version=preview"]);
});

Deno.test("an api-version holding a key (swapped settings) is refused without quoting it", async () => {
  const { client } = recording({ endpoint: "https://r.openai.azure.com" });
  const other = "fedcba9876543210fedcba9876543210";
  for (const apiVersion of [KEY, other, ` ${other}`]) {
    assert.throws(
      () => new AzureOpenAI({ endpoint: "https://r.openai.azure.com", apiKey: other, apiVersion }),
      (err: Error) =>
        err instanceof TypeError && /apiVersion/.test(err.message) &&
        !err.message.includes("fedcba98"),
    );
    await assert.rejects(
      client.embeddings.create({ model: "e", input: "x" }, { apiVersion }),
      (err: Error) =>
        err instanceof TypeError && /apiVersion/.test(err.message) &&
        !err.message.includes("fedcba98"),
    );
  }
  // A short mistyped version is still quoted, whitespace and all.
  assert.throws(
    () => recording({ endpoint: "https://r.openai.azure.com", apiVersion: "2024-10-21 " }),
    /got "2024-10-21 "/,
  );
});
