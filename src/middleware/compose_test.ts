import assert from "node:assert/strict";
import { compose, MiddlewareError } from "./compose.ts";
import type { Middleware } from "./types.ts";
import { ClientCore } from "../_internal/core.ts";
import { apiKeyAuth } from "../auth/auth_middleware.ts";
import { retry } from "./retry.ts";
import { timeout } from "./timeout.ts";
import { makeContext } from "../../tests/middleware/_context.ts";

const ok = () => Promise.resolve(new Response("ok"));

Deno.test("compose() runs middleware in onion order, first registered outermost", async () => {
  const log: string[] = [];
  const layer = (name: string): Middleware => async (_ctx, next) => {
    log.push(`${name}>`);
    const res = await next();
    log.push(`<${name}`);
    return res;
  };
  const run = compose([layer("a"), layer("b"), layer("c")], () => {
    log.push("terminal");
    return ok();
  });
  await run(makeContext());
  assert.deepEqual(log, ["a>", "b>", "c>", "terminal", "<c", "<b", "<a"]);
});

Deno.test("compose() rejects with MiddlewareError when next() is called twice at once", async () => {
  let release!: () => void;
  const gate = new Promise<void>((r) => release = r);
  const twice: Middleware = async function twice(_ctx, next) {
    const first = next();
    const second = next();
    await assert.rejects(second, (err: unknown) => {
      assert.ok(err instanceof MiddlewareError);
      assert.match(err.message, /#1 \(twice\) called next\(\) twice at once/);
      return true;
    });
    release();
    return await first;
  };
  const res = await compose([twice], async () => {
    await gate;
    return new Response("once");
  })(makeContext());
  assert.equal(await res.text(), "once");
});

Deno.test("compose() guards a layer whose inner layers are built-ins (not guarded themselves)", async () => {
  // The built-ins take no guard (a `then` per layer per call); the layer around them keeps its.
  let calls = 0;
  let release!: () => void;
  const gate = new Promise<void>((r) => release = r);
  const terminal = async () => {
    calls++;
    await gate;
    return new Response(`call ${calls}`);
  };
  const twice: Middleware = async function twice(_ctx, next) {
    const first = next();
    await assert.rejects(next(), /#1 \(twice\) called next\(\) twice at once/);
    release();
    await (await first).text();
    // Sequential next() calls re-run the inner layers (what a retry does).
    return await next();
  };
  const stack = [twice, retry({ maxRetries: 0 }), timeout({ timeoutMs: 0 }), apiKeyAuth("k")];
  const res = await compose(stack, terminal)(makeContext());
  assert.equal(await res.text(), "call 2");
  assert.equal(calls, 2);
});

Deno.test("compose() rejects with MiddlewareError when next() is called after return", async () => {
  let saved: (() => Promise<Response>) | undefined;
  const leaky: Middleware = (_ctx, next) => {
    saved = next;
    return Promise.resolve(new Response("early"));
  };
  await compose([leaky], ok)(makeContext());
  assert.ok(saved);
  await assert.rejects(saved(), (err: unknown) => {
    assert.ok(err instanceof MiddlewareError);
    assert.match(err.message, /called next\(\) after it returned/);
    return true;
  });
});

Deno.test("compose() lets next() run again once the previous call settled", async () => {
  let calls = 0;
  const twice: Middleware = async (_ctx, next) => {
    await (await next()).body?.cancel();
    return next();
  };
  const res = await compose([twice], () => {
    calls++;
    return Promise.resolve(new Response(`call ${calls}`));
  })(makeContext());
  assert.equal(calls, 2);
  assert.equal(await res.text(), "call 2");
});

Deno.test("compose() short-circuits when a middleware returns without next()", async () => {
  let reached = false;
  const inner: Middleware = (_ctx, next) => {
    reached = true;
    return next();
  };
  const short: Middleware = () => Promise.resolve(new Response("cached", { status: 203 }));
  const res = await compose([short, inner], () => {
    reached = true;
    return ok();
  })(makeContext());
  assert.equal(res.status, 203);
  assert.equal(await res.text(), "cached");
  assert.equal(reached, false);
});

Deno.test("compose() passes a rewritten request to inner layers", async () => {
  const rewrite: Middleware = (ctx, next) => {
    ctx.request = new Request(ctx.request.url + "&x=1", {
      method: "POST",
      headers: ctx.request.headers,
      body: '{"rewritten":true}',
    });
    return next();
  };
  let seen: Request | undefined;
  await compose([rewrite], (ctx) => {
    seen = ctx.request;
    return ok();
  })(makeContext({ request: new Request("https://x.test/p?a=1", { method: "POST" }) }));
  assert.ok(seen);
  assert.equal(seen.url, "https://x.test/p?a=1&x=1");
  assert.deepEqual(await seen.json(), { rewritten: true });
});

Deno.test("compose() lets an outer layer replace the response", async () => {
  const replace: Middleware = async (_ctx, next) => {
    const res = await next();
    return new Response((await res.text()).toUpperCase(), {
      status: 201,
      headers: { "x-replaced": "1" },
    });
  };
  const res = await compose([replace], ok)(makeContext());
  assert.equal(res.status, 201);
  assert.equal(res.headers.get("x-replaced"), "1");
  assert.equal(await res.text(), "OK");
});

Deno.test("compose() turns a synchronous throw in a middleware into a rejection", async () => {
  const boom: Middleware = () => {
    throw new RangeError("boom");
  };
  const result = compose([boom], ok)(makeContext());
  assert.ok(result instanceof Promise);
  await assert.rejects(result, RangeError);
});

Deno.test("compose() rejects with MiddlewareError when a middleware resolves without a Response, and retry() does not resend", async () => {
  // A layer that forgot `return next()`: its call resolves to undefined.
  const forgot = async function forgot(_ctx: unknown, next: () => Promise<Response>) {
    await next();
  } as unknown as Middleware;
  let sent = 0;
  const run = compose([retry({ sleep: () => Promise.resolve() }), forgot], () => {
    sent++;
    return ok();
  });
  await assert.rejects(run(makeContext()), (err: unknown) => {
    assert.ok(err instanceof MiddlewareError);
    assert.match(err.message, /#2 \(forgot\) returned no response/);
    return true;
  });
  assert.equal(sent, 1);
});

Deno.test("compose() propagates an error of the terminal to every layer", async () => {
  const seen: unknown[] = [];
  const catcher: Middleware = async (_ctx, next) => {
    try {
      return await next();
    } catch (err) {
      seen.push(err);
      throw err;
    }
  };
  await assert.rejects(
    compose([catcher, catcher], () => Promise.reject(new Error("down")))(makeContext()),
    /down/,
  );
  assert.equal(seen.length, 2);
});

Deno.test("ClientCore runs per-call middleware inside the client's middleware", async () => {
  const log: string[] = [];
  const layer = (name: string): Middleware => async (_ctx, next) => {
    log.push(`${name}>`);
    const res = await next();
    log.push(`<${name}`);
    return res;
  };
  const core = new ClientCore({
    endpoint: "https://res.openai.azure.com",
    apiKey: "k-123456",
    middleware: [layer("client1"), layer("client2")],
    fetch: (req) => {
      log.push(`fetch ${req.headers.get("api-key") ? "with key" : "without key"}`);
      return Promise.resolve(new Response("{}"));
    },
  });
  await core.sendRaw({
    operation: "demo",
    method: "GET",
    scope: "resource",
    path: "models",
    options: { middleware: [layer("call")] },
  });
  assert.deepEqual(log, [
    "client1>",
    "client2>",
    "call>",
    "fetch with key",
    "<call",
    "<client2",
    "<client1",
  ]);
});

Deno.test("ClientCore hands a stream response on before the server finished it", async () => {
  let finish!: () => void;
  const finished = new Promise<void>((r) => finish = r);
  const encoder = new TextEncoder();
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, () => {
    const body = new ReadableStream<Uint8Array>({
      async start(controller) {
        controller.enqueue(encoder.encode("data: first\n\n"));
        await finished;
        controller.enqueue(encoder.encode("data: last\n\n"));
        controller.close();
      },
    });
    return new Response(body, { headers: { "content-type": "text/event-stream" } });
  });
  try {
    const passthrough: Middleware = (_ctx, next) => next();
    const core = new ClientCore({
      endpoint: `http://127.0.0.1:${server.addr.port}`,
      apiKey: "k-123456",
      middleware: [passthrough],
    });
    const { response } = await core.send({
      operation: "chat.completions.create",
      method: "POST",
      scope: "deployment",
      deployment: "d",
      path: "chat/completions",
      json: { stream: true },
      stream: true,
    });
    assert.ok(response.body);
    const reader = response.body.getReader();
    const first = await reader.read();
    // The server is still holding the rest: the pipeline did not buffer the body.
    assert.equal(new TextDecoder().decode(first.value), "data: first\n\n");
    finish();
    let rest = "";
    for (let r = await reader.read(); !r.done; r = await reader.read()) {
      rest += new TextDecoder().decode(r.value);
    }
    assert.equal(rest, "data: last\n\n");
  } finally {
    finish();
    await server.shutdown();
  }
});
