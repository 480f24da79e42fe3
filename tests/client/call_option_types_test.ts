// A call's `middleware` and `signal` of the wrong kind fail with a TypeError naming the call and
// the option before anything is sent, as the client's own `middleware` option does. Before: raw
// "callMiddleware.map is not a function", "layers[index] is not a function" and
// "signal?.addEventListener is not a function".
import assert from "node:assert/strict";
import { AzureOpenAI, type RequestOptions } from "../../mod.ts";

function setup() {
  let sent = 0;
  const client = new AzureOpenAI({
    endpoint: "https://r.openai.azure.com",
    apiKey: "sk-call-option-types-key-1234",
    deployment: "gpt",
    fetch: () => (sent++, Promise.resolve(Response.json({}))),
  });
  return { client, sent: () => sent };
}

const chat = { messages: [{ role: "user" as const, content: "hi" }] };

async function refusal(call: Promise<unknown>): Promise<Error> {
  return await call.then(() => assert.fail("expected a rejection"), (e: Error) => e);
}

Deno.test("a call's middleware that is not an array of functions is a TypeError naming it", async () => {
  for (const middleware of ["x", [1], {}, [() => {}, null]]) {
    const { client, sent } = setup();
    const options = { middleware } as unknown as RequestOptions;
    const calls = [
      () => client.chat.completions.create(chat, options),
      () => client.request({ path: "x", json: {} }, options),
    ];
    for (const call of calls) {
      const err = await refusal(call());
      assert.ok(err instanceof TypeError, String(err));
      assert.match(err.message, /: middleware must be an array of functions$/, err.message);
    }
    assert.equal(sent(), 0);
  }
});

Deno.test("a call's signal that is not an AbortSignal is a TypeError naming it (stream or not)", async () => {
  for (const stream of [false, true]) {
    const { client, sent } = setup();
    const options = { signal: {} } as unknown as RequestOptions;
    const err = await refusal(client.chat.completions.create({ ...chat, stream }, options));
    assert.ok(err instanceof TypeError, String(err));
    assert.match(err.message, /^chat\.completions\.create: signal must be an AbortSignal$/);
    assert.equal(sent(), 0);
  }
});

Deno.test("a call's signal given as null or undefined is no signal", async () => {
  const { client, sent } = setup();
  await client.request({ path: "x", json: {} }, { signal: null } as unknown as RequestOptions);
  await client.request({ path: "x", json: {} }, { signal: undefined, middleware: undefined });
  assert.equal(sent(), 2);
});
