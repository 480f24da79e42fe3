// Credentials echoed back by the service (or a gateway in front of it) must not survive in any
// view of an error: message, stack, String(), JSON, Deno.inspect(), body, headers, cause chain.
import assert from "node:assert/strict";
import { AzureOpenAI } from "../../mod.ts";
import { createEdgeApp } from "../../edge/mod.ts";

const KEY = "sk-Echoed0123456789abcdefKEY";

/** Every form an echo of `secret` may take that a reader would still recognise. */
function forms(secret: string): string[] {
  return [secret, secret.toLowerCase(), secret.toUpperCase(), encodeURIComponent(secret)];
}

/** Throws when any view of `err` (or its causes) holds `secret` in any of its forms. */
function assertClean(err: unknown, secret = KEY): void {
  const views: string[] = [];
  for (let e = err as Record<string, unknown> | undefined, i = 0; e && i < 5; i++) {
    views.push(
      String(e),
      String(e.message),
      String(e.stack),
      JSON.stringify(e) ?? "",
      JSON.stringify(e.body) ?? "",
      JSON.stringify(e.innerError) ?? "",
      String(e.revisedPrompt),
      e.headers instanceof Headers ? JSON.stringify([...e.headers]) : "",
    );
    e = e.cause as Record<string, unknown> | undefined;
  }
  views.push(Deno.inspect(err, { depth: 10, showHidden: true }));
  const text = views.join("\n");
  for (const form of forms(secret)) {
    assert.ok(!text.includes(form), `${form} leaked:\n${text.slice(0, 800)}`);
  }
}

function client(fetch: (req: Request) => Response | Promise<Response>) {
  return new AzureOpenAI({
    endpoint: "https://res.openai.azure.com",
    apiKey: KEY,
    deployment: "d",
    maxRetries: 0,
    fetch: async (req) => await fetch(req),
  });
}

const MESSAGES = [{ role: "user" as const, content: "hi" }];

async function caught(run: () => Promise<unknown>): Promise<unknown> {
  try {
    await run();
  } catch (err) {
    return err;
  }
  throw new Error("expected a throw");
}

Deno.test("errors: a key echoed lower-cased, upper-cased or URL-encoded is scrubbed", async () => {
  for (
    const echo of [
      (k: string) => k.toLowerCase(),
      (k: string) => k.toUpperCase(),
      encodeURIComponent,
    ]
  ) {
    const err = await caught(() =>
      client((req) =>
        Response.json({
          error: { code: "401", message: `key ${echo(req.headers.get("api-key")!)}` },
        }, {
          status: 401,
        })
      ).chat.completions.create({ messages: MESSAGES })
    );
    assertClean(err);
  }
  // A key whose URL-encoded form differs from it.
  const odd = "key+with/odd=chars 0123456789";
  const err = await caught(() =>
    new AzureOpenAI({
      endpoint: "https://res.openai.azure.com",
      apiKey: odd,
      deployment: "d",
      maxRetries: 0,
      fetch: (req) =>
        Promise.resolve(
          new Response(`denied: ${encodeURIComponent(req.headers.get("api-key")!)}`, {
            status: 403,
          }),
        ),
    }).chat.completions.create({ messages: MESSAGES })
  );
  assertClean(err, odd);
});

Deno.test("errors: credentials echoed in response headers or revised_prompt are scrubbed", async () => {
  const err = await caught(() =>
    client((req) =>
      Response.json({
        error: {
          code: "content_policy_violation",
          message: "filtered",
          inner_error: { revised_prompt: `a lighthouse ${req.headers.get("api-key")}` },
        },
      }, {
        status: 400,
        headers: {
          "x-echo-api-key": req.headers.get("api-key")!,
          "set-cookie": "session=abc; HttpOnly",
          "apim-request-id": "req-1",
        },
      })
    ).images.generate({ prompt: "a lighthouse" })
  );
  assertClean(err);
  const headers = (err as { headers: Headers }).headers;
  assert.equal(headers.get("apim-request-id"), "req-1");
  assert.equal(headers.get("set-cookie"), "***");
  assert.equal((err as { requestId: string }).requestId, "req-1");
});

Deno.test("streams: error events and bad events that echo the key are scrubbed", async () => {
  const bodies = [
    (k: string) =>
      `data: {"choices":[]}\n\nevent: error\ndata: {"error":{"message":"key ${k}"}}\n\n`,
    (k: string) => `data: {"error":{"code":"500","message":"key ${k}"}}\n\n`,
    (k: string) => `data: not json ${k}\n\n`,
  ];
  for (const body of bodies) {
    const stream = await client((req) =>
      new Response(body(req.headers.get("api-key")!), {
        headers: { "content-type": "text/event-stream", "x-echo": req.headers.get("api-key")! },
      })
    ).chat.completions.create({ messages: MESSAGES, stream: true });
    const err = await caught(async () => {
      for await (const _ of stream);
    });
    assertClean(err);
  }
});

Deno.test("images.generateAndWait(): a failed operation that echoes the key is scrubbed", async () => {
  const err = await caught(() =>
    client((req) =>
      req.url.includes(":submit")
        ? Response.json({ id: "op1", status: "notRunning" }, {
          status: 202,
          headers: {
            "operation-location":
              "https://res.openai.azure.com/openai/operations/images/op1?api-version=2024-02-01",
          },
        })
        : Response.json({
          id: "op1",
          status: "failed",
          error: { code: "x", message: `denied for ${req.headers.get("api-key")}` },
        })
    ).images.generateAndWait({ prompt: "p" }, { pollIntervalMs: 0 })
  );
  assertClean(err);
});

Deno.test("edge: an upstream error that echoes the upstream key is relayed without it", async () => {
  const echo = (req: Request) =>
    new Response(
      JSON.stringify({ error: { code: "401", message: `bad key ${req.headers.get("api-key")}` } }),
      {
        status: 401,
        headers: {
          "content-type": "application/json",
          "apim-request-id": `echo ${req.headers.get("api-key")}`,
        },
      },
    );
  for (
    const upstream of [
      {
        endpoint: "https://res.openai.azure.com",
        apiKey: KEY,
        fetch: (r: Request) => Promise.resolve(echo(r)),
      },
      new AzureOpenAI({
        endpoint: "https://res.openai.azure.com",
        apiKey: KEY,
        fetch: (r) => Promise.resolve(echo(r)),
      }),
    ]
  ) {
    const logged: string[] = [];
    const app = createEdgeApp({
      upstream,
      clientKeys: ["client-key-0123456789"],
      onError: (line) => logged.push(line),
    });
    for (const op of ["chat/completions", "embeddings"]) {
      const res = await app.fetch(
        new Request(`http://edge/openai/deployments/d/${op}?api-version=2024-10-21`, {
          method: "POST",
          headers: { "api-key": "client-key-0123456789", "content-type": "application/json" },
          body: JSON.stringify(op === "embeddings" ? { input: "x" } : { messages: MESSAGES }),
        }),
      );
      const text = await res.text() + JSON.stringify([...res.headers]);
      // A 401 is the app's own credential refused: answered as UpstreamAuthenticationFailed,
      // the upstream's text going to onError, scrubbed too.
      assert.equal(res.status, 401);
      assert.match(text, /UpstreamAuthenticationFailed/);
      const line = logged.at(-1) ?? "";
      for (const form of forms(KEY)) {
        assert.ok(!text.includes(form), text);
        assert.ok(!line.includes(form), line);
      }
      assert.match(text, /echo \*\*\*/, "the relayed request id is scrubbed");
      assert.match(line, /bad key \*\*\*/);
    }
  }
});
