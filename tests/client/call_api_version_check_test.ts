import assert from "node:assert/strict";
import { AzureOpenAI } from "../../mod.ts";

const PARAMS = { model: "gpt-4o", messages: [{ role: "user" as const, content: "hi" }] };

Deno.test("a call's own apiVersion is checked before any request: a bad one is a TypeError naming the call", async () => {
  let fetched = 0;
  const client = new AzureOpenAI({
    endpoint: "http://stub.local",
    apiKey: "k",
    maxRetries: 0,
    fetch: () => (fetched++, Promise.resolve(Response.json({}))),
  });
  for (const apiVersion of ["latest", "", 20241021]) {
    await assert.rejects(
      // deno-lint-ignore no-explicit-any
      client.chat.completions.create(PARAMS, { apiVersion: apiVersion as any }),
      (err: Error) =>
        err instanceof TypeError &&
        /^chat\.completions\.create: apiVersion must look like .*; got /.test(err.message),
    );
  }
  assert.equal(fetched, 0);
});
