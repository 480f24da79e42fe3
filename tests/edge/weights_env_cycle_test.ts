/**
 * `AOAI_EDGE_UPSTREAM_WEIGHTS` whose round-robin cycle would be longer than the app takes
 * (10 000 turns): the error names the variable, on Deno when the config is read (not later, as
 * `createEdgeApp: the upstream weights ...`, naming no variable) and on Workers in the 500.
 */
import assert from "node:assert/strict";
import { edgeConfigFromEnv } from "../../edge/deno.ts";
import worker from "../../edge/worker.ts";
import { weightsFromEnv } from "../../edge/_env.ts";
import { KEY } from "./_helpers.ts";

const ENV: Record<string, string> = {
  AZURE_OPENAI_ENDPOINT: "https://primary.example",
  AZURE_OPENAI_API_KEY: "primary-upstream-key-0001",
  AZURE_OPENAI_FALLBACK_ENDPOINTS: "https://fallback.example",
  AZURE_OPENAI_FALLBACK_API_KEYS: "fallback-upstream-key-0001",
  AOAI_EDGE_KEYS: KEY,
  AOAI_EDGE_UPSTREAM_BALANCE: "round-robin",
  // 10 001 turns: one over the cap.
  AOAI_EDGE_UPSTREAM_WEIGHTS: "10000,1",
};

const NAMED =
  /^Error: AOAI_EDGE_UPSTREAM_WEIGHTS makes a round-robin cycle of 10001 turns .*at most 10000/;

Deno.test("weightsFromEnv() refuses weights whose cycle is over 10 000 turns, naming the variable", () => {
  assert.throws(() => weightsFromEnv("10000,1", 2, "round-robin"), NAMED);
  // The same proportion divided by a common divisor is a short cycle, and the cap itself passes.
  assert.deepEqual(weightsFromEnv("300000,100000", 2, "round-robin"), [300000, 100000]);
  assert.deepEqual(weightsFromEnv("9999,1", 2, "round-robin"), [9999, 1]);
});

Deno.test("edgeConfigFromEnv() refuses AOAI_EDGE_UPSTREAM_WEIGHTS of too long a cycle, naming it", () => {
  assert.throws(() => edgeConfigFromEnv((name) => ENV[name]), NAMED);
});

Deno.test("the Worker answers 500 EdgeMisconfigured naming AOAI_EDGE_UPSTREAM_WEIGHTS of too long a cycle", async () => {
  const res = await worker.fetch(
    new Request("https://edge.example/health"),
    ENV,
    { waitUntil() {} },
  );
  assert.equal(res.status, 500);
  const { error } = await res.json();
  assert.equal(error.code, "EdgeMisconfigured");
  assert.match(
    error.message,
    /AOAI_EDGE_UPSTREAM_WEIGHTS makes a round-robin cycle of 10001 turns/,
  );
});
