// Parameters that newer api-versions and models accept, sent as given: the client must neither
// refuse them before sending nor need a cast to type them (the service checks them against the
// deployment's model and api-version).
import assert from "node:assert/strict";
import { AzureOpenAI } from "../../mod.ts";
import { json, startServer } from "../helpers/server.ts";

const KEY = "sk-newer-params-test-0001";
const VERSION = "2025-04-01-preview";

Deno.test("images.generate() sends gpt-image-1's n, sizes, qualities and output options", async () => {
  await using server = await startServer(() =>
    json({ created: 1, data: [{ b64_json: "iVBORw0KGgo=" }, { b64_json: "iVBORw0KGgo=" }] })
  );
  const client = new AzureOpenAI({ endpoint: server.url, apiKey: KEY, apiVersion: VERSION });
  const sent = [
    {
      prompt: "a lighthouse",
      n: 2,
      size: "1536x1024",
      quality: "high",
      output_format: "png",
      background: "transparent",
    },
    { prompt: "a lighthouse", size: "1024x1536", quality: "low", output_compression: 50 },
    { prompt: "a lighthouse", size: "auto", quality: "auto", moderation: "low", n: 10 },
    { prompt: "a lighthouse", quality: "medium", output_format: "webp" },
  ] as const;
  for (const params of sent) {
    const res = await client.images.generate({ model: "gpt-image-1", ...params });
    assert.equal(res.data.length, 2);
  }
  assert.deepEqual(server.seen.map((seen) => JSON.parse(seen.text)), sent);
  assert.equal(
    server.seen[0].url.pathname,
    "/openai/deployments/gpt-image-1/images/generations",
  );
});

Deno.test("audio.transcriptions.create() sends response_format diarized_json and include[] and reads JSON", async () => {
  const reply = { text: "Hello.", segments: [{ speaker: "A", text: "Hello.", start: 0, end: 1 }] };
  await using server = await startServer(() => json(reply));
  const client = new AzureOpenAI({ endpoint: server.url, apiKey: KEY, apiVersion: VERSION });
  const res = await client.audio.transcriptions.create({
    model: "gpt-4o-transcribe-diarize",
    file: new File([new Uint8Array(8)], "meeting.wav"),
    response_format: "diarized_json",
  });
  assert.deepEqual(res, reply);
  await client.audio.transcriptions.create({
    model: "gpt-4o-transcribe",
    file: new File([new Uint8Array(8)], "meeting.wav"),
    response_format: "json",
    include: ["logprobs"],
  });
  const [first, second] = server.seen.map((seen) => seen.form!);
  assert.equal(first.get("response_format"), "diarized_json");
  assert.deepEqual(second.getAll("include[]"), ["logprobs"]);
});

Deno.test("chat.completions.create() types and sends reasoning, storage, audio and prediction params", async () => {
  await using server = await startServer(() => json({ choices: [] }));
  const client = new AzureOpenAI({ endpoint: server.url, apiKey: KEY, apiVersion: VERSION });
  const params = {
    messages: [
      { role: "developer", content: "Answer briefly." },
      {
        role: "user",
        content: [
          { type: "text", text: "What is said here?" },
          { type: "input_audio", input_audio: { data: "UklGRg==", format: "wav" } },
        ],
      },
      { role: "assistant", content: null, audio: { id: "audio_1" } },
    ],
    max_completion_tokens: 100,
    reasoning_effort: "low",
    store: true,
    metadata: { team: "search" },
    modalities: ["text", "audio"],
    audio: { voice: "alloy", format: "wav" },
    prediction: { type: "content", content: "The answer is" },
    parallel_tool_calls: false,
    user_security_context: { application_name: "app", end_user_id: "u1", source_ip: "10.0.0.1" },
  } satisfies Parameters<typeof client.chat.completions.create>[0];
  await client.chat.completions.create({ model: "o3-mini", ...params });
  assert.deepEqual(JSON.parse(server.seen[0].text), params);
});

Deno.test("audio.speech.create() types and sends newer voices, instructions and stream_format", async () => {
  await using server = await startServer(() => new Response(new Uint8Array(4)));
  const client = new AzureOpenAI({ endpoint: server.url, apiKey: KEY, apiVersion: VERSION });
  const params = {
    input: "Hello",
    voice: "coral",
    instructions: "Speak cheerfully.",
    stream_format: "audio",
    speed: 0.25,
  } satisfies Parameters<typeof client.audio.speech.create>[0];
  const res = await client.audio.speech.create({ model: "gpt-4o-mini-tts", ...params });
  await res.body?.cancel();
  assert.deepEqual(JSON.parse(server.seen[0].text), { ...params, model: "gpt-4o-mini-tts" });
});

Deno.test("images.generate() types gpt-image-1's reply: usage, background, output_format, quality, size", async () => {
  const reply = {
    created: 1,
    data: [{ b64_json: "iVBORw0KGgo=" }],
    background: "opaque",
    output_format: "png",
    quality: "high",
    size: "1536x1024",
    usage: {
      input_tokens: 50,
      input_tokens_details: { text_tokens: 50, image_tokens: 0 },
      output_tokens: 4160,
      total_tokens: 4210,
    },
  } as const;
  await using server = await startServer(() => json(reply));
  const client = new AzureOpenAI({ endpoint: server.url, apiKey: KEY, apiVersion: VERSION });
  const res = await client.images.generate({ model: "gpt-image-1", prompt: "a lighthouse" });
  const seen: [number | undefined, string | undefined, string | undefined] = [
    res.usage?.total_tokens,
    res.quality,
    res.size,
  ];
  assert.deepEqual(seen, [4210, "high", "1536x1024"]);
  assert.deepEqual(res, reply);
});
