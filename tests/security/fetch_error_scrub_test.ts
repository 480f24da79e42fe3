// A user's fetch that fails may carry the request's credentials in what it throws: inside an
// AggregateError's errors, as the Request itself (a `request` field or the cause), or as a
// headers record. The client's error must not show them in any view (Deno.inspect included).
import assert from "node:assert/strict";
import { APIConnectionError, AzureOpenAI } from "../../mod.ts";

const KEY = "sk-FetchFailure0123456789abcdefKEY";

/** The client's error for a call whose fetch throws `make(the request's key, url)`. */
async function failure(make: (key: string, url: string) => unknown): Promise<unknown> {
  const client = new AzureOpenAI({
    endpoint: "https://res.openai.azure.com",
    apiKey: KEY,
    deployment: "d",
    maxRetries: 0,
    fetch: (input, init) => {
      const request = new Request(input, init);
      throw make(request.headers.get("api-key")!, request.url);
    },
  });
  try {
    await client.embeddings.create({ input: "hi" });
  } catch (err) {
    return err;
  }
  throw new Error("expected a throw");
}

function assertClean(err: unknown): void {
  assert.ok(err instanceof APIConnectionError, String(err));
  const text = [
    Deno.inspect(err, { depth: 20, showHidden: true }),
    String(err),
    JSON.stringify(err),
  ].join("\n");
  for (const form of [KEY, KEY.toLowerCase(), encodeURIComponent(KEY)]) {
    assert.ok(!text.includes(form), `the key leaked:\n${text.slice(0, 1200)}`);
  }
}

Deno.test("a fetch failure's AggregateError (a connection tried on each address) is scrubbed in each of its errors", async () => {
  const err = await failure((key) =>
    new AggregateError([new Error(`connect failed with api-key ${key}`), "tried " + key], "x")
  );
  assertClean(err);
  // What it said is still there, less the key.
  assert.match(Deno.inspect(err, { depth: 20 }), /connect failed with api-key \*\*\*/);
});

Deno.test("a fetch failure holding the Request (as a field or its cause) does not show its api-key header", async () => {
  for (
    const make of [
      (_key: string, url: string) =>
        Object.assign(new TypeError("network down"), {
          request: new Request(url, { headers: { "api-key": KEY } }),
        }),
      (_key: string, url: string) =>
        new TypeError("network down", {
          cause: new Request(url, { method: "POST", headers: { "api-key": KEY } }),
        }),
    ]
  ) {
    const err = await failure(make);
    assertClean(err);
    assert.match(Deno.inspect(err, { depth: 20 }), /network down/);
  }
});

Deno.test("a fetch failure with a config of plain headers does not show them", async () => {
  const err = await failure((key) =>
    Object.assign(new Error("request failed"), { config: { headers: { "api-key": key } } })
  );
  assertClean(err);
});

Deno.test("a fetch failure with a field that is no JSON (a cycle) still rejects with the typed error, the field dropped", async () => {
  const err = await failure((key) => {
    const config: Record<string, unknown> = { headers: { "api-key": key } };
    config.self = config;
    return Object.assign(new Error("request failed"), { config, attempts: 10n });
  });
  assertClean(err);
  assert.equal((err as { cause: { config?: unknown } }).cause.config, undefined);
});
