// chat.completions.stream() and runTools() streams aborted mid-reply (abort(), a loop's break, the
// call's signal) were never collected, with or without a signal of the caller's: abort() aborted
// the controller without a reason, so the controller made one (a DOMException) inside abort(),
// whose call sites hold the event stream; that signal is the request's, reachable from the
// dropped-body registry's callback of the reply's stream, which so kept the response and the
// event stream alive (100 of 100 of each kind below before the fix).
//
// GC must be forced: a script run with --expose-gc makes the calls (in memory, against the
// emulator) and reports how many of the streams it made are still alive after collecting.
import assert from "node:assert/strict";
import { runWithGc } from "../helpers/gc_script.ts";

const CALLS = 100;

const SCRIPT = (root: URL) => `
import { AzureOpenAI } from "${new URL("mod.ts", root).href}";
import { createEmulator } from "${new URL("src/emulator/mod.ts", root).href}";

const emulator = createEmulator({
  script: ({ body }) =>
    body.messages.at(-1)?.role == "tool" ? { content: "ok" } : { toolCalls: [{ name: "t", arguments: {} }] },
});
const client = new AzureOpenAI({
  endpoint: "https://res.openai.azure.com",
  apiKey: emulator.apiKey,
  deployment: "gpt-4o",
  fetch: (input, init) => emulator.fetch(new Request(input, init)),
});
const longLived = new AbortController();
const messages = [{ role: "user", content: "hi" }];
const tools = [{ type: "function", function: { name: "t", parameters: {}, function: () => "x" } }];
const ways = {
  streamAbort: () => {
    const s = client.chat.completions.stream({ messages });
    return s.on("chunk", () => s.abort());
  },
  streamBreakUnderSignal: async () => {
    const s = client.chat.completions.stream({ messages }, { signal: longLived.signal });
    for await (const _ of s) break;
    return s;
  },
  runToolsBreak: async () => {
    const r = client.chat.completions.runTools({ messages, tools, stream: true });
    for await (const _ of r) break;
    return r;
  },
  runToolsSignalAbort: () => {
    const call = new AbortController();
    const r = client.chat.completions.runTools({ messages, tools, stream: true }, { signal: call.signal });
    return r.on("chunk", () => call.abort());
  },
};
const alive = {};
for (const [way, make] of Object.entries(ways)) {
  const refs = [];
  let aborted = 0;
  for (let i = 0; i < ${CALLS}; i++) {
    const stream = await make();
    refs.push(new WeakRef(stream));
    await stream.done().catch(() => {});
    aborted += stream.aborted ? 1 : 0;
  }
  for (let i = 0; i < 6; i++) {
    gc();
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  alive[way] = { alive: refs.filter((ref) => ref.deref()).length, aborted };
}
console.log(JSON.stringify(alive));
`;

Deno.test("stream() and runTools() streams aborted mid-reply are collected", async () => {
  const alive = await runWithGc<Record<string, { alive: number; aborted: number }>>(
    SCRIPT(new URL("../../", import.meta.url)),
  );
  const all = JSON.stringify(alive);
  for (const { alive: n, aborted } of Object.values(alive)) {
    // Each was aborted (the case tested), and a handful may still be held by the last turns.
    assert.equal(aborted, CALLS, `not all aborted: ${all}`);
    assert.ok(n <= 5, `streams still alive after GC (of ${CALLS}): ${all}`);
  }
});
