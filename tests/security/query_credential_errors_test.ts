// A credential passed as a query parameter (defaultQuery or a call's query) under any name the
// URL redaction treats as secret never shows in clear in a client error: a 4xx whose body echoes
// the value alone, a fetch failure quoting the URL (Deno's and undici's do), a timeout, a stream
// whose body fails mid-way. Every view is looked at (String, stack, JSON, Deno.inspect with the
// cause and headers).
import assert from "node:assert/strict";
import { APIConnectionError, APITimeoutError, AzureOpenAI, AzureOpenAIError } from "../../mod.ts";
import { views } from "./_error_text_surfaces.ts";
import { CLIENT, echo, failingStream, queryCredentials } from "./_query_credentials.ts";
import { thrown } from "./_thrown.ts";

/** Query names that carry a credential, each with a value of its own. */
const { queryOf, assertClean } = queryCredentials([
  "subscription-key",
  "api-key",
  "sig",
  "code",
  "token",
  "key",
  "access_token",
  "pw",
  "jwt",
  "passphrase",
  "session",
  "sas",
  "auth",
  "credential",
  "signature",
  "client_assertion",
], "Q");

/** The error of one embeddings call through a client with `fetch` and both queries. */
async function failure(
  fetch: (request: Request) => Response | Promise<Response>,
  perCall: boolean,
  more: Record<string, unknown> = {},
): Promise<unknown> {
  const client = new AzureOpenAI({
    ...CLIENT,
    defaultQuery: queryOf("default"),
    fetch: async (input, init) => await fetch(new Request(input, init)),
    ...more,
  });
  return await thrown(() =>
    client.embeddings.create({ input: "hi" }, perCall ? { query: queryOf("call") } : {})
  );
}

for (const perCall of [false, true]) {
  const label = perCall ? "a call's query" : "defaultQuery";
  const where = perCall ? "call" : "default";

  Deno.test(`${label}: a 4xx echoing the credential values alone shows none of them`, async () => {
    const err = await failure(
      (request) =>
        Response.json({ error: { code: "401", message: `denied: ${echo(request)}` } }, {
          status: 401,
          headers: { "x-echo": echo(request) },
        }),
      perCall,
    );
    assert.ok(err instanceof AzureOpenAIError, String(err));
    // Each credential said back is masked; api-version (no secret) stays readable.
    assert.match(err.message, /denied: 2024-10-21 \| \*\*\* \| \*\*\*/);
    assertClean(views(err) + JSON.stringify([...(err.headers ?? new Headers())]), where);
  });

  Deno.test(`${label}: a fetch failure quoting the URL (APIConnectionError) shows none of them`, async () => {
    const err = await failure((request) => {
      throw new TypeError(`error sending request for url (${request.url})`);
    }, perCall);
    assert.ok(err instanceof APIConnectionError, String(err));
    assert.match(String(err), /error sending request for url/);
    assertClean(views(err), where);
  });

  Deno.test(`${label}: a fetch failure quoting the values alone (APIConnectionError) shows none of them`, async () => {
    const err = await failure((request) => {
      throw new TypeError(`connection refused after sending ${echo(request)}`);
    }, perCall);
    assert.ok(err instanceof APIConnectionError, String(err));
    assertClean(views(err), where);
  });

  Deno.test(`${label}: a timeout (APITimeoutError) shows none of them`, async () => {
    const err = await failure(
      (request) =>
        new Promise((_, reject) =>
          request.signal.addEventListener("abort", () =>
            reject(
              new DOMException(`aborted request for url (${request.url})`, "AbortError"),
            ))
        ),
      perCall,
      { timeoutMs: 1 },
    );
    assert.ok(err instanceof APITimeoutError, String(err));
    assertClean(views(err), where);
  });

  Deno.test(`${label}: a stream whose body fails mid-way shows none of them`, async () => {
    const client = new AzureOpenAI({
      ...CLIENT,
      defaultQuery: queryOf("default"),
      fetch: (input, init) => {
        const request = new Request(input, init);
        return Promise.resolve(failingStream(
          "hi",
          new TypeError(
            `error reading a body from connection for url (${request.url}): ${echo(request)}`,
          ),
        ));
      },
    });
    const stream = await client.chat.completions.create(
      { messages: [{ role: "user", content: "hi" }], stream: true },
      perCall ? { query: queryOf("call") } : {},
    );
    let chunks = 0;
    const err = await thrown(async () => {
      for await (const _ of stream) chunks++;
    });
    assert.equal(chunks, 1);
    assert.ok(err instanceof APIConnectionError, String(err));
    assertClean(views(err), where);
  });
}

Deno.test("a credential given as an array or an object member (name[] / name[key]) is scrubbed when echoed", async () => {
  const values = ["QarrayFirst0123456789abcdefXYZ", "QarraySecond0123456789abcdefXYZ"];
  const member = "QobjectMember0123456789abcdefXYZ";
  const client = new AzureOpenAI({
    ...CLIENT,
    defaultQuery: { signatures: values } as never,
    fetch: (input, init) => {
      const request = new Request(input, init);
      return Promise.resolve(
        Response.json({ error: { code: "401", message: `denied: ${echo(request)}` } }, {
          status: 401,
        }),
      );
    },
  });
  const err = await thrown(() =>
    client.embeddings.create({ input: "hi" }, { query: { auth_data: { token: member } } })
  );
  assert.ok(err instanceof AzureOpenAIError, String(err));
  const shown = views(err);
  for (const value of [...values, member]) assert.ok(!shown.includes(value), shown);
  assert.match(err.message, /signatures%5B%5D=\*\*\*/);
});
