// AOAI_EDGE_UPSTREAM_BALANCE=round-robin takes turns over the primary and its fallback endpoints:
// with none it would do nothing, so it stops the app (as AOAI_EDGE_UPSTREAM_WEIGHTS does under
// primary-first) instead of being accepted silently.
import assert from "node:assert/strict";
import { edgeConfigFromEnv } from "../../edge/deno.ts";
import { createWorkerApp } from "../../edge/worker.ts";

const ENV: Record<string, string> = {
  AZURE_OPENAI_ENDPOINT: "https://rr-alone.openai.azure.com",
  AZURE_OPENAI_API_KEY: "rr-alone-azure-key-0001",
  AOAI_EDGE_KEYS: "rr-alone-client-key-0001",
  AOAI_EDGE_UPSTREAM_BALANCE: "round-robin",
};

function refused(err: unknown): true {
  assert.ok(err instanceof Error);
  assert.match(err.message, /AOAI_EDGE_UPSTREAM_BALANCE/);
  assert.match(err.message, /AZURE_OPENAI_FALLBACK_ENDPOINTS/);
  assert.match(err.message, /unset AOAI_EDGE_UPSTREAM_BALANCE/);
  return true;
}

for (const extra of [{}, { AOAI_EDGE_UPSTREAM_WEIGHTS: "3" }] as Record<string, string>[]) {
  const vars: Record<string, string> = { ...ENV, ...extra };
  Deno.test(`round-robin without fallback endpoints stops the Deno entry (${Object.keys(extra)})`, () => {
    assert.throws(() => edgeConfigFromEnv((name) => vars[name]), refused);
  });

  Deno.test(`round-robin without fallback endpoints stops the Worker (${Object.keys(extra)})`, () => {
    assert.throws(() => createWorkerApp(vars), refused);
  });
}

Deno.test("round-robin with fallback endpoints, and primary-first without, still start", () => {
  const withFallback: Record<string, string> = {
    ...ENV,
    AZURE_OPENAI_FALLBACK_ENDPOINTS: "https://rr-two.openai.azure.com",
    AZURE_OPENAI_FALLBACK_API_KEYS: "rr-two-azure-key-0002",
  };
  assert.equal(
    edgeConfigFromEnv((name) => withFallback[name]).options.upstreamBalance,
    "round-robin",
  );
  createWorkerApp(withFallback);
  const primaryFirst: Record<string, string> = {
    ...ENV,
    AOAI_EDGE_UPSTREAM_BALANCE: "primary-first",
  };
  edgeConfigFromEnv((name) => primaryFirst[name]);
  createWorkerApp(primaryFirst);
});
