// A stream under a caller's long-lived signal that the caller left early (a loop's break) or
// aborted (stream.abort(), mid-loop) was never collected, nor its response, body and controller:
// ~10 KB a call for as long as the process ran. The callback the dropped-body registry holds
// reached the call's signal, whose abort reason, an error made inside the stream's methods, holds
// the stream through its call sites (Deno keeps them on the error), and so the response that
// registry waits on. Found by bench/soak.ts (heap +3.6 MiB a round).
//
// GC must be forced: a script run with --expose-gc makes the calls (in memory, against the
// emulator) and reports how many of the streams it made are still alive after collecting.
import assert from "node:assert/strict";
import { runWithGc } from "../helpers/gc_script.ts";

const CALLS = 200;

const SCRIPT = (root: URL) => `
import { AzureOpenAI } from "${new URL("mod.ts", root).href}";
import { createEmulator } from "${new URL("src/emulator/mod.ts", root).href}";

const emulator = createEmulator();
const client = new AzureOpenAI({
  endpoint: "https://res.openai.azure.com",
  apiKey: emulator.apiKey,
  deployment: "gpt-4o",
  fetch: (input, init) => emulator.fetch(new Request(input, init)),
});
const longLived = new AbortController();
const messages = [{ role: "user", content: "hi" }];
const ways = {
  break: async (s) => { for await (const _ of s) break; },
  abort: async (s) => { try { for await (const _ of s) s.abort(); } catch { /* aborted */ } },
  end: async (s) => { for await (const _ of s) { /* to [DONE] */ } },
};
const alive = {};
for (const [way, use] of Object.entries(ways)) {
  const refs = [];
  for (let i = 0; i < ${CALLS}; i++) {
    const stream = await client.chat.completions.create(
      { messages, stream: true },
      { signal: longLived.signal },
    );
    refs.push(new WeakRef(stream));
    await use(stream);
  }
  for (let i = 0; i < 6; i++) {
    gc();
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  alive[way] = refs.filter((ref) => ref.deref()).length;
}
console.log(JSON.stringify(alive));
`;

Deno.test("streams left early or aborted under a long-lived signal are collected", async () => {
  const alive = await runWithGc<Record<string, number>>(SCRIPT(new URL("../../", import.meta.url)));
  // A handful may still be held by the last turns; a leak keeps every one of them.
  for (const way of ["break", "abort", "end"]) {
    assert.ok(alive[way] <= 5, `${way}: ${alive[way]} of ${CALLS} streams still alive after GC`);
  }
});
