// Errors about the environment name the variable and never quote its value: a key pasted into
// the wrong variable must not reach a log, nor (on Workers, whose 500 EdgeMisconfigured carries
// the error's message) a client that sends no key at all. Numbers are read as decimal numbers:
// `0x10` is no 16, `1e3` no whole number of tokens.
import assert from "node:assert/strict";
import { balanceFromEnv, rpmFromEnv, tpmFromEnv } from "../../edge/_env.ts";
import { edgeConfigFromEnv } from "../../edge/deno.ts";
import worker, { type WorkerEnv } from "../../edge/worker.ts";

/** What an operator might paste into the wrong variable: a client key. */
const PASTED = "pasted-client-key-0123456789abcdef";
const env = (vars: Record<string, string>) => (name: string) => vars[name];

Deno.test("the Worker's 500 EdgeMisconfigured names a bad variable without quoting its value", async () => {
  const base: WorkerEnv = {
    AZURE_OPENAI_ENDPOINT: "https://r.openai.azure.com",
    AZURE_OPENAI_API_KEY: "k",
    AOAI_EDGE_KEYS: "a-worker-client-key",
  };
  for (
    const name of [
      "AOAI_EDGE_RATE_LIMIT_RPM",
      "AOAI_EDGE_TOKEN_LIMIT_TPM",
      "AOAI_EDGE_UPSTREAM_BALANCE",
    ]
  ) {
    // No client key: anyone on the internet gets this answer.
    const res = await worker.fetch(
      new Request("https://w.example/health"),
      { ...base, [name]: PASTED },
      { waitUntil: () => {} },
    );
    const text = await res.text();
    assert.equal(res.status, 500, name);
    assert.match(text, new RegExp(name), "names the variable");
    assert.ok(!text.includes(PASTED.slice(0, 16)), `${name}'s value is in the answer: ${text}`);
  }
});

Deno.test("edgeConfigFromEnv() names a bad variable without quoting its value", () => {
  for (
    const [name, value] of [
      ["AOAI_EDGE_RATE_LIMIT_RPM", PASTED],
      ["AOAI_EDGE_RATE_LIMIT_RPM", "0.0001"], // under one a day
      ["AOAI_EDGE_TOKEN_LIMIT_TPM", PASTED],
      ["AOAI_EDGE_UPSTREAM_BALANCE", PASTED],
      ["PORT", PASTED],
    ]
  ) {
    assert.throws(
      () => edgeConfigFromEnv(env({ [name]: value })),
      (err: Error) => err.message.includes(name) && !err.message.includes(value.slice(0, 16)),
      `${name}=${value}`,
    );
  }
});

Deno.test("rpmFromEnv() and tpmFromEnv() read decimal numbers only", () => {
  assert.equal(rpmFromEnv(" 2 "), 2);
  assert.equal(rpmFromEnv("0.5"), 0.5);
  assert.equal(rpmFromEnv("1e3"), 1000, "a positive number, in any decimal notation");
  assert.equal(tpmFromEnv(" 60000 "), 60_000);
  for (const bad of ["0x10", "0b11", "0o17", "Infinity", "-0", "+5", "1_000", "1 000"]) {
    assert.throws(() => rpmFromEnv(bad), /^Error: AOAI_EDGE_RATE_LIMIT_RPM must be/, bad);
    assert.throws(() => tpmFromEnv(bad), /^Error: AOAI_EDGE_TOKEN_LIMIT_TPM must be/, bad);
  }
  // A whole number of tokens is written as one, like the upstream weights.
  for (const bad of ["1e3", "1.0", "60000."]) {
    assert.throws(() => tpmFromEnv(bad), /^Error: AOAI_EDGE_TOKEN_LIMIT_TPM must be/, bad);
  }
  assert.throws(() => balanceFromEnv(PASTED), (err: Error) => !err.message.includes("pasted"));
});
