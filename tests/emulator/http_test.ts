import assert from "node:assert/strict";
import { createEmulator, type Emulator, type EmulatorOptions } from "../../src/emulator/mod.ts";

interface Served extends AsyncDisposable {
  url: string;
  emulator: Emulator;
}

function serve(options?: EmulatorOptions): Served {
  const emulator = createEmulator(options);
  const server = Deno.serve(
    { port: 0, hostname: "127.0.0.1", onListen() {} },
    (req) => emulator.fetch(req),
  );
  return {
    url: `http://127.0.0.1:${server.addr.port}`,
    emulator,
    async [Symbol.asyncDispose]() {
      await server.shutdown();
    },
  };
}

function chat(s: Served, body: Record<string, unknown>, signal?: AbortSignal): Promise<Response> {
  return fetch(`${s.url}/openai/deployments/gpt-4o/chat/completions?api-version=2024-10-21`, {
    method: "POST",
    headers: { "api-key": s.emulator.apiKey, "content-type": "application/json" },
    body: JSON.stringify(body),
    signal,
  });
}

Deno.test("emulator over HTTP answers chat with request id headers", async () => {
  await using s = serve();
  const res = await chat(s, { messages: [{ role: "user", content: "over http" }] });
  assert.equal(res.status, 200);
  assert.ok(res.headers.get("apim-request-id"));
  // Two ids, as Azure sends (its gateway's and its model service's).
  assert.ok(res.headers.get("x-request-id"));
  assert.notEqual(res.headers.get("x-request-id"), res.headers.get("apim-request-id"));
  assert.equal((await res.json()).choices[0].message.content, "You said: over http");
});

Deno.test("emulator over HTTP streams SSE that concatenates to the non-streamed reply", async () => {
  await using s = serve({ chunkSize: 2 });
  const body = { messages: [{ role: "user", content: "stream over the wire please" }] };
  const plain = await (await chat(s, body)).json();
  const res = await chat(s, { ...body, stream: true });
  assert.equal(res.headers.get("content-type"), "text/event-stream; charset=utf-8");
  const text = await res.text();
  assert.ok(text.endsWith("data: [DONE]\n\n"));
  const content = text.split("\n\n").filter((b) => b.startsWith("data: {"))
    .map((b) => JSON.parse(b.slice(6)))
    .flatMap((c) => c.choices)
    .map((c) => c.delta?.content ?? "")
    .join("");
  assert.equal(content, plain.choices[0].message.content);
  assert.equal(s.emulator.stats.streamsCompleted, 1);
});

Deno.test("emulator over HTTP sees a client abort mid-stream as a cancelled stream", async () => {
  const { promise: cancelled, resolve } = Promise.withResolvers<void>();
  await using s = serve({ onStreamCancel: () => resolve() });
  const controller = new AbortController();
  const res = await chat(s, {
    messages: [{ role: "user", content: "word ".repeat(5000) }],
    stream: true,
  }, controller.signal);
  const reader = res.body!.getReader();
  await reader.read();
  controller.abort();
  await reader.read().catch(() => {});
  await cancelled;
  assert.equal(s.emulator.stats.cancelledStreams, 1);
  assert.equal(s.emulator.stats.streamsCompleted, 0);
});

Deno.test("emulator over HTTP drops the connection mid-stream so the client sees an error", async () => {
  await using s = serve({ faults: { dropStreamAfterChunks: 2 } });
  const res = await chat(s, { messages: [{ role: "user", content: "a b c d e" }], stream: true });
  assert.equal(res.status, 200);
  await assert.rejects(() => res.text());
  assert.equal(s.emulator.stats.droppedStreams, 1);
});

Deno.test("emulator over HTTP accepts multipart uploads and serves image URLs", async () => {
  await using s = serve();
  const form = new FormData();
  form.append("file", new File([new Uint8Array(1000)], "clip.mp3"));
  form.append("response_format", "text");
  const t = await fetch(
    `${s.url}/openai/deployments/whisper/audio/transcriptions?api-version=2024-06-01`,
    { method: "POST", headers: { "api-key": s.emulator.apiKey }, body: form },
  );
  assert.equal(t.status, 200);
  assert.match(await t.text(), /clip\.mp3, 1000 bytes/);
  const img = await fetch(
    `${s.url}/openai/deployments/dall-e-3/images/generations?api-version=2024-10-21`,
    {
      method: "POST",
      headers: { "api-key": s.emulator.apiKey, "content-type": "application/json" },
      body: JSON.stringify({ prompt: "a lighthouse" }),
    },
  );
  const url = (await img.json()).data[0].url as string;
  assert.ok(url.startsWith(`${s.url}/emulator/images/`));
  const png = await fetch(url);
  assert.equal(png.headers.get("content-type"), "image/png");
  assert.equal(new Uint8Array(await png.arrayBuffer())[1], 0x50);
});

Deno.test("emulator over HTTP returns an operation-location that polls to success", async () => {
  await using s = serve({ operationRetryAfter: 0 });
  const submit = await fetch(
    `${s.url}/openai/images/generations:submit?api-version=2023-06-01-preview`,
    {
      method: "POST",
      headers: { "api-key": s.emulator.apiKey, "content-type": "application/json" },
      body: JSON.stringify({ prompt: "x" }),
    },
  );
  assert.equal(submit.status, 202);
  await submit.body?.cancel();
  const location = submit.headers.get("operation-location")!;
  assert.ok(location.startsWith(s.url));
  let status = "";
  for (let i = 0; i < 5 && status !== "succeeded"; i++) {
    status = (await (await fetch(location, { headers: { "api-key": s.emulator.apiKey } })).json())
      .status;
  }
  assert.equal(status, "succeeded");
});
