/**
 * A deterministic chat streamed by the official `openai` SDK through the edge app (chat cache on,
 * the emulator upstream, served over HTTP on 127.0.0.1): the first stream comes from the emulator,
 * the second is the edge's replay of its cached completion. Both give the SDK the same text and
 * finish reason (the hit's usage is 0, as documented), and every chunk of both validates against the 2024-10-21 document's
 * `createChatCompletionStreamResponse` (whose `object` is always `chat.completion.chunk`).
 *
 * @module
 */
import assert from "node:assert/strict";
import { AzureOpenAI } from "openai";
import { MemoryCache } from "../../edge/mod.ts";
import { validateAgainstSpec } from "../helpers/spec_schema.ts";
import { edgeOverEmulator, recordingFetch, type Seen, serveLocal } from "./_sdk_targets.ts";

const KEY = "sdk-replay-client-key-01";

Deno.test("openai SDK: the edge's replayed stream of a cached chat validates like the upstream's", async () => {
  const { handler } = edgeOverEmulator({
    clientKeys: [KEY],
    cache: new MemoryCache(),
    chatCache: true,
  });
  const server = serveLocal(handler);
  const seen: Seen[] = [];
  const client = new AzureOpenAI({
    endpoint: server.url,
    apiKey: KEY,
    apiVersion: "2024-10-21",
    maxRetries: 0,
    fetch: recordingFetch(seen),
  });
  try {
    const params = {
      model: "gpt-4o",
      temperature: 0,
      messages: [{ role: "user" as const, content: "the same answer every time" }],
      stream: true as const,
      stream_options: { include_usage: true },
    };
    const runs = [];
    for (const expected of ["miss", "hit"]) {
      let content = "";
      let finish: string | null = null;
      const usages = [];
      for await (const chunk of await client.chat.completions.create(params)) {
        content += chunk.choices[0]?.delta?.content ?? "";
        finish = chunk.choices[0]?.finish_reason ?? finish;
        if (chunk.usage) usages.push(chunk.usage);
      }
      const { cache, body } = seen.at(-1)!;
      assert.equal(cache, expected);
      const chunks = (await body).split("\n\n").filter((b) => b.startsWith("data: {"))
        .map((b) => JSON.parse(b.slice(6)));
      const errors = chunks.flatMap((c, i) =>
        validateAgainstSpec("2024-10-21", "createChatCompletionStreamResponse", c)
          .map((e) => `${expected} chunk ${i}: ${e} in ${JSON.stringify(c).slice(0, 160)}`)
      );
      runs.push({ content, finish, usages, errors });
    }
    const [miss, hit] = runs;
    assert.equal(miss.content, "You said: the same answer every time");
    assert.equal(hit.content, miss.content);
    assert.equal(hit.finish, "stop");
    assert.equal(miss.usages.length, 1);
    assert.ok(miss.usages[0].total_tokens > 0);
    // A hit costs no tokens (edge/README.md: "x-aoai-cache: hit, usage 0").
    assert.deepEqual(hit.usages, [{ prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 }]);
    assert.deepEqual(miss.errors, []);
    assert.deepEqual(hit.errors, []);
  } finally {
    await server.close();
  }
});
