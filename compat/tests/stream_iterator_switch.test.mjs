// SDK switch, a stream's iterator: code that takes the first chunk with next() and then loops over
// the rest of that same iterator (the SDK's is a generator, so async-iterable itself) gives the
// same reply with the openai SDK and with the bundled core (compat/.build/core.mjs) against the
// emulator bundle. Run with `sh compat/run.sh`.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import * as openai from "openai";
import * as ours from "../.build/core.mjs";
import { createEmulator } from "../.build/emulator.mjs";
import { serve } from "./_serve.mjs";

let emulator;
let server;

before(async () => {
  emulator = createEmulator({ apiKeys: ["iterator-key"] });
  server = await serve((request) => emulator.fetch(request));
});

after(async () => {
  await server.close();
});

test("SDK switch: a stream's iterator gives its first chunk, then a loop over it gets the rest", async () => {
  const results = [];
  for (const { AzureOpenAI } of [openai, ours]) {
    const client = new AzureOpenAI({
      endpoint: server.url,
      apiKey: "iterator-key",
      apiVersion: "2024-10-21",
      maxRetries: 0,
    });
    const stream = await client.chat.completions.create({
      model: "gpt-4o",
      messages: [{ role: "user", content: "hello iterator" }],
      stream: true,
    });
    const iterator = stream[Symbol.asyncIterator]();
    const first = await iterator.next();
    let text = first.value.choices[0]?.delta?.content ?? "";
    for await (const chunk of iterator) {
      text += chunk.choices[0]?.delta?.content ?? "";
    }
    results.push({ first: first.done, text, after: await iterator.next() });
  }
  const [sdk, edge] = results;
  assert.deepEqual(sdk, {
    first: false,
    text: "You said: hello iterator",
    after: { value: undefined, done: true },
  });
  assert.deepEqual(edge, sdk);
});
