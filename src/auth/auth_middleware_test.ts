import assert from "node:assert/strict";
import { apiKeyAuth, tokenAuth } from "./auth_middleware.ts";
import { compose } from "../middleware/compose.ts";
import { CallContext, type CallFields, unbuiltParts } from "../middleware/_replay.ts";
import { makeContext } from "../../tests/middleware/_context.ts";
import { timeout } from "../middleware/timeout.ts";
import { TokenCache } from "./token_cache.ts";
import type { MiddlewareContext } from "../middleware/types.ts";
import { APITimeoutError, APIUserAbortError, AuthenticationError } from "../errors/api_error.ts";

function callContext(body: BodyInit | undefined = '{"a":1}'): CallContext {
  const { request: _request, ...fields } = makeContext();
  return new CallContext({
    url: "https://x.test/p",
    method: "POST",
    headers: { "content-type": "application/json", authorization: "Bearer old" },
    body,
  }, { ...fields, state: {} } as CallFields);
}

Deno.test("apiKeyAuth() sets the key on the client's request parts without building a Request", async () => {
  const ctx = callContext();
  let headers: Record<string, string> | undefined;
  await compose([apiKeyAuth("key-1")], (c) => {
    headers = unbuiltParts(c)?.headers;
    return Promise.resolve(new Response("ok"));
  })(ctx);
  assert.ok(headers, "the request was not built");
  assert.equal(headers["api-key"], "key-1");
  assert.equal(headers.authorization, undefined);
});

Deno.test("apiKeyAuth() sets the key on a built request", async () => {
  const ctx = makeContext();
  await compose([apiKeyAuth("key-1")], (c) => {
    assert.equal(c.request.headers.get("api-key"), "key-1");
    return Promise.resolve(new Response("ok"));
  })(ctx);
});

Deno.test("tokenAuth() resends the client's request parts with a fresh token after a 401", async () => {
  const tokens = ["t-1", "t-2"];
  const ctx = callContext();
  const sent: Array<{ auth: string | null; body: string }> = [];
  const res = await compose(
    [tokenAuth(() => Promise.resolve(tokens.shift() ?? "t-x"))],
    async (c) => {
      const request = c.request; // an injected fetch builds the Request here
      sent.push({ auth: request.headers.get("authorization"), body: await request.text() });
      return new Response("", { status: sent.length === 1 ? 401 : 200 });
    },
  )(ctx);
  assert.equal(res.status, 200);
  assert.deepEqual(sent, [
    { auth: "Bearer t-1", body: '{"a":1}' },
    { auth: "Bearer t-2", body: '{"a":1}' },
  ]);
});

Deno.test("tokenAuth() does not resend a streamed body after a 401", async () => {
  const tokens = ["t-1", "t-2"];
  const ctx = callContext(new ReadableStream<Uint8Array>({ start: (c) => c.close() }));
  let calls = 0;
  const res = await compose([tokenAuth(() => Promise.resolve(tokens.shift() ?? "t-x"))], () => {
    calls++;
    return Promise.resolve(new Response("", { status: 401 }));
  })(ctx);
  assert.equal(res.status, 401);
  assert.equal(calls, 1);
  await res.body?.cancel();
});

Deno.test("apiKeyAuth() and tokenAuth() throw a TypeError for a credential with a line break", () => {
  for (const make of [() => apiKeyAuth("sec\nret"), () => tokenAuth("sec\r\nret")]) {
    assert.throws(make, (err: unknown) => {
      assert.ok(err instanceof TypeError);
      assert.match(err.message, /line break/);
      assert.ok(!err.message.includes("sec"), "the credential is not quoted");
      return true;
    });
  }
});

Deno.test("tokenAuth() rebuilds a built client request from its recorded body after a 401", async () => {
  const tokens = ["t-1", "t-2"];
  const ctx = callContext();
  const sent: Array<{ auth: string | null; apiKey: string | null; body: string }> = [];
  const readsRequest: Parameters<typeof compose>[0][number] = (c, next) => {
    c.request.headers.set("api-key", "stale"); // an outer layer built the Request
    return next();
  };
  const res = await compose(
    [readsRequest, tokenAuth(() => Promise.resolve(tokens.shift() ?? "t-x"))],
    async (c) => {
      const request = c.request;
      sent.push({
        auth: request.headers.get("authorization"),
        apiKey: request.headers.get("api-key"),
        body: await request.text(),
      });
      return new Response("", { status: sent.length === 1 ? 401 : 200 });
    },
  )(ctx);
  assert.equal(res.status, 200);
  assert.deepEqual(sent, [
    { auth: "Bearer t-1", apiKey: null, body: '{"a":1}' },
    { auth: "Bearer t-2", apiKey: null, body: '{"a":1}' },
  ]);
});

Deno.test("tokenAuth() resends a built request with its body read once after a 401", async () => {
  const tokens = ["t-1", "t-2"];
  const seen: string[] = [];
  const res = await compose(
    [tokenAuth(() => Promise.resolve(tokens.shift() ?? "t-x"))],
    async (c) => {
      seen.push(`${c.request.headers.get("authorization")} ${await c.request.text()}`);
      return new Response("", { status: seen.length === 1 ? 401 : 200 });
    },
  )(makeContext());
  assert.equal(res.status, 200);
  assert.deepEqual(seen, ["Bearer t-1 {}", "Bearer t-2 {}"]);
});

Deno.test("tokenAuth() does not resend a built request whose body cannot be replayed", async () => {
  const tokens = ["t-1", "t-2"];
  let calls = 0;
  const res = await compose([tokenAuth(() => Promise.resolve(tokens.shift() ?? "t-x"))], () => {
    calls++;
    return Promise.resolve(new Response("", { status: 401 }));
  })(makeContext({ replayable: false }));
  assert.equal(res.status, 401);
  assert.equal(calls, 1);
  assert.deepEqual(tokens, ["t-2"], "no fresh token was asked for");
});

Deno.test("tokenAuth() resends a built GET request with a fresh token after a 401", async () => {
  const tokens = ["t-1", "t-2"];
  const auths: Array<string | null> = [];
  const ctx = makeContext({ request: new Request("https://x.test/models") });
  const res = await compose([tokenAuth(() => Promise.resolve(tokens.shift() ?? "t-x"))], (c) => {
    auths.push(c.request.headers.get("authorization"));
    return Promise.resolve(new Response("", { status: auths.length === 1 ? 401 : 200 }));
  })(ctx);
  assert.equal(res.status, 200);
  assert.deepEqual(auths, ["Bearer t-1", "Bearer t-2"]);
});

Deno.test("tokenAuth() ends the call when the signal aborts while the token provider is pending", async () => {
  const controller = new AbortController();
  let sent = 0;
  const result = compose([tokenAuth(() => new Promise<string>(() => {}))], () => {
    sent++;
    return Promise.resolve(new Response("ok"));
  })(makeContext({ signal: controller.signal }));
  controller.abort(new Error("caller gave up"));
  await assert.rejects(result, (err: unknown) => {
    assert.ok(err instanceof APIUserAbortError);
    assert.match(err.message, /tokenProvider/);
    return true;
  });
  assert.equal(sent, 0);
});

Deno.test("tokenAuth() under timeout() fails a hanging token provider with APITimeoutError", async () => {
  const run = compose(
    [timeout({ timeoutMs: 5 }), tokenAuth(() => new Promise<string>(() => {}))],
    () => Promise.resolve(new Response("ok")),
  );
  await assert.rejects(run(makeContext()), APITimeoutError);
});

Deno.test("tokenAuth() cancels the 401 body when the refresh after it fails", async () => {
  let cancelled = false;
  const answers = [() => "t-1", () => Promise.reject(new Error("Entra down"))];
  await assert.rejects(
    compose([tokenAuth(() => answers.shift()!())], () =>
      Promise.resolve(
        new Response(new ReadableStream({ cancel: () => void (cancelled = true) }), {
          status: 401,
        }),
      ))(callContext()),
    AuthenticationError,
  );
  assert.ok(cancelled, "the 401 body was cancelled");
});

Deno.test("tokenAuth() keeps a token another call refreshed after a 401 of the old one", async () => {
  let provided = 0;
  const cache = new TokenCache(() => ({
    token: `t-${++provided}`,
    expiresOnTimestamp: Date.now() + 3_600_000,
  }));
  const layer = tokenAuth(cache);
  // Two calls sent with t-1; the second one's 401 arrives after the first one refreshed.
  let releaseSecond!: () => void;
  const secondHeld = new Promise<void>((r) => releaseSecond = r);
  const seen: string[] = [];
  const terminal = async (c: MiddlewareContext) => {
    const auth = c.request.headers.get("authorization")!;
    seen.push(auth);
    if (auth === "Bearer t-1" && seen.length === 2) await secondHeld;
    return new Response("", { status: auth === "Bearer t-1" ? 401 : 200 });
  };
  const first = compose([layer], terminal)(callContext());
  const second = compose([layer], terminal)(callContext());
  assert.equal((await first).status, 200);
  releaseSecond();
  assert.equal((await second).status, 200);
  assert.equal(provided, 2, "one refresh for both calls");
});
