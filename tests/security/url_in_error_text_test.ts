// Secrets inside URLs that a fetch failure or a service's error text quotes (a proxy's user
// name and password, a SAS signature), and credentials a fetch failure keeps where only
// Deno.inspect shows them (symbol-keyed fields, a Map or a Headers inside a field, a long cause
// chain): none may show in the client's error, in any view, nor in logger()'s error event.
import assert from "node:assert/strict";
import { AzureOpenAI, BadRequestError } from "../../mod.ts";
import { type LogEvent, logger } from "../../src/middleware/logger.ts";
import { views } from "./_error_text_surfaces.ts";

const KEY = "sk-UrlInErrorText0123456789abcdefKEY";

/** The client's error for a call whose fetch rejects with `make(the request's key)`. */
async function failure(
  make: (key: string) => unknown,
  events: LogEvent[] = [],
): Promise<unknown> {
  const client = new AzureOpenAI({
    endpoint: "https://res.openai.azure.com",
    apiKey: KEY,
    deployment: "d",
    maxRetries: 0,
    middleware: [logger({ onEvent: (e) => events.push(e) })],
    fetch: (input, init) => Promise.reject(make(new Request(input, init).headers.get("api-key")!)),
  });
  try {
    await client.embeddings.create({ input: "hi" });
  } catch (err) {
    return err;
  }
  throw new Error("expected a throw");
}

function assertHidden(text: string, ...secrets: string[]): void {
  for (const secret of secrets) {
    assert.ok(!text.includes(secret), `${secret} leaked:\n${text.slice(0, 1500)}`);
  }
}

Deno.test("a fetch failure quoting a URL with a user name and password (a proxy's) shows the URL without them", async () => {
  for (
    const make of [
      () => new TypeError("error sending request for url (https://user:p4ssw0rd@host/x?a=1)"),
      () =>
        new TypeError("fetch failed", {
          cause: new Error("connect to proxy http://proxyuser:p4ssw0rd@127.0.0.1:3128 failed"),
        }),
      () => "proxy http://u:p4ssw0rd@proxy.local refused",
    ]
  ) {
    const events: LogEvent[] = [];
    const err = await failure(make, events);
    const text = views(err);
    assertHidden(text, "p4ssw0rd", KEY);
    // The rest of the URL is kept.
    assert.match(text, /https?:\/\/(host\/x\?a=1|127\.0\.0\.1:3128|proxy\.local)/);
    const logged = JSON.stringify(events);
    assert.ok(logged.includes('"error"'), logged);
    assertHidden(logged, "p4ssw0rd", KEY);
  }
});

Deno.test("a fetch failure's credential in a symbol-keyed field, a Map or a Headers inside a field, or deep in its cause chain is not shown", async () => {
  for (
    const make of [
      (key: string) => Object.assign(new Error("x"), { [Symbol("config")]: key }),
      (key: string) => Object.assign(new Error("x"), { headers: new Map([["api-key", key]]) }),
      (key: string) =>
        Object.assign(new Error("x"), { options: { headers: new Headers({ "api-key": key }) } }),
      (key: string) => {
        let err = new Error(`leaf ${key}`);
        for (let i = 0; i < 12; i++) err = new Error(`level ${i}`, { cause: err });
        return err;
      },
    ]
  ) {
    assertHidden(views(await failure(make)), KEY);
  }
});

Deno.test("a cause chain that loops or branches back is still scrubbed (each error walked once)", async () => {
  const err = await failure((key) => {
    const a = new Error(`a ${key}`);
    const b = new AggregateError([a, a], `b ${key}`, { cause: a });
    Object.assign(a, { cause: b, errors: [b, b], other: b });
    return a;
  });
  assertHidden(views(err), KEY);
});

Deno.test("a service's 400 echoing a SAS URL of the request shows its signature masked", async () => {
  const sas = "https://acct.blob.core.windows.net/c/cat.png?sv=2024-08-04&se=2030&sp=r" +
    "&sig=SiGsEcReT0123%2Babc%3D";
  const client = new AzureOpenAI({
    endpoint: "https://res.openai.azure.com",
    apiKey: KEY,
    deployment: "d",
    maxRetries: 0,
    fetch: () =>
      Promise.resolve(Response.json({
        error: {
          code: "BadRequest",
          message: `Invalid image URL: '${sas}'. Check the signature (url: ${sas}).`,
        },
      }, { status: 400 })),
  });
  const err = await client.chat.completions.create({
    messages: [{ role: "user", content: [{ type: "image_url", image_url: { url: sas } }] }],
  }).catch((e) => e);
  assert.ok(err instanceof BadRequestError, String(err));
  const text = views(err);
  assertHidden(text, "SiGsEcReT0123");
  // The URL is still there, its other parameters too.
  assert.ok(err.message.includes("cat.png?sv=2024-08-04&se=2030&sp=r&sig=***"), err.message);
});
