import assert from "node:assert/strict";
import { ClientCore } from "./core.ts";
import { APITimeoutError, APIUserAbortError } from "../errors/api_error.ts";
import { ALARMS } from "../middleware/_alarm_clock.ts";
import { startServer } from "../../tests/helpers/server.ts";

const KEY = "core-test-key-0123456789";

/** Embeddings POST with a 1 s timeoutMs (headers must come within it even on a loaded machine). */
const SLOW_CALL = {
  operation: "embeddings.create",
  method: "POST",
  scope: "deployment",
  deployment: "e",
  path: "embeddings",
  json: { input: "x" },
  options: { timeoutMs: 1000 },
} as const;

/** The error a call gets when its body stalls past timeoutMs. */
function isTimeout(err: unknown): boolean {
  assert.ok(err instanceof APITimeoutError, String(err));
  assert.match(err.message, /embeddings\.create .* timed out after 1000 ms/);
  assert.ok(!err.message.includes(KEY));
  return true;
}

/**
 * Runs `check` against a server that sends headers and the start of a JSON body at once, and the
 * rest only once the check is done.
 */
async function withStalledBody(check: (core: ClientCore) => Promise<void>): Promise<void> {
  let release!: () => void;
  const released = new Promise<void>((r) => release = r);
  await using server = await startServer(() => {
    const body = new ReadableStream<Uint8Array>({
      async start(c) {
        c.enqueue(new TextEncoder().encode('{"data":'));
        await released;
        c.close();
      },
    });
    return new Response(body, { headers: { "content-type": "application/json" } });
  });
  try {
    await check(new ClientCore({ endpoint: server.url, apiKey: KEY, maxRetries: 0 }));
  } finally {
    release();
  }
}

Deno.test("ClientCore.send() keeps timeoutMs running until the body was read", () =>
  withStalledBody(async (core) => {
    const { response } = await core.send(SLOW_CALL);
    assert.equal(response.status, 200, "headers came in time");
    await assert.rejects(response.json(), isTimeout);
  }));

Deno.test("ClientCore.send({ read }) reads the body inside timeoutMs", () =>
  withStalledBody(async (core) => {
    await assert.rejects(core.send({ ...SLOW_CALL, read: "json" }), isTimeout);
  }));

Deno.test("ClientCore.send({ read }) maps the caller's abort during the body read, also without timeoutMs", () =>
  withStalledBody(async (core) => {
    for (const timeoutMs of [0, 60_000]) {
      const controller = new AbortController();
      // Abort only once the headers are in, so the abort always lands in the body read (a fixed
      // delay after the call raced the headers on a loaded machine).
      const abortAfterHeaders = async (_ctx: unknown, next: () => Promise<Response>) => {
        const response = await next();
        setTimeout(() => controller.abort(), 5);
        return response;
      };
      const call = core.send({
        ...SLOW_CALL,
        options: { timeoutMs, signal: controller.signal, middleware: [abortAfterHeaders] },
        read: "json",
      });
      await assert.rejects(call, (err: unknown) => {
        assert.ok(err instanceof APIUserAbortError, `timeoutMs ${timeoutMs}: ${err}`);
        assert.match(err.message, /embeddings\.create was aborted by the caller/);
        return true;
      });
    }
  }));

Deno.test("ClientCore.sendRaw() keeps timeoutMs running while the caller streams response.body", async () => {
  let release!: () => void;
  const released = new Promise<void>((r) => release = r);
  await using server = await startServer(() =>
    new Response(
      new ReadableStream<Uint8Array>({
        async start(c) {
          c.enqueue(new TextEncoder().encode("first"));
          await released;
          c.close();
        },
      }),
    )
  );
  try {
    const core = new ClientCore({ endpoint: server.url, apiKey: KEY, maxRetries: 0 });
    const { response } = await core.sendRaw({
      operation: "request models",
      method: "GET",
      scope: "resource",
      path: "models",
      options: { timeoutMs: 1000 },
    });
    const reader = response.body!.getReader();
    assert.equal(new TextDecoder().decode((await reader.read()).value), "first");
    await assert.rejects(reader.read(), (err: unknown) => {
      assert.ok(err instanceof APITimeoutError, String(err));
      assert.match(err.message, /timed out after 1000 ms/);
      return true;
    });
  } finally {
    release();
  }
});

Deno.test("ClientCore.send() reads the body of fetch's own response for a non-stream call", async () => {
  const upstream = new Response('{"ok":true}', { headers: { "x-upstream": "1" } });
  const core = new ClientCore({
    endpoint: "https://res.openai.azure.com",
    apiKey: KEY,
    fetch: () => Promise.resolve(upstream),
  });
  const { response, data } = await core.send({
    operation: "embeddings.create",
    method: "POST",
    scope: "deployment",
    deployment: "e",
    path: "embeddings",
    json: { input: "x" },
    read: "json",
  });
  assert.equal(response, upstream, "no copy of the response was made");
  assert.deepEqual(data, { ok: true });
  assert.equal(response.bodyUsed, true);
});

Deno.test("ClientCore sends a JSON body with content-length, not chunked, through retry and timeout", async () => {
  const seen: Array<{ length: string | null; chunked: string | null; key: string | null }> = [];
  let n = 0;
  await using server = await startServer((req) => {
    seen.push({
      length: req.headers.get("content-length"),
      chunked: req.headers.get("transfer-encoding"),
      key: req.headers.get("api-key"),
    });
    return new Response("{}", {
      status: n++ === 0 ? 503 : 200,
      headers: { "retry-after-ms": "0" },
    });
  });
  const core = new ClientCore({ endpoint: server.url, apiKey: KEY, maxRetries: 1 });
  const { response } = await core.send({
    operation: "embeddings.create",
    method: "POST",
    scope: "deployment",
    deployment: "e",
    path: "embeddings",
    json: { input: "x" },
  });
  assert.deepEqual(await response.json(), {});
  const length = String(JSON.stringify({ input: "x" }).length);
  assert.deepEqual(seen, [
    { length, chunked: null, key: KEY },
    { length, chunked: null, key: KEY },
  ]);
});

Deno.test("ClientCore() throws a TypeError for a bad defaultHeaders value", () => {
  assert.throws(
    () =>
      new ClientCore({
        endpoint: "https://res.openai.azure.com",
        apiKey: KEY,
        defaultHeaders: { "x-bad": "a\nb" },
      }),
    (err: unknown) => err instanceof TypeError && /defaultHeaders/.test(err.message),
  );
});

Deno.test("ClientCore passes fetch no signal for a non-stream call without signal or timeout", async () => {
  const inits: Array<RequestInit | undefined> = [];
  const core = new ClientCore({
    endpoint: "https://res.openai.azure.com",
    apiKey: KEY,
    timeoutMs: 0,
    fetch: (_req, init) => {
      inits.push(init);
      return Promise.resolve(new Response("{}"));
    },
  });
  const spec = {
    operation: "embeddings.create",
    method: "POST" as const,
    scope: "deployment" as const,
    deployment: "e",
    path: "embeddings",
    json: { input: "x" },
  };
  await (await core.send(spec)).response.body?.cancel();
  const caller = new AbortController();
  await (await core.send({ ...spec, options: { signal: caller.signal } })).response.body?.cancel();
  assert.equal(inits[0]?.signal, undefined);
  assert.equal(inits[1]?.signal, caller.signal, "the caller's signal as it is");
});

Deno.test("ClientCore.sendRaw(): a body nobody reads holds no deadline timer; reading it resumes the deadline", () =>
  withStalledBody(async (core) => {
    const { response } = await core.sendRaw({ ...SLOW_CALL, options: { timeoutMs: 60_000 } });
    assert.equal(response.status, 200);
    assert.equal(ALARMS.size, 0, "no alarm pending for the unread body");
    // Once read, the deadline runs again (here a short one, so the stalled body times out).
    const { response: slow } = await core.sendRaw(SLOW_CALL);
    assert.equal(ALARMS.size, 0);
    await assert.rejects(slow.json(), isTimeout);
    await response.body?.cancel();
  }));
