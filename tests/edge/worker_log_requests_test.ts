// The Worker's AOAI_EDGE_LOG_REQUESTS: one JSON line per request with console.log (what Workers
// Logs and `wrangler tail` collect), without keys, input or reply text.
import assert from "node:assert/strict";
import { createEmulator } from "../../src/emulator/mod.ts";
import worker, { type WorkerEnv } from "../../edge/worker.ts";
import { clientIdOf } from "../../edge/mod.ts";

const CLIENT = "worker-log-client-key-1";
const UPSTREAM_KEY = "azure-upstream-key-log";

/** Runs `run` with console.log captured; returns the lines. */
async function captureLog(run: () => Promise<void>): Promise<string[]> {
  const lines: string[] = [];
  const log = console.log;
  console.log = (...args: unknown[]) => lines.push(args.map(String).join(" "));
  try {
    await run();
  } finally {
    console.log = log;
  }
  return lines;
}

Deno.test("the Worker logs one JSON line per request with AOAI_EDGE_LOG_REQUESTS=1, and none without", async () => {
  const emulator = createEmulator({ apiKeys: [UPSTREAM_KEY] });
  await using server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen: () => {} },
    (request) => emulator.fetch(request),
  );
  const base: WorkerEnv = {
    AZURE_OPENAI_ENDPOINT: `http://127.0.0.1:${server.addr.port}`,
    AZURE_OPENAI_API_KEY: UPSTREAM_KEY,
    AOAI_EDGE_KEYS: CLIENT,
  };
  const waits: Promise<unknown>[] = [];
  const ctx = { waitUntil: (p: Promise<unknown>) => void waits.push(p) };
  const input = "a secret-looking input sentence";
  const embed = () =>
    new Request("https://w.example/v1/embeddings", {
      method: "POST",
      headers: { "api-key": CLIENT, "content-type": "application/json" },
      body: JSON.stringify({ model: "text-embedding-3-small", input }),
    });
  for (const on of [true, false]) {
    const env = on ? { ...base, AOAI_EDGE_LOG_REQUESTS: "1" } : base;
    const lines = await captureLog(async () => {
      const res = await worker.fetch(embed(), env, ctx);
      assert.equal(res.status, 200);
      await res.text();
      await Promise.all(waits.splice(0));
    });
    if (!on) {
      assert.deepEqual(lines, []);
      continue;
    }
    assert.equal(lines.length, 1, lines.join("\n"));
    const event = JSON.parse(lines[0]);
    assert.equal(event.route, "embeddings");
    assert.equal(event.status, 200);
    assert.equal(event.client, await clientIdOf(CLIENT));
    assert.equal(typeof event.usage?.prompt_tokens, "number");
    for (const secret of [CLIENT, UPSTREAM_KEY, input]) {
      assert.ok(!lines[0].includes(secret), `${secret} in ${lines[0]}`);
    }
  }
});
