// logger() with logHeaders and logBodies on never shows a query credential (defaultQuery or a
// call's query, under any name the URL redaction treats as secret) in any event: start, end,
// done, error; URLs, headers, bodies. A response body or header echoing the value alone, a fetch
// failure quoting it and a stream failing mid-body included.
import assert from "node:assert/strict";
import { AzureOpenAI } from "../../mod.ts";
import { type LogEvent, logger } from "../../src/middleware/mod.ts";
import { CLIENT, echo, failingStream, queryCredentials } from "./_query_credentials.ts";

const NAMES = ["subscription-key", "sig", "code", "token", "key", "access_token", "pw", "jwt"];
const { queryOf, assertClean } = queryCredentials(NAMES, "L");

/** What the fake service does, by the request's `mode` query parameter. */
function answer(request: Request): Promise<Response> {
  const mode = new URL(request.url).searchParams.get("mode");
  const said = echo(request);
  if (mode == "throw") throw new TypeError(`error sending request (${said})`);
  if (mode == "stream") {
    return Promise.resolve(
      failingStream(said, new TypeError(`connection reset after ${said}`), { "x-echo": said }),
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
    ...CLIENT,
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
  const shown = JSON.stringify(events);
  for (const where of ["default", "call"]) assertClean(shown, where);
});
