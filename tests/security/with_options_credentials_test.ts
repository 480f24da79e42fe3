// client.withOptions() with a new credential: the derived client's errors (a 4xx echoing the
// credential it sent, a fetch failure holding its Request) and a shared logger()'s events show
// neither the old key nor the new one; the parent's show neither either. A credential passed to
// withOptions() by mistake as the options (a string) is not quoted by the error that refuses it.
import assert from "node:assert/strict";
import { AzureOpenAI } from "../../mod.ts";
import { type LogEvent, logger } from "../../src/middleware/mod.ts";
import { views } from "./_error_text_surfaces.ts";

const OLD = "sk-ParentOldKey0123456789abcdef";
const NEW = "sk-DerivedNewKey0123456789abcdef";
const TOKEN = "eyDerivedBearerToken0123456789abcdef";

/** The credential a request carries, said back (with its headers) in a 401 or a fetch failure. */
function service(mode: { throw: boolean }) {
  return (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const request = new Request(input, init);
    const sent = request.headers.get("api-key") ?? request.headers.get("authorization");
    if (mode.throw) {
      return Promise.reject(
        Object.assign(new TypeError(`connection reset sending ${sent}`), { request }),
      );
    }
    return Promise.resolve(
      Response.json({ error: { code: "401", message: `key ${sent} is not valid` } }, {
        status: 401,
        headers: { "x-echo": String(sent) },
      }),
    );
  };
}

Deno.test("withOptions(): neither the old nor the new credential shows in the errors or logs of either client", async () => {
  const events: LogEvent[] = [];
  const mode = { throw: false };
  const parent = new AzureOpenAI({
    endpoint: "https://res.openai.azure.com",
    apiKey: OLD,
    deployment: "d",
    maxRetries: 0,
    middleware: [logger({ onEvent: (e) => events.push(e), logHeaders: true, logBodies: true })],
    fetch: service(mode),
  });
  const children = [parent.withOptions({ apiKey: NEW }), parent.withOptions({ token: TOKEN })];
  const shown: string[] = [];
  for (const thrown of [false, true]) {
    mode.throw = thrown;
    for (const client of [parent, ...children, parent]) {
      const err = await client.embeddings.create({ input: "hi" }).then(
        () => new Error("expected a throw"),
        (e) => e,
      );
      shown.push(views(err));
    }
  }
  // The calls went out with their own credential (the service said it back, masked).
  assert.equal(
    shown.filter((s) => /(key|sending) (Bearer )?\*\*\*( is not valid|\n)/.test(s)).length,
    8,
    shown.join("\n"),
  );
  const text = `${shown.join("\n")}\n${JSON.stringify(events)}`;
  for (const secret of [OLD, NEW, TOKEN]) {
    assert.ok(!text.includes(secret), `${secret} leaked:\n${text.slice(0, 1500)}`);
  }
});

Deno.test("withOptions(): a credential passed as the options (a string) is refused without quoting it", () => {
  const client = new AzureOpenAI({ endpoint: "https://res.openai.azure.com", apiKey: OLD });
  for (const wrong of [NEW, null, 5]) {
    const err = (() => {
      try {
        client.withOptions(wrong as never);
      } catch (e) {
        return e;
      }
    })();
    assert.ok(err instanceof TypeError, `withOptions(${wrong}) did not throw`);
    assert.ok(!views(err).includes(NEW), views(err));
    assert.match(err.message, /withOptions\(\): pass an options object/);
  }
});

Deno.test("withOptions(): a new credential refused (a line break inside) is not quoted", () => {
  const client = new AzureOpenAI({ endpoint: "https://res.openai.azure.com", apiKey: OLD });
  for (const options of [{ apiKey: `${NEW}\nx` }, { token: `${TOKEN}\nx` }]) {
    const err = (() => {
      try {
        client.withOptions(options);
      } catch (e) {
        return e;
      }
    })();
    assert.ok(err instanceof TypeError, JSON.stringify(options));
    assert.ok(!views(err).includes(NEW) && !views(err).includes(TOKEN), views(err));
  }
});
