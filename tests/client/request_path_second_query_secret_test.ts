// client.request({ path }) with a credential-named parameter behind a second `?` of the path
// (`foo?a=1?sig=…`, `…&x=1?token=…`) or alone in it (`foo?sig=…`): its value is scrubbed from what
// an error says, also where the service echoes the value alone, and from logger() events' fields
// (the default operation name `request foo?…` showed it). logger()'s own scrub of an error or body
// it logs: tests/middleware/logger_second_query_secret_test.ts.
import assert from "node:assert/strict";
import { inspect } from "node:util";
import { AzureOpenAI } from "../../mod.ts";
import { type LogEvent, logger } from "../../src/middleware/mod.ts";

const SIG = "sig0behind0a0second0mark0123";
const TOKEN = "token0behind0a0second0mark0456";
const ALONE = "sig0alone0in0the0path0query0789";
const PATHS = [
  ["foo?a=1?sig=" + SIG, SIG],
  ["foo?a=1&x=1?token=" + TOKEN, TOKEN],
  ["foo?sig=" + ALONE, ALONE],
] as const;

/**
 * A 127.0.0.1 server that answers 400 naming each parameter value it read, splitting the query at
 * every `?` and `&` (as a lenient parser would), and a client on it whose fetch throws that
 * answer's text (a user's wrapper that turns a 400 into an error) unless `throws` is false.
 */
function echoing(options: Partial<ConstructorParameters<typeof AzureOpenAI>[0]>, throws = true) {
  const seen: string[] = [];
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, (request) => {
    const url = new URL(request.url);
    seen.push(url.pathname + url.search);
    const values = decodeURIComponent(url.search).split(/[?&]/).map((p) => p.split("=")[1]);
    return new Response(`bad parameter values: ${values.join(" ")}`, { status: 400 });
  });
  const client = new AzureOpenAI({
    endpoint: `http://127.0.0.1:${server.addr.port}`,
    apiKey: "k".repeat(32),
    maxRetries: 0,
    fetch: async (input, init) => {
      const response = await fetch(input, init);
      if (throws && response.status == 400) throw new Error(await response.text());
      return response;
    },
    ...options,
  });
  return { client, seen, close: () => server.shutdown() };
}

for (const defaultQuery of [undefined, { gw: "edge" }]) {
  Deno.test(`a path's credential value is in no error (defaultQuery ${JSON.stringify(defaultQuery)})`, async () => {
    const { client, seen, close } = echoing({ defaultQuery });
    try {
      for (const [path, secret] of PATHS) {
        const err = await client.request({ path }).catch((e) => e);
        assert.ok(err instanceof Error, String(err));
        // It was sent, and the service said it back alone.
        assert.ok(decodeURIComponent(seen.at(-1)!).includes(secret), seen.at(-1));
        assert.ok(inspect(err.cause).includes("***"), inspect(err.cause));
        const shown = `${err.message}\n${inspect(err, { depth: 9 })}\n${JSON.stringify(err)}`;
        assert.ok(!shown.includes(secret), shown);
      }
    } finally {
      await close();
    }
  });
}

Deno.test("logger() events show no credential value of a request() path", async () => {
  const events: LogEvent[] = [];
  const { client, close } = echoing({
    middleware: [logger({ onEvent: (e) => events.push(e), logHeaders: true })],
  }, false);
  try {
    for (const [path] of PATHS) await (await client.request({ path })).body?.cancel();
    assert.equal(events.filter((e) => e.type == "end" && e.status == 400).length, 3);
    const shown = JSON.stringify(events);
    for (const [, secret] of PATHS) assert.ok(!shown.includes(secret), shown);
  } finally {
    await close();
  }
});
