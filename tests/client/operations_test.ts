import assert from "node:assert/strict";
import { AzureOpenAI } from "../../mod.ts";
import { json, type SeenRequest, specExample, startServer } from "../helpers/server.ts";

const KEY = "sk-operations-test-key-0001";

function float32Base64(values: number[]): string {
  const bytes = new Uint8Array(new Float32Array(values).buffer);
  let bin = "";
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin);
}

/** Asserts the common parts of a deployment-scoped JSON call. */
function expectCall(
  seen: SeenRequest,
  method: string,
  path: string,
  apiVersion: string | null,
): void {
  assert.equal(seen.method, method);
  assert.equal(seen.url.pathname, path);
  assert.equal(seen.url.searchParams.get("api-version"), apiVersion);
  assert.equal(seen.headers.get("api-key"), KEY);
  assert.equal(seen.headers.get("authorization"), null);
}

Deno.test("chat.completions.create() posts messages to the deployment and returns the spec example", async () => {
  const example = await specExample("2024-02-01", "chat_completions.json");
  await using server = await startServer(() => json(example.responses["200"].body));
  const client = new AzureOpenAI({ endpoint: server.url, apiKey: KEY, deployment: "gpt-4o" });
  const body = example.parameters.body as { messages: { role: "user"; content: string }[] };
  const res = await client.chat.completions.create({ messages: body.messages, seed: 7 });
  assert.deepEqual(res, example.responses["200"].body);
  const [seen] = server.seen;
  expectCall(seen, "POST", "/openai/deployments/gpt-4o/chat/completions", "2024-10-21");
  assert.equal(seen.headers.get("content-type"), "application/json");
  assert.deepEqual(JSON.parse(seen.text), { messages: body.messages, seed: 7 });
});

Deno.test("chat.completions.create() sends On Your Data data_sources and returns typed citations", async () => {
  const example = await specExample("2024-02-01", "chat_completions_azure_search_advanced.json");
  await using server = await startServer(() => json(example.responses["200"].body));
  const client = new AzureOpenAI({ endpoint: server.url, apiKey: KEY });
  const params = example.parameters
    .body as import("../../mod.ts").ChatCompletionCreateParamsNonStreaming;
  const res = await client.chat.completions.create({ ...params, model: "gpt-4" });
  assert.deepEqual(JSON.parse(server.seen[0].text), params);
  const citations = res.choices[0].message.context?.citations ?? [];
  assert.ok(citations.length > 0);
  assert.equal(typeof citations[0].content, "string");
  expectCall(server.seen[0], "POST", "/openai/deployments/gpt-4/chat/completions", "2024-10-21");
});

Deno.test("completions.create() posts the prompt and returns the spec example", async () => {
  const example = await specExample("2024-02-01", "completions.json");
  await using server = await startServer(() => json(example.responses["200"].body));
  const client = new AzureOpenAI({ endpoint: server.url, apiKey: KEY, apiVersion: "2024-02-01" });
  const res = await client.completions.create({
    model: "gpt-35-turbo-instruct",
    prompt: ["tell me a joke about mango"],
    max_tokens: 32,
    logprobs: 2,
    echo: false,
  });
  assert.deepEqual(res, example.responses["200"].body);
  expectCall(
    server.seen[0],
    "POST",
    "/openai/deployments/gpt-35-turbo-instruct/completions",
    "2024-02-01",
  );
  assert.deepEqual(JSON.parse(server.seen[0].text), {
    prompt: ["tell me a joke about mango"],
    max_tokens: 32,
    logprobs: 2,
    echo: false,
  });
});

Deno.test("embeddings.create() asks for base64 on the wire and returns number[] vectors", async () => {
  const vector = [0.1, -0.25, 0.5, 0.75];
  await using server = await startServer(() =>
    json({
      object: "list",
      model: "text-embedding-3-small",
      data: [{ object: "embedding", index: 0, embedding: float32Base64(vector) }],
      usage: { prompt_tokens: 1, total_tokens: 1 },
    })
  );
  const client = new AzureOpenAI({ endpoint: server.url, apiKey: KEY });
  const res = await client.embeddings.create({ model: "emb", input: "hello", dimensions: 4 });
  assert.deepEqual(res.data[0].embedding, Array.from(new Float32Array(vector)));
  expectCall(server.seen[0], "POST", "/openai/deployments/emb/embeddings", "2024-10-21");
  assert.deepEqual(JSON.parse(server.seen[0].text), {
    input: "hello",
    dimensions: 4,
    encoding_format: "base64",
  });
});

Deno.test("embeddings.create() returns base64 strings when the caller asked for base64", async () => {
  const b64 = float32Base64([1, 0]);
  await using server = await startServer(() =>
    json({
      object: "list",
      model: "m",
      data: [{ object: "embedding", index: 0, embedding: b64 }],
      usage: { prompt_tokens: 1, total_tokens: 1 },
    })
  );
  const client = new AzureOpenAI({ endpoint: server.url, apiKey: KEY, deployment: "emb" });
  const res = await client.embeddings.create({ input: ["a"], encoding_format: "base64" });
  assert.equal(res.data[0].embedding, b64);
});

Deno.test("embeddings.create() on the v1 API puts the deployment in body model and sends no api-version", async () => {
  const example = await specExample("2024-02-01", "embeddings.json");
  const body = example.responses["200"].body as { data: { embedding: number[] }[] };
  await using server = await startServer(() => json(body));
  const client = new AzureOpenAI({ endpoint: server.url, apiKey: KEY, apiVersion: "v1" });
  const res = await client.embeddings.create({
    model: "text-embedding-ada-002",
    input: "x",
    encoding_format: "float",
  });
  assert.deepEqual(res.data[0].embedding, body.data[0].embedding);
  expectCall(server.seen[0], "POST", "/openai/v1/embeddings", null);
  assert.equal(JSON.parse(server.seen[0].text).model, "text-embedding-ada-002");
});

Deno.test("images.generate() posts a DALL-E 3 request and returns revised_prompt and filter results", async () => {
  const example = await specExample("2024-05-01-preview", "image_generation.json");
  await using server = await startServer(() => json(example.responses["200"].body));
  const client = new AzureOpenAI({ endpoint: server.url, apiKey: KEY });
  const res = await client.images.generate({
    model: "dall-e-3",
    prompt: "In the style of WordArt, Microsoft Clippy wearing a cowboy hat.",
    n: 1,
    size: "1792x1024",
    style: "natural",
    quality: "hd",
  });
  assert.deepEqual(res, example.responses["200"].body);
  expectCall(
    server.seen[0],
    "POST",
    "/openai/deployments/dall-e-3/images/generations",
    "2024-10-21",
  );
});

Deno.test("images.submit/getOperation/generateAndWait/deleteOperation drive the DALL-E 2 operations", async () => {
  let polls = 0;
  await using server = await startServer((req) => {
    if (req.method === "POST") {
      return json({ id: "op-1", status: "notRunning" }, 202, {
        "operation-location":
          `${req.url.origin}/openai/operations/images/op-1?api-version=2023-06-01-preview`,
      });
    }
    if (req.method === "DELETE") return new Response(null, { status: 204 });
    polls++;
    if (polls < 3) {
      return json({ id: "op-1", created: 1, status: polls === 1 ? "notRunning" : "running" }, 200, {
        "retry-after": "0",
      });
    }
    return json({
      id: "op-1",
      created: 1,
      expires: 2,
      status: "succeeded",
      result: { created: 1, data: [{ url: "https://img/1.png" }] },
    });
  });
  const client = new AzureOpenAI({ endpoint: server.url, apiKey: KEY });
  const submitted = await client.images.submit({ prompt: "a lighthouse", n: 1, size: "512x512" });
  assert.deepEqual(submitted, { id: "op-1", status: "notRunning" });
  const post = server.seen[0];
  expectCall(post, "POST", "/openai/images/generations:submit", "2023-06-01-preview");
  assert.deepEqual(JSON.parse(post.text), { prompt: "a lighthouse", n: 1, size: "512x512" });
  const op = await client.images.getOperation("op-1");
  assert.equal(op.status, "notRunning");
  expectCall(server.seen[1], "GET", "/openai/operations/images/op-1", "2023-06-01-preview");
  const result = await client.images.generateAndWait({ prompt: "a lighthouse" });
  assert.deepEqual(result, { created: 1, data: [{ url: "https://img/1.png" }] });
  await client.images.deleteOperation("op-1");
  expectCall(server.seen.at(-1)!, "DELETE", "/openai/operations/images/op-1", "2023-06-01-preview");
});

Deno.test("images.submit() keeps a client api-version only when its document has the DALL-E 2 operations", async () => {
  // The operations are in the 2023-06-01-preview … 2023-09-01-preview documents; the later ones
  // (2023-10-01-preview on, and every GA version) have no such paths: the service answers 404.
  await using server = await startServer(() => json({ id: "op-1", status: "notRunning" }, 202));
  const sent: Record<string, string> = {
    "2023-08-01-preview": "2023-08-01-preview",
    "2023-09-01-preview": "2023-09-01-preview",
    "2023-10-01-preview": "2023-06-01-preview",
    "2023-12-01-preview": "2023-06-01-preview",
    "2024-10-21": "2023-06-01-preview",
  };
  for (const [apiVersion, expected] of Object.entries(sent)) {
    const client = new AzureOpenAI({ endpoint: server.url, apiKey: KEY, apiVersion });
    await client.images.submit({ prompt: "a lighthouse" });
    expectCall(server.seen.at(-1)!, "POST", "/openai/images/generations:submit", expected);
  }
});

Deno.test("images.generateAndWait() stops waiting when the signal aborts", async () => {
  await using server = await startServer((req) =>
    req.method === "POST"
      ? json({ id: "op-2", status: "notRunning" }, 202)
      : json({ id: "op-2", created: 1, status: "running" }, 200, { "retry-after": "30" })
  );
  const client = new AzureOpenAI({ endpoint: server.url, apiKey: KEY });
  const controller = new AbortController();
  const pending = client.images.generateAndWait({ prompt: "x" }, { signal: controller.signal });
  setTimeout(() => controller.abort(), 50);
  await assert.rejects(pending, { name: "APIUserAbortError" });
});

Deno.test("audio.transcriptions.create() uploads multipart with file and fields; json gives an object", async () => {
  const example = await specExample("2024-02-01", "audio_transcription_object.json");
  await using server = await startServer(() => json(example.responses["200"].body));
  const client = new AzureOpenAI({ endpoint: server.url, apiKey: KEY, deployment: "whisper" });
  const audio = new Uint8Array([82, 73, 70, 70, 1, 2, 3, 4]);
  const res = await client.audio.transcriptions.create({
    file: audio,
    filename: "hello.wav",
    language: "en",
    temperature: 0,
    response_format: "json",
    timestamp_granularities: ["word", "segment"],
  });
  assert.deepEqual(res, example.responses["200"].body);
  const seen = server.seen[0];
  expectCall(seen, "POST", "/openai/deployments/whisper/audio/transcriptions", "2024-10-21");
  assert.match(seen.headers.get("content-type") ?? "", /^multipart\/form-data; boundary=/);
  const file = seen.form?.get("file") as File;
  assert.equal(file.name, "hello.wav");
  assert.deepEqual(new Uint8Array(await file.arrayBuffer()), audio);
  assert.equal(seen.form?.get("language"), "en");
  assert.equal(seen.form?.get("temperature"), "0");
  assert.deepEqual(seen.form?.getAll("timestamp_granularities[]"), ["word", "segment"]);
  assert.equal(seen.form?.get("model"), null);
});

Deno.test("audio.transcriptions.create() accepts a ReadableStream file and returns text for srt", async () => {
  const srt = "1\n00:00:00,000 --> 00:00:01,000\nhello\n";
  await using server = await startServer(() =>
    new Response(srt, { headers: { "content-type": "text/plain" } })
  );
  const client = new AzureOpenAI({ endpoint: server.url, apiKey: KEY, deployment: "whisper" });
  const bytes = new Uint8Array(100_000).map((_, i) => i % 251);
  const stream = new Blob([bytes]).stream();
  const text = await client.audio.transcriptions.create({
    file: stream,
    filename: "a.mp3",
    response_format: "srt",
  });
  assert.equal(text, srt);
  const file = server.seen[0].form?.get("file") as File;
  assert.deepEqual(new Uint8Array(await file.arrayBuffer()), bytes);
});

Deno.test("audio.translations.create() uploads a File and returns text for the text format", async () => {
  const example = await specExample("2024-02-01", "audio_translation_text.json");
  const text = (example.responses["200"] as unknown as { example: string }).example;
  assert.equal(typeof text, "string");
  await using server = await startServer(() =>
    new Response(text, { headers: { "content-type": "text/plain" } })
  );
  const client = new AzureOpenAI({ endpoint: server.url, apiKey: KEY, deployment: "whisper" });
  const out = await client.audio.translations.create({
    file: new File([new Uint8Array([1, 2, 3])], "fr.m4a"),
    response_format: "text",
  });
  assert.equal(out, text);
  expectCall(
    server.seen[0],
    "POST",
    "/openai/deployments/whisper/audio/translations",
    "2024-10-21",
  );
  assert.equal((server.seen[0].form?.get("file") as File).name, "fr.m4a");
});

Deno.test("audio.speech.create() posts JSON with a preview api-version and streams the audio back", async () => {
  const wav = new Uint8Array([82, 73, 70, 70, 0, 0, 0, 0, 87, 65, 86, 69]);
  await using server = await startServer(() =>
    new Response(wav, { headers: { "content-type": "audio/wav" } })
  );
  const client = new AzureOpenAI({ endpoint: server.url, apiKey: KEY, deployment: "tts" });
  const res = await client.audio.speech.create({
    input: "Hello",
    voice: "alloy",
    response_format: "wav",
    speed: 1.5,
  });
  assert.equal(res.headers.get("content-type"), "audio/wav");
  assert.deepEqual(new Uint8Array(await res.arrayBuffer()), wav);
  expectCall(server.seen[0], "POST", "/openai/deployments/tts/audio/speech", "2024-05-01-preview");
  assert.deepEqual(JSON.parse(server.seen[0].text), {
    model: "tts",
    input: "Hello",
    voice: "alloy",
    response_format: "wav",
    speed: 1.5,
  });
});

Deno.test("a token client sends Authorization: Bearer and no api-key", async () => {
  await using server = await startServer(() =>
    json({ object: "list", data: [], model: "m", usage: { prompt_tokens: 0, total_tokens: 0 } })
  );
  const client = new AzureOpenAI({
    endpoint: server.url,
    token: "tok-static-abcdef",
    deployment: "e",
  });
  await client.embeddings.create({ input: "x", encoding_format: "float" });
  assert.equal(server.seen[0].headers.get("authorization"), "Bearer tok-static-abcdef");
  assert.equal(server.seen[0].headers.get("api-key"), null);
});

Deno.test("per-call options add headers and override apiVersion", async () => {
  await using server = await startServer(() =>
    json({ object: "list", data: [], model: "m", usage: { prompt_tokens: 0, total_tokens: 0 } })
  );
  const client = new AzureOpenAI({
    endpoint: server.url,
    apiKey: KEY,
    deployment: "e",
    defaultHeaders: { "x-team": "a" },
  });
  await client.embeddings.create(
    { input: "x", encoding_format: "float" },
    { headers: { "x-call": "b" }, apiVersion: "2024-02-01" },
  );
  const seen = server.seen[0];
  assert.equal(seen.headers.get("x-team"), "a");
  assert.equal(seen.headers.get("x-call"), "b");
  assert.equal(seen.url.searchParams.get("api-version"), "2024-02-01");
});
