// logger() scrubs a credential-named parameter's value from what it logs of an error or a
// response body also when the parameter sits behind a second `?` of the URL (`foo?a=1?sig=…`,
// sent as is, which a lenient server reads as its own) or is percent-encoded in another
// parameter's value: the service may echo the value alone.
import assert from "node:assert/strict";
import { AzureOpenAI } from "../../mod.ts";
import { type LogEvent, logger } from "../../src/middleware/mod.ts";

const SIG = "sig0behind0a0second0mark0123";
const TOKEN = "token0behind0a0second0mark0456";
const PATHS = [["foo?a=1?sig=" + SIG, SIG], ["foo?a=1&x=1?token=" + TOKEN, TOKEN]] as const;

/** A client whose fetch answers 400 with every query value alone, or throws that text. */
function client(events: LogEvent[], throws: boolean) {
  return new AzureOpenAI({
    endpoint: "http://echo.local",
    apiKey: "k".repeat(32),
    maxRetries: 0,
    middleware: [logger({ onEvent: (e) => events.push(e), logBodies: true })],
    fetch: (input) => {
      const search = new URL(input instanceof Request ? input.url : String(input)).search;
      const text = `bad values: ${search.split(/[?&]/).map((p) => p.split("=")[1]).join(" ")}`;
      if (throws) return Promise.reject(new Error(text));
      return Promise.resolve(new Response(text, { status: 400 }));
    },
  });
}

for (const throws of [false, true]) {
  Deno.test(`logger(): a value behind a second '?' is scrubbed from the ${throws ? "error" : "response body"} it logs`, async () => {
    const events: LogEvent[] = [];
    const c = client(events, throws);
    for (const [path, secret] of PATHS) {
      const outcome = await c.request({ path }).then((r) => r.text(), (e) => e);
      // It was said back alone.
      assert.ok(String(outcome?.cause ?? outcome).includes("***") || !throws, String(outcome));
      const logged = events.filter((e) => throws ? e.error : e.responseBody);
      assert.ok(logged.length > 0, JSON.stringify(events));
      const shown = JSON.stringify(events);
      assert.ok(!shown.includes(secret), shown);
      events.length = 0;
    }
  });
}
