// An upstream answering 2xx with a body of the wrong kind (a proxy's HTML sign-in page, a
// misconfigured endpoint's text) is no answer: 502 UpstreamError, its body not relayed, onError
// told, failed over like a 5xx. What each operation answers passes: JSON (with a charset),
// event streams, speech audio, transcription text.
import assert from "node:assert/strict";
import { AzureOpenAI } from "../../src/client.ts";
import { createEmulator } from "../../src/emulator/mod.ts";
import { createEdgeApp, MemoryCache } from "../../edge/mod.ts";
import { azurePath, errorOf, KEY } from "./_helpers.ts";

const PAGE = '<html><body><form action="/login">Sign in to Contoso proxy</form></body></html>';

/** An upstream client whose every answer is `status` with `body` as `type` (none: no type). */
function fixed(body: BodyInit | null, type: string | null, seen: string[], status = 200) {
  return new AzureOpenAI({
    endpoint: "http://proxy.local",
    apiKey: "azure-key",
    fetch: (req) => {
      seen.push(`${req.method} ${new URL(req.url).pathname}`);
      const res = new Response(body, { status });
      if (type === null) res.headers.delete("content-type");
      else res.headers.set("content-type", type);
      return Promise.resolve(res);
    },
  });
}

/** An upstream client on an emulator. */
function emulated(seen: string[]) {
  const emulator = createEmulator({ apiKeys: ["emulator-key"] });
  return new AzureOpenAI({
    endpoint: "http://emulator.local",
    apiKey: "emulator-key",
    fetch: (req, init) => {
      seen.push(`${req.method} ${new URL(req.url).pathname}`);
      return emulator.fetch(req, init);
    },
  });
}

const hi = [{ role: "user", content: "hi" }];

function upload(format?: string, stream = false): FormData {
  const form = new FormData();
  form.set("file", new Blob([new Uint8Array(64)], { type: "audio/wav" }), "a.wav");
  if (format) form.set("response_format", format);
  if (stream) form.set("stream", "true");
  return form;
}

interface Route {
  name: string;
  path: string;
  body: () => BodyInit;
  json: boolean;
  method?: string;
}

const ROUTES: Route[] = [
  {
    name: "chat",
    path: azurePath("gpt-4o", "chat/completions"),
    body: () => JSON.stringify({ messages: hi }),
    json: true,
  },
  {
    name: "cached chat",
    path: azurePath("gpt-4o", "chat/completions"),
    body: () => JSON.stringify({ messages: hi, seed: 1 }),
    json: true,
  },
  {
    name: "streamed chat",
    path: azurePath("gpt-4o", "chat/completions"),
    body: () => JSON.stringify({ messages: hi, stream: true }),
    json: true,
  },
  {
    name: "streamed cached chat",
    path: azurePath("gpt-4o", "chat/completions"),
    body: () => JSON.stringify({ messages: hi, stream: true, seed: 1 }),
    json: true,
  },
  {
    name: "completions",
    path: azurePath("gpt-35-turbo-instruct", "completions"),
    body: () => JSON.stringify({ prompt: "hi" }),
    json: true,
  },
  {
    name: "cached embeddings",
    path: azurePath("text-embedding-3-small", "embeddings"),
    body: () => JSON.stringify({ input: ["a", "b"] }),
    json: true,
  },
  {
    name: "v1 embeddings",
    path: "/openai/v1/embeddings",
    body: () => JSON.stringify({ model: "text-embedding-3-small", input: "a" }),
    json: true,
  },
  {
    name: "images",
    path: azurePath("dall-e-3", "images/generations"),
    body: () => JSON.stringify({ prompt: "a cat" }),
    json: true,
  },
  {
    name: "DALL-E 2 submit",
    path: "/openai/images/generations:submit?api-version=2023-06-01-preview",
    body: () => JSON.stringify({ prompt: "a cat" }),
    json: true,
  },
  {
    name: "DALL-E 2 poll",
    path: "/openai/operations/images/abc-1?api-version=2023-06-01-preview",
    body: () => "",
    json: false,
    method: "GET",
  },
  {
    name: "speech",
    path: "/openai/deployments/tts/audio/speech?api-version=2024-05-01-preview",
    body: () => JSON.stringify({ input: "hi", voice: "alloy" }),
    json: true,
  },
  {
    name: "transcription (json)",
    path: azurePath("whisper", "audio/transcriptions"),
    body: () => upload(),
    json: false,
  },
  {
    name: "transcription (srt)",
    path: azurePath("whisper", "audio/transcriptions"),
    body: () => upload("srt"),
    json: false,
  },
  {
    name: "streamed transcription",
    path: azurePath("gpt-4o-transcribe", "audio/transcriptions"),
    body: () => upload("json", true),
    json: false,
  },
  {
    name: "translation (text)",
    path: azurePath("whisper", "audio/translations"),
    body: () => upload("text"),
    json: false,
  },
];

function send(app: ReturnType<typeof createEdgeApp>, route: Route): Promise<Response> {
  const method = route.method ?? "POST";
  const headers: Record<string, string> = { "api-key": KEY };
  if (route.json) headers["content-type"] = "application/json";
  return app.fetch(
    new Request(`http://edge.test${route.path}`, {
      method,
      headers,
      body: method === "GET" ? undefined : route.body(),
    }),
  );
}

for (const route of ROUTES) {
  Deno.test(`createEdgeApp() answers 502 UpstreamError, not the page, when the only upstream answers 200 text/html (${route.name})`, async () => {
    const seen: string[] = [];
    const errors: string[] = [];
    const app = createEdgeApp({
      clientKeys: [KEY],
      upstream: fixed(PAGE, "text/html; charset=utf-8", seen),
      cache: new MemoryCache(),
      chatCache: { ttlSeconds: 60 },
      onError: (line) => void errors.push(line),
    });
    const res = await send(app, route);
    const text = await res.text();
    assert.equal(res.status, 502, text);
    assert.match(res.headers.get("content-type") ?? "", /^application\/json/);
    assert.equal(res.headers.get("x-aoai-upstream"), "0");
    const error = JSON.parse(text).error;
    assert.equal(error.code, "UpstreamError");
    assert.equal(error.type, "server_error");
    assert.ok(!text.includes("Contoso"), text);
    assert.equal(seen.length, 1);
    assert.equal(errors.length, 1, errors.join("\n"));
    assert.match(errors[0], /proxy\.local answered 200 text\/html/);
  });
}

// Not the DALL-E 2 operations (primary only) nor a streamed transcription (no such deployment on
// the emulator).
Deno.test("createEdgeApp() fails over from an upstream answering 200 text/html to the next, which answers", async () => {
  for (
    const route of ROUTES.filter((r) =>
      !r.name.startsWith("DALL-E 2") && !r.name.startsWith("streamed transcription")
    )
  ) {
    const seen: string[][] = [[], []];
    const errors: string[] = [];
    const app = createEdgeApp({
      clientKeys: [KEY],
      upstream: [fixed(PAGE, "text/html", seen[0]), emulated(seen[1])],
      cache: new MemoryCache(),
      chatCache: { ttlSeconds: 60 },
      onError: (line) => void errors.push(line),
    });
    const res = await send(app, route);
    const text = await res.text();
    assert.equal(res.status, 200, `${route.name}: ${text}`);
    assert.equal(res.headers.get("x-aoai-upstream"), "1", route.name);
    assert.deepEqual(seen.map((s) => s.length), [1, 1], route.name);
    assert.equal(errors.length, 1, `${route.name}: ${errors.join("\n")}`);
    assert.match(errors[0], /proxy\.local answered 200 text\/html.*trying upstream 1/, route.name);
  }
});

Deno.test("createEdgeApp() does not cache an embeddings answer of 200 text/html: the next call goes upstream again", async () => {
  const seen: string[] = [];
  const app = createEdgeApp({
    clientKeys: [KEY],
    upstream: fixed(PAGE, "text/html", seen),
    cache: new MemoryCache(),
    onError: () => {},
  });
  const route = ROUTES.find((r) => r.name === "cached embeddings")!;
  for (let i = 0; i < 2; i++) {
    const res = await send(app, route);
    assert.equal(res.status, 502);
    await res.body?.cancel();
  }
  assert.equal(seen.length, 2);
});

Deno.test("createEdgeApp() refuses a 200 that is JSON on a streamed chat, and an event stream on a JSON route", async () => {
  const cases: Array<[string, string, string]> = [
    ["streamed chat", '{"id":"x","object":"chat.completion","choices":[]}', "application/json"],
    ["chat", 'data: {"id":"x"}\n\n', "text/event-stream"],
    ["cached embeddings", "OK", "text/plain"],
    ["speech", '{"ok":true}', "application/json"],
    ["transcription (json)", "<xml/>", "application/xml"],
  ];
  for (const [name, body, type] of cases) {
    const errors: string[] = [];
    const app = createEdgeApp({
      clientKeys: [KEY],
      upstream: fixed(body, type, []),
      onError: (line) => void errors.push(line),
    });
    const res = await send(app, ROUTES.find((r) => r.name === name)!);
    const error = await errorOf(res);
    assert.equal(res.status, 502, `${name}: ${JSON.stringify(error)}`);
    assert.equal(error.code, "UpstreamError", name);
    assert.equal(errors.length, 1, name);
  }
});

Deno.test("createEdgeApp() relays what each operation answers, whatever its charset or case", async () => {
  const cases: Array<[string, string, string]> = [
    [
      "chat",
      '{"id":"x","object":"chat.completion","choices":[]}',
      "application/json; charset=utf-8",
    ],
    [
      "cached embeddings",
      '{"object":"list","data":[{"object":"embedding","index":0,"embedding":[0]},{"object":"embedding","index":1,"embedding":[0]}],"model":"m","usage":{"prompt_tokens":1,"total_tokens":1}}',
      "Application/JSON;charset=UTF-8",
    ],
    [
      "streamed chat",
      'data: {"id":"x","object":"chat.completion.chunk","choices":[]}\n\ndata: [DONE]\n\n',
      "text/event-stream; charset=utf-8",
    ],
    ["speech", "ID3audio", "audio/mpeg"],
    ["speech", "RIFFaudio", "application/octet-stream"],
    ["transcription (srt)", "1\n00:00:00,000 --> 00:00:01,000\nhi\n", "text/plain; charset=utf-8"],
    ["translation (text)", "hi", "text/plain"],
    ["transcription (json)", '{"text":"hi"}', "application/json"],
    [
      "streamed transcription",
      'data: {"type":"transcript.text.done","text":"hi"}\n\n',
      "text/event-stream",
    ],
    ["DALL-E 2 poll", '{"id":"abc-1","status":"running"}', "application/json"],
  ];
  for (const [name, body, type] of cases) {
    const errors: string[] = [];
    const app = createEdgeApp({
      clientKeys: [KEY],
      upstream: fixed(body, type, []),
      cache: new MemoryCache(),
      onError: (line) => void errors.push(line),
    });
    const res = await send(app, ROUTES.find((r) => r.name === name)!);
    const text = await res.text();
    assert.equal(res.status, 200, `${name}: ${text}`);
    assert.deepEqual(errors, [], name);
  }
});

Deno.test("createEdgeApp() relays an upstream's 204 without a content-type (a DALL-E 2 delete)", async () => {
  const errors: string[] = [];
  const app = createEdgeApp({
    clientKeys: [KEY],
    upstream: fixed(null, null, [], 204),
    onError: (line) => void errors.push(line),
  });
  const res = await app.fetch(
    new Request("http://edge.test/openai/operations/images/abc-1?api-version=2023-06-01-preview", {
      method: "DELETE",
      headers: { "api-key": KEY },
    }),
  );
  assert.equal(res.status, 204);
  assert.deepEqual(errors, []);
});
