import assert from "node:assert/strict";
import { normaliseEndpoint } from "./url.ts";

Deno.test("normaliseEndpoint() refuses an endpoint with only a query, or only a password", () => {
  for (
    const endpoint of [
      "https://r.openai.azure.com/?api-version=2024-10-21",
      "https://r.openai.azure.com?api-key=k3y",
      "https://:pa55@r.openai.azure.com",
    ]
  ) {
    assert.throws(
      () => normaliseEndpoint(endpoint, undefined),
      (err: unknown) =>
        err instanceof TypeError && /not a valid URL/.test(err.message) &&
        !/k3y|pa55/.test(err.message),
      endpoint,
    );
  }
});
