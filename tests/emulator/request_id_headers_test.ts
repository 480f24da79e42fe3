// Azure answers with two different ids: `apim-request-id` (the gateway's, the `correlationId` of
// its diagnostic logs) and `x-request-id` (the model service's). It also always sends
// `x-ms-client-request-id`: the client's when it sent one, else the apim-request-id. Two answers
// to clients that send none (openai-python), as published:
//   'apim-request-id': 'eb2486b2-…', 'x-request-id': '982ef905-…',
//   'x-ms-client-request-id': 'eb2486b2-…'   (BerriAI/litellm#1721, 2024-01-31)
//   'apim-request-id': 'bb943c68-…', 'x-request-id': '3a8b1a44-…',
//   'x-ms-client-request-id': 'bb943c68-…'   (EvolvingPrograms/oaib#11, 2024-03-02)
// The emulator sent one id in both and x-ms-client-request-id only when the client sent one.
import assert from "node:assert/strict";
import { createEmulator } from "../../src/emulator/mod.ts";

const BASE = "http://emulator.test";
const CHAT = "/openai/deployments/gpt-4o/chat/completions";
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

function answers(clientId?: string): Promise<Response[]> {
  const e = createEmulator({ rateLimits: { requestsPerMinute: 1 }, now: () => 0 });
  const call = (path: string, init: { key?: string; body?: unknown; version?: string } = {}) => {
    const headers: Record<string, string> = {
      "api-key": init.key ?? e.apiKey,
      "content-type": "application/json",
    };
    if (clientId !== undefined) headers["x-ms-client-request-id"] = clientId;
    const url = `${BASE}${path}${init.version === "" ? "" : "?api-version=2024-10-21"}`;
    return e.fetch(url, {
      method: "POST",
      headers,
      body: JSON.stringify(init.body ?? { messages: [{ role: "user", content: "hi" }] }),
    });
  };
  return (async () => {
    const out: Response[] = [];
    out.push(
      await call(CHAT, { body: { stream: true, messages: [{ role: "user", content: "hi" }] } }),
    );
    out.push(await call(CHAT)); // 429: one request a minute
    out.push(await call(CHAT, { key: "wrong" })); // 401
    out.push(await call(CHAT, { version: "" })); // 404 / 400 without api-version
    out.push(await call("/openai/nowhere")); // 404
    e.failNext(1, 503);
    out.push(await call(CHAT)); // injected 503
    return out;
  })();
}

Deno.test("emulator: apim-request-id and x-request-id are present and different on every answer, streams and errors included", async () => {
  const seen = new Set<string>();
  const statuses: number[] = [];
  for (const res of await answers()) {
    statuses.push(res.status);
    const apim = res.headers.get("apim-request-id") ?? "";
    const x = res.headers.get("x-request-id") ?? "";
    assert.match(apim, UUID, `${res.status} apim-request-id`);
    assert.match(x, UUID, `${res.status} x-request-id`);
    assert.notEqual(x, apim, `${res.status}: x-request-id ${x} equals apim-request-id`);
    seen.add(apim).add(x);
    await res.body?.cancel();
  }
  assert.deepEqual(statuses.slice(0, 3), [200, 429, 401]);
  assert.equal(statuses[5], 503);
  assert.equal(seen.size, 12, "every id is new");
});

Deno.test("emulator: log entries carry the apim-request-id", async () => {
  const e = createEmulator();
  const res = await e.fetch(`${BASE}/openai/nowhere`);
  await res.body?.cancel();
  assert.equal(e.log[0].requestId, res.headers.get("apim-request-id"));
});

Deno.test("emulator: x-ms-client-request-id echoes the client's, else reads the apim-request-id, on every answer", async () => {
  for (const res of await answers("my-id-1")) {
    assert.equal(res.headers.get("x-ms-client-request-id"), "my-id-1", `${res.status}`);
    await res.body?.cancel();
  }
  for (const res of await answers()) {
    const apim = res.headers.get("apim-request-id");
    assert.ok(apim);
    assert.equal(res.headers.get("x-ms-client-request-id"), apim, `${res.status}`);
    await res.body?.cancel();
  }
});
