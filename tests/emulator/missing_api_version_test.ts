/**
 * A request without `api-version` on a path that needs one: Azure answers 404
 * `{ error: { code: "404", message: "Resource not found" } }` (MicrosoftDocs/azure-docs#114602
 * "Azure OpenAI Chat completions API returns 404 if api-version is not present as query param";
 * the same body is quoted in ThinkInAIXYZ/deepchat#262), while an api-version it does not know is a
 * 400 "API version not supported".
 *
 * @module
 */
import assert from "node:assert/strict";
import { createEmulator } from "../../src/emulator/mod.ts";
import { assertResourceNotFound, BASE } from "./_version_paths.ts";

Deno.test("a deployment or image-operation path without api-version answers 404 Resource not found", async () => {
  const e = createEmulator();
  const cases: [string, string, unknown][] = [
    ["POST", "/openai/deployments/gpt-4o/chat/completions", {
      messages: [{ role: "user", content: "hi" }],
    }],
    ["POST", "/openai/deployments/text-embedding-3-small/embeddings", { input: "hi" }],
    ["POST", "/openai/deployments/dall-e-3/images/generations", { prompt: "a cat" }],
    ["POST", "/openai/images/generations:submit", { prompt: "a cat" }],
    ["GET", "/openai/operations/images/some-id", undefined],
  ];
  for (const [method, path, body] of cases) {
    for (const query of ["", "?api-version=", "?other=1"]) {
      const res = await e.fetch(`${BASE}${path}${query}`, {
        method,
        headers: { "api-key": e.apiKey, "content-type": "application/json" },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      await assertResourceNotFound(res, `${method} ${path}${query}`);
    }
  }
  // An unknown version stays a 400 naming it.
  const unknown = await e.fetch(
    `${BASE}/openai/deployments/gpt-4o/chat/completions?api-version=2099-01-01`,
    {
      method: "POST",
      headers: { "api-key": e.apiKey, "content-type": "application/json" },
      body: JSON.stringify({ messages: [{ role: "user", content: "hi" }] }),
    },
  );
  assert.equal(unknown.status, 400);
  assert.match((await unknown.json()).error.message, /API version not supported/);
  // The v1 API takes no api-version.
  const v1 = await e.fetch(`${BASE}/openai/v1/embeddings`, {
    method: "POST",
    headers: { "api-key": e.apiKey, "content-type": "application/json" },
    body: JSON.stringify({ model: "text-embedding-3-small", input: "hi" }),
  });
  assert.equal(v1.status, 200);
  await v1.body?.cancel();
});
