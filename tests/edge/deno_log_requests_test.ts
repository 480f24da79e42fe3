import assert from "node:assert/strict";
import { edgeConfigFromEnv } from "../../edge/deno.ts";
import { clientIdOf, createEdgeApp } from "../../edge/mod.ts";
import { azurePath } from "./_helpers.ts";

const env = (vars: Record<string, string>) => (name: string) => vars[name];

Deno.test("edgeConfigFromEnv() logs requests only with AOAI_EDGE_LOG_REQUESTS on", () => {
  assert.equal(edgeConfigFromEnv(env({})).options.onRequest, undefined);
  assert.equal(
    edgeConfigFromEnv(env({ AOAI_EDGE_LOG_REQUESTS: "no" })).options.onRequest,
    undefined,
  );
  const config = edgeConfigFromEnv(env({ AOAI_EDGE_LOG_REQUESTS: "1" }));
  assert.equal(typeof config.options.onRequest, "function");
  assert.ok(config.banner.includes("request log: one JSON line per request on stdout"));
});

Deno.test("AOAI_EDGE_LOG_REQUESTS=1 prints one JSON line per request, without key or prompt", async () => {
  const config = edgeConfigFromEnv(env({
    AOAI_EDGE_LOG_REQUESTS: "1",
    AOAI_EDGE_KEYS: "log-test-client-key-1",
    AOAI_EDGE_EMULATOR_DELAY_MS: "0",
  }));
  const app = createEdgeApp(config.options);
  const lines: unknown[][] = [];
  let printed!: () => void;
  const done = new Promise<void>((resolve) => printed = resolve);
  const log = console.log;
  console.log = (...args: unknown[]) => {
    lines.push(args);
    printed();
  };
  try {
    const res = await app.fetch(
      new Request(`http://edge.test${azurePath("gpt-4o", "chat/completions")}`, {
        method: "POST",
        headers: { "api-key": "log-test-client-key-1", "content-type": "application/json" },
        body: JSON.stringify({ messages: [{ role: "user", content: "Secret9PromptWord" }] }),
      }),
    );
    const reply = await res.json();
    await done;
    assert.equal(lines.length, 1);
    assert.equal(lines[0].length, 1);
    const line = lines[0][0] as string;
    assert.ok(!line.includes("\n"));
    assert.ok(!line.includes("log-test-client-key-1") && !line.includes("Secret9PromptWord"));
    const event = JSON.parse(line);
    assert.equal(event.route, "chat");
    assert.equal(event.deployment, "gpt-4o");
    assert.equal(event.status, 200);
    assert.equal(event.client, await clientIdOf("log-test-client-key-1"));
    assert.deepEqual(event.usage, reply.usage);
  } finally {
    console.log = log;
  }
});
