// SDK switch of client.withOptions() (README.md, "Switching from the openai SDK"): ours keeps the
// client's apiVersion, the openai SDK's AzureOpenAI drops it and, without OPENAI_API_VERSION set,
// throws; given a credential of another kind or an endpoint, ours replaces the inherited one, the
// SDK's fails as two. Run with `sh compat/run.sh`.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as openai from "openai";
import * as ours from "../.build/core.mjs";

const base = {
  endpoint: "https://switch-res.openai.azure.com",
  apiKey: "with-options-key",
  apiVersion: "2024-06-01",
};
const token = () => Promise.resolve("with-options-token");

test("withOptions(): ours keeps apiVersion, the SDK's AzureOpenAI throws without OPENAI_API_VERSION", () => {
  const saved = process.env.OPENAI_API_VERSION;
  delete process.env.OPENAI_API_VERSION;
  try {
    assert.throws(
      () => new openai.AzureOpenAI(base).withOptions({ timeout: 5_000 }),
      /OPENAI_API_VERSION/,
    );
    assert.equal(
      new ours.AzureOpenAI(base).withOptions({ timeout: 5_000 }).apiVersion,
      "2024-06-01",
    );
  } finally {
    if (saved !== undefined) process.env.OPENAI_API_VERSION = saved;
  }
});

test("withOptions(): a token provider or an endpoint replaces the inherited one in ours; the SDK's fails as two", () => {
  const { apiVersion } = base;
  const sdk = new openai.AzureOpenAI(base);
  assert.throws(() => sdk.withOptions({ apiVersion, azureADTokenProvider: token }), /exclusive/);
  assert.throws(
    () => sdk.withOptions({ apiVersion, endpoint: "https://other.openai.azure.com" }),
    /exclusive/,
  );
  const edge = new ours.AzureOpenAI(base);
  assert.ok(edge.withOptions({ azureADTokenProvider: token }) instanceof ours.AzureOpenAI);
  assert.equal(
    edge.withOptions({ endpoint: "https://other.openai.azure.com" }).endpoint,
    "https://other.openai.azure.com",
  );
});
