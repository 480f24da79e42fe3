// logger() with logHeaders and logBodies on never shows a query credential (defaultQuery or a
// call's query, under any name the URL redaction treats as secret) in any event: start, end,
// done, error; URLs, headers, bodies. A response body or header echoing the value alone, a fetch
// failure quoting it and a stream failing mid-body included.
import assert from "node:assert/strict";
import { AzureOpenAI } from "../../mod.ts";
import { type LogEvent, logger } from "../../src/middleware/mod.ts";

const NAMES = ["subscription-key", "sig", "code", "token", "key", "access_token", "pw", "jwt"];
const valueOf = (name: string, where: string) =>
  `L${where}${name.replace(/\W/g, "")}0123456789abcdefXYZ`;
const queryOf = (where: string) =>
  Object.fromEntries(NAMES.map((name) => [name, valueOf(name, where)]));

/** Every value the request's URL carries, said back alone (no parameter names). */
const echo = (request: Request) => [...new URL(request.url).searchParams.values()].join(" | ");

function assertClean(events: LogEvent[]): void {
  const shown = JSON.stringify(events);
  for (const where of ["default", "call"]) {
    for (const name of NAMES) {
      const value = valueOf(name, where);
      for (const form of [value, value.toLowerCase(), encodeURIComponent(value)]) {
        assert.ok(!shown.includes(form), `${name}'s value leaked:\n${shown.slice(0, 2000)}`);
      }
    }
  }
}

const chunk = (content: string) =>
  `data: ${
    JSON.stringify({
      id: "c",
      object: "chat.completion.chunk",
      created: 1,
      model: "m",
      choices: [{ index: 0, delta: { content }, finish_reason: null }],
    })
  }\n\n`;

/** What the fake service does, by the request's `mode` query parameter. */
function answer(request: Request): Promise<Response> {
  const mode = new URL(request.url).searchParams.get("mode");
  const said = echo(request);
  if (mode == "throw") throw new TypeError(`error sending request (${said})`);
  if (mode == "stream") {
    let sent = false;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent) return controller.error(new TypeError(`connection reset after ${said}`));
        sent = true;
        controller.enqueue(new TextEncoder().encode(chunk(said)));
      },
    });
    return Promise.resolve(
      new Response(body, { headers: { "content-type": "text/event-stream", "x-echo": said } }),
    );
  }
  const status = mode == "error" ? 401 : 200;
  return Promise.resolve(
    Response.json(
      status == 200
        ? { object: "list", data: [], model: said, usage: { prompt_tokens: 1, total_tokens: 1 } }
        : { error: { code: "401", message: `denied: ${said}` } },
      { status, headers: { "x-echo": said } },
    ),
  );
}

Deno.test("logger() events (all kinds, headers and bodies on) show no query credential", async () => {
  const events: LogEvent[] = [];
  const client = new AzureOpenAI({
    endpoint: "https://res.openai.azure.com",
    apiKey: "sk-ClientKey0123456789abcdef",
    deployment: "d",
    maxRetries: 0,
    defaultQuery: queryOf("default"),
    middleware: [
      logger({ onEvent: (e) => events.push(e), logHeaders: true, logBodies: true }),
    ],
    fetch: (input, init) => answer(new Request(input, init)),
  });
  for (const perCall of [false, true]) {
    const query = (mode: string) => ({ query: { ...perCall && queryOf("call"), mode } });
    // end + done with an echoing 200 body; end + error with an echoing 401; error of a fetch
    // failure; end, then error of a stream failing mid-body.
    await client.embeddings.create({ input: "hi" }, query("ok"));
    await client.embeddings.create({ input: "hi" }, query("error")).catch(() => {});
    await client.embeddings.create({ input: "hi" }, query("throw")).catch(() => {});
    const stream = await client.chat.completions.create(
      { messages: [{ role: "user", content: "hi" }], stream: true },
      query("stream"),
    );
    await (async () => {
      for await (const _ of stream);
    })().catch(() => {});
  }
  const types = new Set(events.map((e) => e.type));
  assert.deepEqual([...types].sort(), ["done", "end", "error", "start"]);
  // The echoing bodies were logged (masked), not left out.
  assert.ok(events.some((e) => e.responseBody?.includes("denied: ")), JSON.stringify(events));
  assertClean(events);
});
