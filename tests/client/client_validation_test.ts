// The client refuses before sending only what no api-version accepts (a wrong type, an empty
// required field): null (the spec's "use the default") and values of open enums that newer
// api-versions and models add go to the service as given.
import assert from "node:assert/strict";
import { AzureOpenAI } from "../../mod.ts";

const KEY = "sk-client-validation-test-01";

/** A client whose fetch records each request and answers `reply()`. */
function recording(reply: () => Response = () => Response.json({ data: [], choices: [] })) {
  const seen: Request[] = [];
  const client = new AzureOpenAI({
    endpoint: "https://r.openai.azure.com",
    apiKey: KEY,
    deployment: "d",
    apiVersion: "2025-04-01-preview",
    fetch: (input, init) => {
      seen.push(new Request(input, init));
      return Promise.resolve(reply());
    },
  });
  return { client, seen };
}

const messages = [{ role: "user" as const, content: "hi" }];

Deno.test("chat, completions, embeddings, images and speech send nullable fields set to null", async () => {
  const { client, seen } = recording();
  const sent: Record<string, unknown>[] = [
    {
      messages,
      temperature: null,
      top_p: null,
      n: null,
      top_logprobs: null,
      presence_penalty: null,
      frequency_penalty: null,
      response_format: null,
      stream: null,
    },
    { prompt: null, logprobs: null, best_of: null, n: null, temperature: null },
    { input: "a", encoding_format: null, dimensions: null },
    {
      prompt: "a fox",
      response_format: null,
      style: null,
      size: null,
      quality: null,
      n: null,
    },
  ];
  await client.chat.completions.create(sent[0] as never);
  await client.completions.create(sent[1] as never);
  await client.embeddings.create(sent[2] as never);
  await client.images.generate(sent[3] as never);
  const bodies = await Promise.all(seen.map((r) => r.json()));
  // Embeddings ask for base64 when the caller leaves the format to the default.
  assert.deepEqual(bodies, [sent[0], sent[1], { ...sent[2], encoding_format: "base64" }, sent[3]]);

  const speech = recording(() => new Response("RIFF"));
  const params = { input: "hi", voice: "alloy", response_format: null, speed: null };
  await (await speech.client.audio.speech.create(params as never)).arrayBuffer();
  assert.deepEqual(await speech.seen[0].json(), { ...params, model: "d" });
});

Deno.test("audio.transcriptions.create() takes null for its optional fields and leaves them out", async () => {
  const { client, seen } = recording(() => Response.json({ text: "hi" }));
  await client.audio.transcriptions.create({
    file: new Uint8Array(4),
    filename: "a.wav",
    timestamp_granularities: null,
    temperature: null,
    response_format: null,
    stream: null,
  } as never);
  assert.deepEqual([...(await seen[0].formData()).keys()], ["file"]);
});

Deno.test("open enums: values newer api-versions and models may add are sent as given", async () => {
  const { client, seen } = recording();
  const sent: Record<string, unknown>[] = [
    { messages: [{ role: "critic", content: "hi" }], response_format: { type: "grammar" } },
    { input: "a", encoding_format: "int8" },
    { prompt: "a fox", response_format: "png_url", style: "photographic" },
  ];
  await client.chat.completions.create(sent[0] as never);
  await client.embeddings.create(sent[1] as never);
  await client.images.generate(sent[2] as never);
  assert.deepEqual(await Promise.all(seen.map((r) => r.json())), sent);

  const speech = recording(() => new Response("audio"));
  const params = { input: "hi", voice: "alloy", response_format: "ogg" };
  await (await speech.client.audio.speech.create(params as never)).arrayBuffer();
  assert.deepEqual(await speech.seen[0].json(), { ...params, model: "d" });

  const audio = recording(() => Response.json({ text: "hi" }));
  await audio.client.audio.transcriptions.create({
    file: new Uint8Array(4),
    filename: "a.wav",
    timestamp_granularities: ["word", "character"],
  } as never);
  const form = await audio.seen[0].formData();
  assert.deepEqual(form.getAll("timestamp_granularities[]"), ["word", "character"]);
});

Deno.test("chat.completions.create() still refuses a message without a role, before sending", async () => {
  const { client, seen } = recording();
  for (const role of [undefined, "", 3]) {
    await assert.rejects(
      client.chat.completions.create({ messages: [...messages, { role, content: "x" }] as never }),
      /chat\.completions\.create: params\.messages\[1\]\.role must be a non-empty string/,
    );
  }
  assert.equal(seen.length, 0);
});

Deno.test("audio.speech.create() counts input in characters, not UTF-16 code units", async () => {
  const { client, seen } = recording(() => new Response("audio"));
  // 4096 characters, 8192 UTF-16 code units: within the service's limit.
  const input = "😀".repeat(4096);
  await (await client.audio.speech.create({ input, voice: "alloy" })).arrayBuffer();
  assert.equal((await seen[0].json()).input, input);
  await assert.rejects(
    client.audio.speech.create({ input: input + "a", voice: "alloy" }),
    /params\.input has 4097 characters; at most 4096/,
  );
  assert.equal(seen.length, 1);
});
