import assert from "node:assert/strict";
import { AzureOpenAI } from "../../mod.ts";
import { createEmulator } from "../../src/emulator/mod.ts";
import { type SpecVersion, validateRequestBody } from "../helpers/spec_schema.ts";

/** A client on the emulator that records every JSON body it sends. */
function recordingClient(apiVersion: SpecVersion) {
  const emulator = createEmulator();
  const sent: { path: string; body: unknown }[] = [];
  const client = new AzureOpenAI({
    endpoint: "http://emulator.local",
    apiKey: emulator.apiKey,
    apiVersion,
    fetch: async (request, init) => {
      if (request.headers.get("content-type") === "application/json") {
        sent.push({
          path: new URL(request.url).pathname,
          body: await request.clone().json(),
        });
      }
      return emulator.fetch(request, init);
    },
  });
  return { client, sent };
}

const tools = [{
  type: "function" as const,
  function: {
    name: "get_weather",
    description: "Weather for a city",
    parameters: { type: "object", properties: { city: { type: "string" } } },
  },
}];

for (const version of ["2024-10-21", "2024-02-01"] as const) {
  Deno.test(`request bodies the client sends validate against the ${version} request schemas`, async () => {
    const { client, sent } = recordingClient(version);
    await client.chat.completions.create({
      model: "gpt-4o",
      messages: [
        { role: "system", content: "Be brief; answer in JSON." },
        {
          role: "user",
          content: [
            { type: "text", text: "What is in this image?" },
            { type: "image_url", image_url: { url: "https://example.com/a.png", detail: "low" } },
          ],
        },
        {
          role: "assistant",
          content: null,
          tool_calls: [{
            id: "call_1",
            type: "function",
            function: { name: "get_weather", arguments: '{"city":"Paris"}' },
          }],
        },
        { role: "tool", tool_call_id: "call_1", content: "sunny" },
      ],
      tools,
      tool_choice: { type: "function", function: { name: "get_weather" } },
      temperature: 0,
      max_tokens: 50,
      seed: 42,
      logprobs: true,
      top_logprobs: 2,
      response_format: { type: "json_object" },
      user: "user-1",
    });
    await client.chat.completions.create({
      model: "gpt-4o",
      messages: [{ role: "user", content: "hi" }],
      functions: [tools[0].function],
      function_call: "auto",
      stop: ["\n"],
      n: 2,
    });
    const stream = await client.chat.completions.create({
      model: "gpt-4o",
      messages: [{ role: "user", content: "stream" }],
      stream: true,
    });
    await stream.finalChatCompletion();
    await client.completions.create({
      model: "gpt-35-turbo-instruct",
      prompt: ["a", "b"],
      max_tokens: 5,
      logprobs: 1,
      echo: true,
      best_of: 1,
      suffix: "!",
    });
    await client.embeddings.create({ model: "text-embedding-3-small", input: ["x", "y"] });
    await client.embeddings.create({ model: "text-embedding-3-small", input: "z", user: "u" });
    await client.images.generate({
      model: "dall-e-3",
      prompt: "a fox",
      size: "1024x1024",
      quality: "hd",
      style: "vivid",
      response_format: "b64_json",
    });
    assert.equal(sent.length, 7);
    for (const { path, body } of sent) {
      const errors = validateRequestBody(version, path, "POST", body);
      assert.deepEqual(errors, [], `${path}: ${JSON.stringify(body)}`);
    }
  });
}

Deno.test("request bodies for 2024-10-21-only fields validate against that version", async () => {
  const { client, sent } = recordingClient("2024-10-21");
  await client.chat.completions.create({
    model: "gpt-4o",
    messages: [{ role: "user", content: "hi" }],
    max_completion_tokens: 20,
    parallel_tool_calls: false,
    tools,
    stream: true,
    stream_options: { include_usage: true },
    response_format: {
      type: "json_schema",
      json_schema: { name: "answer", schema: { type: "object" }, strict: true },
    },
  }).then((s) => s.finalChatCompletion());
  await client.embeddings.create({
    model: "text-embedding-3-small",
    input: "x",
    dimensions: 64,
  });
  assert.equal(sent.length, 2);
  const [chat, embeddings] = sent;
  // stream_options is declared in the 2024-10-21 components but not referenced by the chat
  // request schema (see the spec README); the schema allows extra properties, so it validates.
  // The 2024-10-21 schema lists "type" as required inside `json_schema` without declaring it
  // (a defect of the document, which tests/helpers/spec_schema.ts corrects).
  assert.deepEqual(validateRequestBody("2024-10-21", chat.path, "POST", chat.body), []);
  assert.deepEqual(validateRequestBody("2024-10-21", embeddings.path, "POST", embeddings.body), []);
});

Deno.test("a speech body validates against the 2024-05-01-preview schema", async () => {
  const emulator = createEmulator();
  let body: unknown;
  const client = new AzureOpenAI({
    endpoint: "http://emulator.local",
    apiKey: emulator.apiKey,
    fetch: async (request, init) => {
      body = await request.clone().json();
      return emulator.fetch(request, init);
    },
  });
  const res = await client.audio.speech.create({
    model: "tts",
    input: "hello",
    voice: "nova",
    response_format: "wav",
    speed: 1.25,
  });
  await res.body?.cancel();
  const errors = validateRequestBody(
    "2024-05-01-preview",
    "/openai/deployments/tts/audio/speech",
    "POST",
    body,
    "multipart/form-data",
  );
  assert.deepEqual(errors, []);
});
