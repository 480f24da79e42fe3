/**
 * Code written against the official `openai` SDK's `AzureOpenAI` keeps working when only the
 * import changes: the SDK's option, error and result names that mean what ours mean.
 */
import assert from "node:assert/strict";
import * as edge from "../../mod.ts";
import {
  APITimeoutError,
  AzureOpenAI,
  AzureOpenAIError,
  type Middleware,
  NotFoundError,
} from "../../mod.ts";
import { createEmulator } from "../../src/emulator/mod.ts";

const chat = {
  model: "gpt-4o",
  messages: [{ role: "user" as const, content: "hi" }],
};

/** A client on the emulator whose middleware records each call's settings and auth headers. */
function setup(
  options: Record<string, unknown> | ((apiKey: string) => Record<string, unknown>) = {},
) {
  const emulator = createEmulator();
  const seen: { timeoutMs: number; authorization: string | null; apiKey: string | null }[] = [];
  const spy: Middleware = (ctx, next) => {
    const response = next();
    return response.then((res) => {
      seen.push({
        timeoutMs: ctx.options.timeoutMs,
        authorization: ctx.request.headers.get("authorization"),
        apiKey: ctx.request.headers.get("api-key"),
      });
      return res;
    });
  };
  const client = new AzureOpenAI(
    {
      endpoint: "http://emulator.local",
      apiKey: emulator.apiKey,
      fetch: emulator.fetch,
      middleware: [spy],
      ...(typeof options === "function" ? options(emulator.apiKey) : options),
    } as ConstructorParameters<typeof AzureOpenAI>[0],
  );
  return { client, seen };
}

Deno.test("AzureOpenAI takes the SDK's `timeout` option (ms) as timeoutMs", async () => {
  const { client, seen } = setup({ timeout: 20_000 });
  await client.chat.completions.create(chat);
  assert.equal(seen[0].timeoutMs, 20_000);
  // timeoutMs, our own name, wins when both are given.
  const both = setup({ timeout: 20_000, timeoutMs: 5_000 });
  await both.client.chat.completions.create(chat);
  assert.equal(both.seen[0].timeoutMs, 5_000);
  assert.throws(
    () => setup({ timeout: -1 }),
    (err: unknown) =>
      err instanceof TypeError && /timeoutMs must be a non-negative/.test(err.message),
  );
});

Deno.test("AzureOpenAI takes the SDK's `azureADTokenProvider` as tokenProvider", async () => {
  let calls = 0;
  let key = "";
  const { client, seen } = setup((apiKey) => ({
    apiKey: undefined,
    azureADTokenProvider: () => (calls++, Promise.resolve(key = apiKey)),
  }));
  const res = await client.chat.completions.create(chat);
  assert.equal(res.choices[0].message.content, "You said: hi");
  assert.equal(calls, 1);
  assert.equal(seen[0].authorization, `Bearer ${key}`);
  assert.equal(seen[0].apiKey, null);
  // With an api key too it is refused, as the SDK refuses it.
  assert.throws(
    () => setup({ azureADTokenProvider: () => Promise.resolve("t") }),
    (err: unknown) =>
      err instanceof TypeError && /exactly one of apiKey, token or tokenProvider/.test(err.message),
  );
});

Deno.test("errors carry the SDK's `error` (the body's error object) and `requestID`", async () => {
  const { client } = setup();
  const err = await client.chat.completions.create({ ...chat, model: "no-such-deployment" })
    .then(() => assert.fail("resolved"), (e) => e);
  assert.ok(err instanceof NotFoundError);
  assert.equal(err.error?.code, "DeploymentNotFound");
  assert.equal(typeof err.error?.message, "string");
  assert.deepEqual(err.error, (err.body as { error: unknown }).error);
  assert.ok(err.requestId);
  assert.equal(err.requestID, err.requestId);
  // An error without a body has none, as in the SDK.
  const bare = new AzureOpenAIError("boom");
  assert.equal(bare.error, undefined);
  assert.equal(bare.requestID, undefined);
  // Neither is in toJSON() (the body stays out of logs).
  assert.equal("error" in err.toJSON(), false);
});

Deno.test("the SDK's error class names are exported: APIError, OpenAIError, APIConnectionTimeoutError", () => {
  const names = edge as unknown as Record<string, unknown>;
  assert.equal(names.APIError, AzureOpenAIError);
  assert.equal(names.OpenAIError, AzureOpenAIError);
  assert.equal(names.APIConnectionTimeoutError, APITimeoutError);
});

Deno.test("results carry no `_request_id` (its per-call cost); withResponse() gives request_id", async () => {
  const { client } = setup();
  const { data, request_id } = await client.chat.completions.create(chat).withResponse();
  assert.ok(request_id);
  assert.equal((data as { _request_id?: string })._request_id, undefined);
});

Deno.test("the SDK's constructor names type-check in an object literal, as SDK code writes them", () => {
  const client = new AzureOpenAI({
    endpoint: "https://my-res.openai.azure.com",
    azureADTokenProvider: () => Promise.resolve("token"),
    timeout: 30_000,
    dangerouslyAllowBrowser: true,
  });
  assert.equal(client.endpoint, "https://my-res.openai.azure.com");
});
