import assert from "node:assert/strict";
import { buildUrl, normaliseEndpoint } from "./url.ts";

Deno.test("buildUrl() builds deployment, resource and v1 URLs", () => {
  const endpoint = "https://r.openai.azure.com";
  assert.equal(
    buildUrl(endpoint, "2024-10-21", "deployment", "chat/completions", "a b"),
    "https://r.openai.azure.com/openai/deployments/a%20b/chat/completions?api-version=2024-10-21",
  );
  assert.equal(
    buildUrl(endpoint, "2024-10-21", "resource", "operations/images/1?x=1"),
    "https://r.openai.azure.com/openai/operations/images/1?x=1&api-version=2024-10-21",
  );
  assert.equal(
    buildUrl(endpoint, "v1", "deployment", "models", "d"),
    "https://r.openai.azure.com/openai/v1/models",
  );
});

Deno.test("buildUrl() refuses a deployment that is a dot segment", () => {
  for (const d of [".", ".."]) {
    assert.throws(
      () => buildUrl("https://r", "2024-10-21", "deployment", "embeddings", d),
      /^TypeError: AzureOpenAI: "\.\.?" is not a deployment name$/,
    );
  }
  assert.equal(
    buildUrl("https://r", "2024-10-21", "deployment", "embeddings", "..."),
    "https://r/openai/deployments/.../embeddings?api-version=2024-10-21",
  );
});

Deno.test("normaliseEndpoint() accepts endpoints and resource names and refuses the rest", () => {
  assert.equal(
    normaliseEndpoint("https://r.openai.azure.com/openai/v1/", undefined),
    "https://r.openai.azure.com",
  );
  assert.equal(normaliseEndpoint("http://127.0.0.1:8/p//", undefined), "http://127.0.0.1:8/p");
  assert.equal(
    normaliseEndpoint("https://a.example/p/openai/deployments/d/chat/completions", undefined),
    "https://a.example/p",
  );
  assert.equal(
    normaliseEndpoint("https://a.example/openaix/", undefined),
    "https://a.example/openaix",
  );
  assert.equal(normaliseEndpoint(undefined, "My-Res1"), "https://my-res1.openai.azure.com");
  const bad: [unknown, unknown, RegExp][] = [
    [undefined, undefined, /set `endpoint`.*`resourceName`/],
    ["", undefined, /set `endpoint`/],
    ["https://r", "r", /either/],
    [undefined, 123, /resource name/],
    [undefined, "-r", /resource name/],
    [undefined, "r.openai.azure.com", /resource name/],
    [123, undefined, /not a valid URL/],
    ["https://u:p@r.openai.azure.com", undefined, /credentials/],
    ["https://r.openai.azure.com#x", undefined, /fragment/],
    ["ws://r", undefined, /https:\/\//],
  ];
  for (const [endpoint, resourceName, message] of bad) {
    assert.throws(() => normaliseEndpoint(endpoint, resourceName), (err: unknown) => {
      assert.ok(err instanceof TypeError);
      assert.match(err.message, /^AzureOpenAI: /);
      assert.match(err.message, message);
      assert.ok(!err.message.includes("u:p"));
      return true;
    });
  }
});

Deno.test("buildUrl() keeps a path's own api-version instead of sending a second one", () => {
  const endpoint = "https://r.openai.azure.com";
  assert.equal(
    buildUrl(endpoint, "2024-10-21", "resource", "models?api-version=2024-12-01-preview"),
    `${endpoint}/openai/models?api-version=2024-12-01-preview`,
  );
  assert.equal(
    buildUrl(endpoint, "2024-10-21", "resource", "batches?limit=2&api-version=2025-04-01-preview"),
    `${endpoint}/openai/batches?limit=2&api-version=2025-04-01-preview`,
  );
  // Another parameter merely ending in api-version is no api-version.
  assert.equal(
    buildUrl(endpoint, "2024-10-21", "resource", "x?my-api-version=1"),
    `${endpoint}/openai/x?my-api-version=1&api-version=2024-10-21`,
  );
});
