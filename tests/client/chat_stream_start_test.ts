// chat.completions.stream() and runTools() send their request at once (a microtask after the
// call), not after a timer as the openai SDK's do (a setTimeout() start: 1-2.4 ms of idle wait per
// call here, most of a non-streamed runTools() call; bench/run_tools_bench.ts). Listeners added in
// the same synchronous step still get every event.
import assert from "node:assert/strict";
import { AzureOpenAI } from "../../mod.ts";

const CHUNK = (delta: object, finish_reason: string | null = null) =>
  `data: ${
    JSON.stringify({
      id: "c1",
      object: "chat.completion.chunk",
      created: 1,
      model: "gpt-4o",
      choices: [{ index: 0, delta, finish_reason }],
    })
  }\n\n`;
const SSE = CHUNK({ role: "assistant", content: "Hi" }) + CHUNK({}, "stop") + "data: [DONE]\n\n";
const REPLY = {
  id: "c1",
  object: "chat.completion",
  created: 1,
  model: "gpt-4o",
  choices: [{ index: 0, message: { role: "assistant", content: "Hi" }, finish_reason: "stop" }],
};

function client(sent: string[]) {
  return new AzureOpenAI({
    endpoint: "https://start.example.com",
    apiKey: "start-key",
    fetch: (request) => {
      sent.push(new URL(request.url).pathname);
      return Promise.resolve(
        request.headers.get("accept") == "text/event-stream"
          ? new Response(SSE, { headers: { "content-type": "text/event-stream" } })
          : Response.json(REPLY),
      );
    },
  });
}
const PARAMS = { model: "gpt-4o", messages: [{ role: "user" as const, content: "Hi" }] };

for (
  const [name, start] of [
    ["stream()", (c: AzureOpenAI) => c.chat.completions.stream(PARAMS)],
    [
      "runTools()",
      (c: AzureOpenAI) =>
        c.chat.completions.runTools({
          ...PARAMS,
          tools: [{ type: "function", function: { name: "f", parameters: {}, function: () => 1 } }],
        }),
    ],
  ] as const
) {
  Deno.test(`${name} sends its request before a timer set before the call fires`, async () => {
    const sent: string[] = [];
    let sentWhenTimerFired: number | undefined;
    const timer = new Promise<void>((resolve) =>
      setTimeout(() => {
        sentWhenTimerFired = sent.length;
        resolve();
      })
    );
    const events: string[] = [];
    const stream = start(client(sent));
    for (const event of ["connect", "content", "end"] as const) {
      stream.on(event, () => events.push(event));
    }
    await timer;
    assert.equal(sentWhenTimerFired, 1);
    assert.equal(await stream.finalContent(), "Hi");
    assert.deepEqual(events, ["connect", "content", "end"]);
  });
}
