/**
 * A misconfigured Worker answers 500 EdgeMisconfigured; the operator, who reads the logs
 * (`wrangler tail`, Workers Logs) rather than the answers, must find the reason there too: once
 * per configuration, not once per request.
 */
import assert from "node:assert/strict";
import worker, { type WorkerEnv } from "../../edge/worker.ts";
import type { EdgeExecutionContext } from "../../edge/options.ts";

const ctx: EdgeExecutionContext = { waitUntil: () => {} };

Deno.test("a misconfigured Worker logs why with console.error, once per configuration, never a secret", async () => {
  const logged: string[] = [];
  const original = console.error;
  console.error = (...args: unknown[]) => logged.push(args.map(String).join(" "));
  try {
    const bad: WorkerEnv = {
      AZURE_OPENAI_ENDPOINT: "https://misconfigured-log-test.openai.azure.com",
      AZURE_OPENAI_API_KEY: "azure-secret-value-0001",
    };
    for (let i = 0; i < 3; i++) {
      const res = await worker.fetch(new Request("https://edge.example/health"), bad, ctx);
      assert.equal(res.status, 500);
      assert.equal((await res.json()).error.code, "EdgeMisconfigured");
    }
    assert.equal(logged.length, 1, logged.join("\n"));
    assert.match(logged[0], /^aoai-edge: The Worker is not configured: set AOAI_EDGE_KEYS/);
    // Another mistake is logged again.
    const other = { ...bad, AOAI_EDGE_KEYS: "k-0001-long-enough", AOAI_EDGE_TOKEN_LIMIT_TPM: "x" };
    const res = await worker.fetch(new Request("https://edge.example/health"), other, ctx);
    assert.equal(res.status, 500);
    await res.body?.cancel();
    assert.equal(logged.length, 2);
    assert.match(logged[1], /AOAI_EDGE_TOKEN_LIMIT_TPM must be a whole number/);
    for (const line of logged) {
      assert.ok(!line.includes("azure-secret-value-0001") && !line.includes("k-0001-long-enough"));
    }
  } finally {
    console.error = original;
  }
});

Deno.test("a configuration error is logged again when it comes back after a good build", async () => {
  const logged: string[] = [];
  const original = console.error;
  console.error = (...args: unknown[]) => logged.push(args.map(String).join(" "));
  const good: WorkerEnv = {
    AZURE_OPENAI_ENDPOINT: "https://misconfigured-relog-test.openai.azure.com",
    AZURE_OPENAI_API_KEY: "azure-secret-value-0002",
    AOAI_EDGE_KEYS: "k-0002-long-enough",
  };
  const bad = { ...good, AOAI_EDGE_RATE_LIMIT_RPM: "many" };
  try {
    for (const [env, status, lines] of [[bad, 500, 1], [good, 200, 1], [bad, 500, 2]] as const) {
      const res = await worker.fetch(new Request("https://edge.example/health"), env, ctx);
      assert.equal(res.status, status);
      await res.body?.cancel();
      assert.equal(logged.length, lines, logged.join("\n"));
    }
    assert.equal(logged[1], logged[0]);
    assert.match(logged[1], /AOAI_EDGE_RATE_LIMIT_RPM/);
  } finally {
    console.error = original;
  }
});

Deno.test("a Worker called without bindings (env undefined) answers 500 EdgeMisconfigured naming the endpoint", async () => {
  const logged: string[] = [];
  const original = console.error;
  console.error = (...args: unknown[]) => logged.push(args.map(String).join(" "));
  try {
    const res = await worker.fetch(
      new Request("https://edge.example/health"),
      undefined as unknown as WorkerEnv,
      ctx,
    );
    assert.equal(res.status, 500);
    const { error } = await res.json();
    assert.equal(error.code, "EdgeMisconfigured");
    assert.match(error.message, /set AZURE_OPENAI_ENDPOINT/);
    assert.ok(!/TypeError|undefined/.test(error.message), error.message);
  } finally {
    console.error = original;
  }
});
