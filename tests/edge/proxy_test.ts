// The pass-through part of the edge app (forward(): completions, images, audio, the DALL-E 2
// operations) against a real upstream: a recording Deno.serve on 127.0.0.1, with the app served
// by Deno.serve too, so what crosses the wire (headers, encodings, bodies, aborts) is what a
// deployment sees.
import assert from "node:assert/strict";
import { AzureOpenAI } from "../../src/client.ts";
import { createEdgeApp, denoHandler, type EdgeAppOptions } from "../../edge/mod.ts";
import { KEY } from "./_helpers.ts";

const AZURE_KEY = "azure-secret-proxy-0123456789";
const OP = "/openai/operations/images/op-1?api-version=2023-06-01-preview";
const COMPLETIONS = "/openai/deployments/inst/completions?api-version=2024-10-21";

/** One request the upstream got. */
interface Seen {
  method: string;
  url: string;
  headers: Headers;
  /** Bytes of its body, once read (undefined while reading; -1 when reading failed). */
  bytes?: number;
}

/**
 * A recording upstream (answering with `reply`) and the edge app in front of it, both served on
 * 127.0.0.1. `base` is the app's URL.
 */
async function proxy(
  reply: (req: Request) => Response | Promise<Response>,
  options: Partial<Omit<EdgeAppOptions, "upstream">> & { timeoutMs?: number } = {},
) {
  const seen: Seen[] = [];
  const upstream = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, async (req) => {
    const entry: Seen = { method: req.method, url: req.url, headers: req.headers };
    seen.push(entry);
    const read = req.body ? req.arrayBuffer() : Promise.resolve(new ArrayBuffer(0));
    entry.bytes = await read.then((b) => b.byteLength, () => -1);
    return reply(req);
  });
  return await served(`http://127.0.0.1:${upstream.addr.port}`, options, seen, upstream);
}

/** The app in front of `endpoint`, served on 127.0.0.1. */
function served(
  endpoint: string,
  options: Partial<Omit<EdgeAppOptions, "upstream">> & { timeoutMs?: number } = {},
  seen: Seen[] = [],
  upstream?: Deno.HttpServer,
) {
  const errors: string[] = [];
  const { timeoutMs, ...rest } = options;
  const app = createEdgeApp({
    clientKeys: [KEY],
    onError: (line) => errors.push(line),
    ...rest,
    upstream: new AzureOpenAI({ endpoint, apiKey: AZURE_KEY, maxRetries: 0, timeoutMs }),
  });
  const edge = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, denoHandler(app));
  const base = `http://127.0.0.1:${edge.addr.port}`;
  return {
    base,
    port: edge.addr.port,
    seen,
    errors,
    async [Symbol.asyncDispose]() {
      await edge.shutdown();
      await upstream?.shutdown();
    },
  };
}

/**
 * Sends `text` (an HTTP/1.1 request) and reads one answer: to its content-length, its last chunk
 * or the end of the connection (a server may keep it open for a request body it did not read).
 */
async function raw(port: number, text: string): Promise<string> {
  const conn = await Deno.connect({ hostname: "127.0.0.1", port });
  let answer = "";
  try {
    await conn.write(new TextEncoder().encode(text));
    const decoder = new TextDecoder("latin1");
    const buffer = new Uint8Array(64 * 1024);
    while (!complete(answer)) {
      const n = await conn.read(buffer);
      if (n === null) break;
      answer += decoder.decode(buffer.subarray(0, n));
    }
  } finally {
    conn.close();
  }
  return answer;
}

/** Whether `answer` holds a whole HTTP/1.1 response. */
function complete(answer: string): boolean {
  const end = answer.indexOf("\r\n\r\n");
  if (end === -1) return false;
  const head = answer.slice(0, end).toLowerCase();
  if (head.startsWith("http/1.1 204") || head.startsWith("http/1.1 304")) return true;
  const length = /\r\ncontent-length: *(\d+)/.exec(head)?.[1];
  if (length !== undefined) return answer.length - end - 4 >= Number(length);
  return /\r\ntransfer-encoding: *chunked/.test(head) && answer.endsWith("\r\n0\r\n\r\n");
}

/** Splits a raw HTTP/1.1 answer into status, lower-cased headers and the body text. */
function parse(answer: string): { status: number; headers: Map<string, string>; body: string } {
  const end = answer.indexOf("\r\n\r\n");
  const [statusLine, ...lines] = answer.slice(0, end).split("\r\n");
  const headers = new Map<string, string>();
  for (const line of lines) {
    const at = line.indexOf(":");
    headers.set(line.slice(0, at).trim().toLowerCase(), line.slice(at + 1).trim());
  }
  let body = answer.slice(end + 4);
  if (headers.get("transfer-encoding") === "chunked") {
    let out = "";
    for (let rest = body; rest.length;) {
      const lineEnd = rest.indexOf("\r\n");
      const size = parseInt(rest.slice(0, lineEnd), 16);
      if (!size) break;
      out += rest.slice(lineEnd + 2, lineEnd + 2 + size);
      rest = rest.slice(lineEnd + 4 + size);
    }
    body = out;
  }
  return { status: Number(statusLine.split(" ")[1]), headers, body };
}

const HOP_BY_HOP = [
  "connection",
  "keep-alive",
  "transfer-encoding",
  "upgrade",
  "te",
  "trailer",
  "proxy-authorization",
  "proxy-authenticate",
  "proxy-connection",
];

Deno.test("pass-through: hop-by-hop headers and host are not forwarded upstream, nor relayed back; set-cookie and api-key are not relayed", async () => {
  const gz = new Uint8Array(
    await new Response(
      new Blob([JSON.stringify({ id: "op-1", status: "running" })]).stream().pipeThrough(
        new CompressionStream("gzip"),
      ),
    ).arrayBuffer(),
  );
  await using t = await proxy(() =>
    new Response(gz, {
      headers: {
        "content-type": "application/json",
        "content-encoding": "gzip",
        "keep-alive": "timeout=5",
        "trailer": "x-checksum",
        "proxy-authenticate": "Basic",
        "upgrade": "h2c",
        "set-cookie": "session=upstream",
        "api-key": AZURE_KEY,
        "x-aoai-private": "1",
        "apim-request-id": "apim-1",
        "x-request-id": "req-1",
        "x-ms-region": "East US",
      },
    })
  );
  const answer = parse(
    await raw(
      t.port,
      `GET ${OP} HTTP/1.1\r\nHost: evil.example\r\nConnection: close, x-drop-me\r\n` +
        "x-drop-me: 1\r\nKeep-Alive: timeout=9\r\nTE: trailers\r\nTrailer: x-t\r\n" +
        "Upgrade: websocket\r\nProxy-Authorization: Basic abc\r\nProxy-Connection: keep-alive\r\n" +
        `api-key: ${KEY}\r\nx-ms-client-request-id: cid-1\r\n\r\n`,
    ),
  );
  assert.equal(answer.status, 200);
  assert.deepEqual(JSON.parse(answer.body), { id: "op-1", status: "running" });
  // Bytes that fetch decompressed do not go out claiming gzip.
  assert.equal(answer.headers.get("content-encoding"), undefined);
  for (const name of ["keep-alive", "trailer", "proxy-authenticate", "upgrade"]) {
    assert.equal(answer.headers.get(name), undefined, name);
  }
  assert.equal(answer.headers.get("set-cookie"), undefined);
  assert.equal(answer.headers.get("api-key"), undefined);
  assert.equal(answer.headers.get("x-aoai-private"), undefined);
  assert.equal(answer.headers.get("apim-request-id"), "apim-1");
  assert.equal(answer.headers.get("x-request-id"), "req-1");
  assert.equal(answer.headers.get("x-ms-region"), "East US");
  assert.equal(answer.headers.get("x-aoai-upstream"), "0");
  const [sent] = t.seen;
  for (const name of [...HOP_BY_HOP, "x-drop-me"]) {
    if (name === "connection" || name === "keep-alive") continue; // the upstream fetch's own
    assert.equal(sent.headers.get(name), null, name);
  }
  assert.notEqual(sent.headers.get("connection"), "close, x-drop-me");
  assert.equal(sent.headers.get("host"), new URL(sent.url).host, "the upstream's own host");
  assert.equal(sent.headers.get("api-key"), AZURE_KEY, "the app's key, not the client's");
  assert.equal(sent.headers.get("x-ms-client-request-id"), "cid-1");
});

Deno.test("pass-through: a gzip upstream answer reads as plain JSON through fetch, and its content-length matches the bytes relayed", async () => {
  const json = JSON.stringify({ id: "cmpl-1", object: "text_completion", choices: [] });
  const gz = new Uint8Array(
    await new Response(new Blob([json]).stream().pipeThrough(new CompressionStream("gzip")))
      .arrayBuffer(),
  );
  await using t = await proxy(() =>
    new Response(gz, {
      headers: {
        "content-type": "application/json",
        "content-encoding": "gzip",
        "content-length": String(gz.length),
      },
    })
  );
  for (const encoding of ["gzip, br", "identity"]) {
    const res = await fetch(t.base + COMPLETIONS, {
      method: "POST",
      headers: { "api-key": KEY, "content-type": "application/json", "accept-encoding": encoding },
      body: JSON.stringify({ prompt: "hi" }),
    });
    assert.equal(res.status, 200, encoding);
    assert.equal(await res.text(), json, encoding);
  }
  const answer = parse(
    await raw(
      t.port,
      `POST ${COMPLETIONS} HTTP/1.1\r\nHost: x\r\nConnection: close\r\napi-key: ${KEY}\r\n` +
        'content-type: application/json\r\ncontent-length: 15\r\n\r\n{"prompt":"hi"}',
    ),
  );
  assert.equal(answer.body, json);
  assert.equal(answer.headers.get("content-encoding"), undefined);
  const length = answer.headers.get("content-length");
  if (length !== undefined) assert.equal(Number(length), json.length);
});

Deno.test("pass-through: a body the app rewrites (the deployment into a v1 upstream's model) goes up with a content-length that matches it", async () => {
  const bodies: { length: string | null; text: string }[] = [];
  const upstream = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, async (req) => {
    bodies.push({ length: req.headers.get("content-length"), text: await req.text() });
    return Response.json({ id: "cmpl-1", choices: [] });
  });
  try {
    const app = createEdgeApp({
      clientKeys: [KEY],
      upstream: new AzureOpenAI({
        endpoint: `http://127.0.0.1:${upstream.addr.port}`,
        apiKey: AZURE_KEY,
        apiVersion: "v1",
      }),
    });
    const res = await app.fetch(
      new Request("http://edge.test/openai/deployments/inst-é/completions?api-version=2024-10-21", {
        method: "POST",
        headers: { "api-key": KEY, "content-type": "application/json" },
        body: JSON.stringify({ prompt: "héllo" }),
      }),
    );
    assert.equal(res.status, 200);
    await res.body?.cancel();
    const [{ length, text }] = bodies;
    assert.deepEqual(JSON.parse(text), { prompt: "héllo", model: "inst-é" });
    assert.equal(Number(length), new TextEncoder().encode(text).length);
  } finally {
    await upstream.shutdown();
  }
});

Deno.test("pass-through: the deployment segment goes up percent-encoded as sent (unicode, space, +, %25); %2F and dot segments never leave /openai/deployments/", async () => {
  await using t = await proxy(() => Response.json({ id: "cmpl-1", choices: [] }));
  const post = (deployment: string, query = "") =>
    fetch(`${t.base}/openai/deployments/${deployment}/completions?api-version=2024-10-21${query}`, {
      method: "POST",
      headers: { "api-key": KEY, "content-type": "application/json" },
      body: JSON.stringify({ prompt: "hi" }),
    });
  for (
    const [sent, upstream] of [
      ["%E6%A8%A1%E5%9E%8B", "%E6%A8%A1%E5%9E%8B"],
      ["模型", "%E6%A8%A1%E5%9E%8B"],
      ["a%20b", "a%20b"],
      ["a+b", "a%2Bb"],
      ["a%252Fb", "a%252Fb"],
    ]
  ) {
    const res = await post(sent, "&foo=1&foo=2");
    assert.equal(res.status, 200, sent);
    await res.body?.cancel();
    const url = new URL(t.seen.at(-1)!.url);
    assert.equal(url.pathname, `/openai/deployments/${upstream}/completions`, sent);
    // Only the api-version goes up: the operations take no other query parameter.
    assert.equal(url.search, "?api-version=2024-10-21", sent);
  }
  const before = t.seen.length;
  for (const [sent, status] of [["a%2Fb", 400], ["..%2F..%2Fv1", 400], ["%2E%2E", 404]] as const) {
    const res = await post(sent);
    assert.equal(res.status, status, sent);
    await res.body?.cancel();
  }
  assert.equal(t.seen.length, before, "nothing went upstream");
  // Two api-versions: the first, as URLSearchParams.get() reads it.
  const res = await post("inst", "&api-version=2099-01-01");
  await res.body?.cancel();
  assert.equal(new URL(t.seen.at(-1)!.url).searchParams.getAll("api-version").join(), "2024-10-21");
});

Deno.test("pass-through: an upstream 204 or 304 is relayed without a body; HEAD answers no body; OPTIONS is answered here", async () => {
  let status = 204;
  await using t = await proxy(() =>
    new Response(null, { status, headers: { "apim-request-id": "apim-2", etag: '"v1"' } })
  );
  const deleted = await fetch(t.base + OP, { method: "DELETE", headers: { "api-key": KEY } });
  assert.equal(deleted.status, 204);
  assert.equal(deleted.headers.get("apim-request-id"), "apim-2");
  assert.equal(await deleted.text(), "");
  assert.equal(t.seen.at(-1)!.method, "DELETE");
  status = 304;
  const notModified = await fetch(t.base + OP, { headers: { "api-key": KEY } });
  assert.equal(notModified.status, 304, t.errors.join("\n"));
  assert.equal(notModified.headers.get("apim-request-id"), "apim-2");
  assert.equal(await notModified.text(), "");
  status = 200;
  const head = parse(
    await raw(
      t.port,
      `HEAD ${OP} HTTP/1.1\r\nHost: x\r\nConnection: close\r\napi-key: ${KEY}\r\n\r\n`,
    ),
  );
  assert.equal(head.status, 200);
  assert.equal(head.body, "");
  assert.equal(t.seen.at(-1)!.method, "GET");
  const asked = t.seen.length;
  const options = await fetch(t.base + OP, { method: "OPTIONS" });
  assert.equal(options.status, 204);
  assert.equal(options.headers.get("allow"), "GET, HEAD, DELETE, OPTIONS");
  assert.equal(t.seen.length, asked, "OPTIONS does not go upstream");
  assert.deepEqual(t.errors, []);
});

Deno.test("pass-through: CORS preflight of a pass-through path, and the relayed ids exposed to the browser", async () => {
  await using t = await proxy(() =>
    Response.json({ id: "op-1", status: "running" }, {
      headers: { "apim-request-id": "apim-3", "x-ms-region": "West" },
    }), { cors: { origins: ["https://app.example"] } });
  const preflight = await fetch(t.base + OP, {
    method: "OPTIONS",
    headers: {
      origin: "https://app.example",
      "access-control-request-method": "DELETE",
      "access-control-request-headers": "api-key",
    },
  });
  assert.equal(preflight.status, 204);
  assert.equal(preflight.headers.get("access-control-allow-origin"), "https://app.example");
  assert.match(preflight.headers.get("access-control-allow-methods")!, /DELETE/);
  await preflight.body?.cancel();
  assert.equal(t.seen.length, 0);
  const res = await fetch(t.base + OP, {
    headers: { "api-key": KEY, origin: "https://app.example" },
  });
  await res.body?.cancel();
  const exposed = res.headers.get("access-control-expose-headers")!.split(/,\s*/);
  for (const name of ["apim-request-id", "x-request-id", "x-aoai-upstream", "x-ms-region"]) {
    assert.ok(exposed.includes(name), name);
  }
  assert.ok(!exposed.includes("api-key"));
});

/** A multipart body of `size` bytes of audio, with its content-type. */
function audioForm(size: number): { body: Uint8Array<ArrayBuffer>; type: string } {
  const boundary = "----proxy-test-boundary";
  const head = new TextEncoder().encode(
    `--${boundary}\r\ncontent-disposition: form-data; name="file"; filename="a.wav"\r\n` +
      "content-type: audio/wav\r\n\r\n",
  );
  const tail = new TextEncoder().encode(`\r\n--${boundary}--\r\n`);
  const body = new Uint8Array(head.length + size + tail.length);
  body.set(head);
  body.set(tail, head.length + size);
  return { body, type: `multipart/form-data; boundary=${boundary}` };
}

const TRANSCRIBE = "/openai/deployments/whisper/audio/transcriptions?api-version=2024-10-21";

Deno.test("pass-through: a 20 MB audio upload reaches the upstream whole; one over the limit gets 413 in the service's shape before its body is sent", async () => {
  await using t = await proxy(() => Response.json({ text: "ok" }));
  const { body, type } = audioForm(20 * 1024 * 1024);
  const res = await fetch(t.base + TRANSCRIBE, {
    method: "POST",
    headers: { "api-key": KEY, "content-type": type },
    body,
  });
  assert.equal(res.status, 200);
  assert.deepEqual(await res.json(), { text: "ok" });
  const [sent] = t.seen;
  assert.ok(sent.bytes! > 20 * 1024 * 1024, `${sent.bytes} bytes`);
  assert.equal(Number(sent.headers.get("content-length")), sent.bytes);
  // Declared over the limit: answered from the headers alone, with only a few bytes sent.
  const answer = parse(
    await raw(
      t.port,
      `POST ${TRANSCRIBE} HTTP/1.1\r\nHost: x\r\nConnection: close\r\napi-key: ${KEY}\r\n` +
        `content-type: ${type}\r\ncontent-length: ${100 * 1024 * 1024}\r\n\r\n--`,
    ),
  );
  assert.equal(answer.status, 413);
  const { error } = JSON.parse(answer.body);
  assert.equal(error.code, "request_too_large");
  assert.equal(error.type, "invalid_request_error");
  assert.equal(error.param, "file");
  assert.match(error.message, /26214400 bytes/);
  assert.equal(t.seen.length, 1, "nothing more went upstream");
});

Deno.test("pass-through: a client that aborts mid-upload sends nothing upstream; one that aborts mid-download cancels the upstream response", async () => {
  let cancelled!: () => void;
  const upstreamCancelled = new Promise<void>((resolve) => cancelled = resolve);
  let sentChunks = 0;
  await using t = await proxy(() =>
    new Response(
      new ReadableStream<Uint8Array>({
        // Bounded: 1000 chunks at most, each only when the reader asks.
        pull(controller) {
          if (++sentChunks > 1000) return controller.close();
          controller.enqueue(new Uint8Array(16 * 1024));
        },
        cancel() {
          cancelled();
        },
      }, { highWaterMark: 0 }),
      { headers: { "content-type": "audio/mpeg" } },
    )
  );
  // Mid-upload: half the declared body, then the connection closes.
  const { body, type } = audioForm(1024 * 1024);
  const conn = await Deno.connect({ hostname: "127.0.0.1", port: t.port });
  await conn.write(
    new TextEncoder().encode(
      `POST ${TRANSCRIBE} HTTP/1.1\r\nHost: x\r\napi-key: ${KEY}\r\ncontent-type: ${type}\r\n` +
        `content-length: ${body.length}\r\n\r\n`,
    ),
  );
  await conn.write(body.subarray(0, body.length / 2));
  conn.close();
  // Mid-download: a speech answer read for two chunks, then abandoned.
  const controller = new AbortController();
  const res = await fetch(
    `${t.base}/openai/deployments/tts/audio/speech?api-version=2025-03-01-preview`,
    {
      method: "POST",
      signal: controller.signal,
      headers: { "api-key": KEY, "content-type": "application/json" },
      body: JSON.stringify({ model: "tts", input: "hi", voice: "alloy" }),
    },
  );
  assert.equal(res.status, 200);
  const reader = res.body!.getReader();
  await reader.read();
  await reader.read();
  controller.abort();
  await upstreamCancelled;
  assert.ok(sentChunks < 1000, `${sentChunks} chunks were made`);
  assert.deepEqual(t.seen.map((s) => new URL(s.url).pathname), [
    "/openai/deployments/tts/audio/speech",
  ]);
});

Deno.test("pass-through: a non-JSON upstream error page becomes a JSON error with the upstream's status, without either key", async () => {
  let status = 502;
  await using t = await proxy(() =>
    new Response(
      `<html><body><h1>Bad Gateway</h1><p>api-key: ${AZURE_KEY}</p></body></html>`,
      { status, headers: { "content-type": "text/html", "retry-after": "3" } },
    )
  );
  for (status of [502, 503, 404, 413]) {
    const res = await fetch(t.base + OP, { headers: { "api-key": KEY } });
    assert.equal(res.status, status);
    assert.equal(res.headers.get("content-type"), "application/json");
    assert.equal(res.headers.get("retry-after"), "3");
    const text = await res.text();
    const { error } = JSON.parse(text);
    assert.equal(error.code, "UpstreamError");
    assert.match(error.message, new RegExp(`answered ${status} without a JSON error`));
    assert.equal(error.type, status >= 500 ? "server_error" : "invalid_request_error");
    assert.ok(!text.includes(AZURE_KEY) && !text.includes(KEY), text);
  }
  // The page is told to the operator, without the key.
  assert.match(t.errors.at(-1)!, /answered 413 without a JSON error: Bad Gateway api-key: \*\*\*/);
  assert.ok(!t.errors.join("\n").includes(AZURE_KEY));
  // A JSON error is relayed as it came.
  const json = { error: { code: "InternalServerError", message: "boom" } };
  await using j = await proxy(() => Response.json(json, { status: 500 }));
  const res = await fetch(j.base + OP, { headers: { "api-key": KEY } });
  assert.deepEqual(await res.json(), json);
});

/** A TCP upstream on 127.0.0.1 that reads each request and then does `answer` with the socket. */
function tcpUpstream(answer: (conn: Deno.Conn) => Promise<void>) {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const conns: Deno.Conn[] = [];
  (async () => {
    for await (const conn of listener) {
      conns.push(conn);
      await conn.read(new Uint8Array(64 * 1024)).catch(() => null);
      await answer(conn).catch(() => {});
    }
  })();
  return {
    endpoint: `http://127.0.0.1:${(listener.addr as Deno.NetAddr).port}`,
    close() {
      listener.close();
      for (const conn of conns) {
        try {
          conn.close();
        } catch { /* closed already */ }
      }
    },
  };
}

Deno.test("pass-through: an upstream that refuses, resets, breaks off its error answer or does not answer gets a JSON 502 or 504 without either key", async () => {
  const reset = tcpUpstream((conn) => Promise.resolve(conn.close()));
  const cut = tcpUpstream(async (conn) => {
    await conn.write(
      new TextEncoder().encode(
        "HTTP/1.1 500 Oops\r\ncontent-type: text/plain\r\ncontent-length: 100\r\n\r\nerr",
      ),
    );
    conn.close();
  });
  const silent = tcpUpstream(() => new Promise(() => {}));
  // A port nobody listens on, freed after the servers above took theirs: freed first, the system
  // could hand it to one of them (the "closed" upstream then answered as `cut`).
  const closed = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const closedEndpoint = `http://127.0.0.1:${(closed.addr as Deno.NetAddr).port}`;
  closed.close();
  try {
    for (
      const [endpoint, status, code, timeoutMs] of [
        [closedEndpoint, 502, "UpstreamUnreachable"],
        [reset.endpoint, 502, "UpstreamUnreachable"],
        [cut.endpoint, 502, "UpstreamConnectionLost"],
        [silent.endpoint, 504, "UpstreamTimeout", 200],
      ] as const
    ) {
      await using t = served(endpoint, { timeoutMs });
      const res = await fetch(t.base + OP, { headers: { "api-key": KEY } });
      const text = await res.text();
      assert.equal(res.status, status, `${code}: ${text}`);
      assert.equal(res.headers.get("content-type"), "application/json");
      assert.equal(JSON.parse(text).error.code, code);
      assert.equal(JSON.parse(text).error.type, "server_error");
      assert.ok(!text.includes(AZURE_KEY) && !text.includes(KEY), text);
      assert.ok(!t.errors.join("\n").includes(AZURE_KEY));
    }
  } finally {
    reset.close();
    cut.close();
    silent.close();
  }
});
