// createEdgeApp's number options quoted any string of up to 20 characters they refused: a client
// key (8 characters or more) pasted into maxJsonBytes or a TTL was shown in full. Only a string
// that reads as a number ("30000", " 1e6 ") is quoted now; any other is masked.
import assert from "node:assert/strict";
import { createEdgeApp } from "../../edge/mod.ts";

const CLIENT_KEY = "edge-k3y-Xy91";

function messageOf(options: Record<string, unknown>): string {
  try {
    createEdgeApp({
      upstream: { endpoint: "https://my-res.openai.azure.com", apiKey: "k" },
      clientKeys: [CLIENT_KEY],
      ...options,
    });
  } catch (err) {
    assert.ok(err instanceof TypeError);
    return err.message;
  }
  throw new Error("accepted");
}

Deno.test("a short client key pasted into a number option is not quoted in the error", () => {
  for (const name of ["maxJsonBytes", "maxMultipartBytes", "embeddingsTtlSeconds"]) {
    for (const value of [CLIENT_KEY, "s3cr3t-pw", "12345678-x"]) {
      const message = messageOf({ [name]: value });
      assert.ok(!message.includes(value), message);
      assert.match(message, new RegExp(`${name} must be a positive integer; got "\\*\\*\\*"$`));
    }
  }
});

Deno.test("a string that reads as a number is still quoted", () => {
  for (const value of ["30000", " 1e6 ", "-1", "1.5", "1_000"]) {
    assert.ok(messageOf({ maxJsonBytes: value }).endsWith(`got ${JSON.stringify(value)}`), value);
  }
});
