import assert from "node:assert/strict";
import { createEmulator } from "../../src/emulator/mod.ts";
import { BASE } from "./_version_paths.ts";

// Azure answers with the resource's region in `x-ms-region` ("East US", "North Central US", …), on
// errors too (e.g. a 408 Timeout, a 400 OperationNotSupported).
const CHAT = `${BASE}/openai/deployments/gpt-4o/chat/completions?api-version=2024-10-21`;
const MESSAGES = JSON.stringify({ messages: [{ role: "user", content: "hi" }] });

function post(e: ReturnType<typeof createEmulator>, url: string, body: string, key = e.apiKey) {
  return e.fetch(url, {
    method: "POST",
    headers: { "api-key": key, "content-type": "application/json" },
    body,
  });
}

Deno.test("every answer carries x-ms-region (East US unless options.region says otherwise)", async () => {
  const e = createEmulator({ rateLimits: { requestsPerMinute: 2 }, now: () => 0 });
  const answers = [
    await post(e, CHAT, MESSAGES),
    await post(e, CHAT.replace("chat/completions", "embeddings"), JSON.stringify({ input: "x" })),
    await post(e, CHAT, "{not json"),
    await post(e, CHAT, MESSAGES, "wrong-key"),
    await post(e, CHAT.replace("gpt-4o", "nope"), MESSAGES),
    await post(e, CHAT.replace("2024-10-21", "1999-01-01"), MESSAGES),
    await post(e, CHAT, JSON.stringify({ ...JSON.parse(MESSAGES), stream: true })),
    await post(e, CHAT, MESSAGES), // 429
  ];
  assert.deepEqual(answers.map((r) => r.status), [200, 400, 400, 401, 404, 400, 200, 429]);
  for (const res of answers) {
    assert.equal(res.headers.get("x-ms-region"), "East US", String(res.status));
    await res.body?.cancel();
  }
  e.failNext(1, 503);
  const injected = await post(
    e,
    CHAT.replace("gpt-4o", "text-embedding-3-small").replace("chat/completions", "embeddings"),
    JSON.stringify({ input: "x" }),
  );
  assert.equal(injected.status, 503);
  assert.equal(injected.headers.get("x-ms-region"), "East US");
  await injected.body?.cancel();

  const sweden = createEmulator({ region: "Sweden Central" });
  const res = await post(sweden, CHAT, MESSAGES);
  assert.equal(res.headers.get("x-ms-region"), "Sweden Central");
  await res.body?.cancel();
});

Deno.test("createEmulator() refuses a region no header can carry, naming options.region", () => {
  for (const region of ["", "East\r\nx-evil: 1", " East US", 7 as unknown as string]) {
    assert.throws(
      () => createEmulator({ region }),
      (err: unknown) => err instanceof TypeError && /options\.region/.test(err.message),
      JSON.stringify(region),
    );
  }
});
