// A chat / completions script that returns undefined leaves the request to the emulator's own
// reply (the echo, or the JSON a response_format asks for), so a script need only handle the
// requests it cares about.
import assert from "node:assert/strict";
import { createEmulator } from "./mod.ts";

const KEY = "script-default-key";

async function post(emulator: ReturnType<typeof createEmulator>, path: string, body: unknown) {
  const res = await emulator.fetch(
    new Request(`http://emulator.local/openai/deployments/${path}?api-version=2024-10-21`, {
      method: "POST",
      headers: { "api-key": KEY, "content-type": "application/json" },
      body: JSON.stringify(body),
    }),
  );
  assert.equal(res.status, 200, await res.clone().text());
  return await res.json();
}

Deno.test("a script returning undefined gets the emulator's default reply (chat and completions)", async () => {
  const seen: string[] = [];
  const emulator = createEmulator({
    apiKeys: [KEY],
    script: (req) => {
      seen.push(req.operation);
      return req.lastUserText == "ping" ? { content: "pong" } : undefined;
    },
  });
  const plain = new Set(["pong"]);
  const chat = (content: string, extra = {}) =>
    post(emulator, "gpt-4o/chat/completions", {
      messages: [{ role: "user", content }],
      ...extra,
    });
  assert.equal((await chat("ping")).choices[0].message.content, "pong");
  const echoed = (await chat("hello")).choices[0].message.content;
  assert.ok(!plain.has(echoed) && echoed.includes("hello"), echoed);
  // The default reply to a JSON format is JSON.
  const json = await chat("hello, answer in json", { response_format: { type: "json_object" } });
  assert.doesNotThrow(() => JSON.parse(json.choices[0].message.content));
  const completion = await post(emulator, "gpt-35-turbo-instruct/completions", {
    prompt: "once upon",
  });
  assert.match(completion.choices[0].text, /once upon/);
  assert.deepEqual(seen, ["chat", "chat", "chat", "completions"]);
});
