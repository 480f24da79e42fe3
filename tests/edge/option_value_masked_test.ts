// createEdgeApp's number options (maxJsonBytes, TTLs, ...) refuse a bad value without quoting a
// long one: a key pasted into the wrong option must not end up in an error (or the logs that
// print it). A short string is quoted, so "30000" from an env variable reads as a string.
import assert from "node:assert/strict";
import { createEdgeApp } from "../../edge/mod.ts";

const AZURE_KEY = "0123456789abcdef0123456789abcdef";

function errorOf(options: Record<string, unknown>): Error {
  try {
    createEdgeApp({
      upstream: { endpoint: "https://my-res.openai.azure.com", apiKey: "k" },
      clientKeys: ["a-long-client-key"],
      ...options,
    });
  } catch (err) {
    return err as Error;
  }
  throw new Error("accepted");
}

Deno.test("a key pasted into a number option of createEdgeApp is not quoted in the error", () => {
  for (const name of ["maxJsonBytes", "maxMultipartBytes", "embeddingsTtlSeconds"]) {
    const err = errorOf({ [name]: AZURE_KEY });
    assert.ok(err instanceof TypeError, name);
    assert.ok(!err.message.includes(AZURE_KEY), err.message);
    assert.match(err.message, new RegExp(`${name} must be a positive integer`));
  }
});

Deno.test("a short string in a number option is quoted, a number shown as it is", () => {
  assert.match(errorOf({ maxJsonBytes: "30000" }).message, /got "30000"/);
  assert.match(errorOf({ maxJsonBytes: -1 }).message, /got -1$/);
});
