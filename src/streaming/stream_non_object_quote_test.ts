// An event that is no JSON object is quoted in the error, cut to its first 120 characters (the
// body of a misconfigured endpoint can be long).
import assert from "node:assert/strict";
import { AzureOpenAIError } from "../errors/mod.ts";
import { Stream } from "./stream.ts";
import { sseResponse } from "./_test_helpers.ts";

Deno.test("Stream quotes the first 120 characters of an event that is not a JSON object", async () => {
  const data = JSON.stringify("x".repeat(300));
  const error = await (async () => {
    try {
      for await (const _ of new Stream(sseResponse(`data: ${data}\n\n`)));
    } catch (e) {
      return e;
    }
  })();
  assert.ok(error instanceof AzureOpenAIError, String(error));
  assert.ok(error.message.includes(`object (${data.slice(0, 120)}); check`), error.message);
});
