// README.md (switching from the SDK, runTools()): "`abort()` ends the run at its next request; a
// tool still running is awaited first, so hand the runner's `controller.signal` (the runner is the
// tool's second argument) to the tool's own fetches: an `AbortError` from a tool ends the run as an
// abort". Here the tool's own fetch (a real one, to a local server that never answers) is under
// that signal: abort() while it waits ends the run as an abort, without a second request.
import assert from "node:assert/strict";
import { APIUserAbortError, AzureOpenAI, type ChatCompletionRunner } from "../../mod.ts";
import { createEmulator } from "../../src/emulator/mod.ts";

Deno.test("runTools(): a tool's own fetch under runner.controller.signal ends with abort()", async () => {
  let reached!: () => void;
  const toolFetchArrived = new Promise<void>((resolve) => reached = resolve);
  const stop = new AbortController();
  // Holds each request until the test ends: the tool's fetch never settles by itself.
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, signal: stop.signal, onListen() {} },
    () => {
      reached();
      return new Promise<Response>((resolve) =>
        stop.signal.addEventListener("abort", () => resolve(new Response("late")))
      );
    },
  );
  const emulator = createEmulator({
    script: ({ body }) =>
      (body.messages as { role: string }[]).at(-1)?.role == "tool"
        ? undefined
        : { toolCalls: [{ name: "lookup", arguments: {} }] },
  });
  let requests = 0;
  const client = new AzureOpenAI({
    endpoint: "http://emulator.local",
    apiKey: emulator.apiKey,
    fetch: (request) => (requests++, emulator.fetch(request)),
  });
  const events: string[] = [];
  let toolError: unknown;
  try {
    const runner: ChatCompletionRunner = client.chat.completions.runTools({
      model: "gpt-4o",
      messages: [{ role: "user", content: "look it up" }],
      tools: [{
        type: "function",
        function: {
          name: "lookup",
          parameters: {},
          function: async (_args: string, self) => {
            try {
              const url = `http://127.0.0.1:${server.addr.port}/`;
              return await (await fetch(url, { signal: self.controller.signal })).text();
            } catch (error) {
              throw toolError = error;
            }
          },
        },
      }],
    });
    for (const name of ["error", "abort", "end"] as const) runner.on(name, () => events.push(name));
    await toolFetchArrived;
    runner.abort();
    const err = await runner.done().then(() => undefined, (e) => e);
    assert.ok(err instanceof APIUserAbortError, `done() rejected with ${err}`);
    assert.equal((toolError as Error)?.name, "AbortError");
    assert.deepEqual(events, ["abort", "end"]);
    assert.deepEqual([runner.ended, runner.aborted], [true, true]);
    assert.equal(requests, 1); // no request after the tool's round
  } finally {
    stop.abort();
    await server.finished;
  }
});
