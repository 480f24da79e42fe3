import assert from "node:assert/strict";
import { AzureOpenAI, NotFoundError } from "../../mod.ts";
import { createEmulator } from "../../src/emulator/mod.ts";

/** A client on the emulator, counting the requests it sends. */
function setup() {
  const emulator = createEmulator({ operationRetryAfter: 0 });
  const sent: string[] = [];
  const client = new AzureOpenAI({
    endpoint: "http://emulator.local",
    apiKey: emulator.apiKey,
    fetch: (request, init) => {
      sent.push(`${request.method} ${new URL(request.url).pathname}`);
      return emulator.fetch(new Request(request, init));
    },
  });
  return { client, sent };
}

function expectResponse(response: Response, requestId: string | null, status = 200): void {
  assert.ok(response instanceof Response);
  assert.equal(response.status, status);
  assert.ok(requestId, "request_id is set");
  assert.equal(response.headers.get("apim-request-id"), requestId);
}

Deno.test("withResponse() gives the parsed result with its response and request id (SDK shape)", async () => {
  const { client, sent } = setup();
  const chat = await client.chat.completions
    .create({ model: "gpt-4o", messages: [{ role: "user", content: "hi" }] })
    .withResponse();
  assert.equal(chat.data.choices[0].message.content, "You said: hi");
  expectResponse(chat.response, chat.request_id);

  const completion = await client.completions
    .create({ model: "gpt-35-turbo-instruct", prompt: "say" })
    .withResponse();
  assert.equal(typeof completion.data.choices[0].text, "string");
  expectResponse(completion.response, completion.request_id);

  const embeddings = await client.embeddings
    .create({ model: "text-embedding-3-small", input: ["a", "b"] })
    .withResponse();
  assert.equal(embeddings.data.data.length, 2);
  assert.equal(typeof embeddings.data.data[0].embedding[0], "number");
  expectResponse(embeddings.response, embeddings.request_id);

  const image = await client.images.generate({ model: "dall-e-3", prompt: "a fox" })
    .withResponse();
  assert.ok(image.data.data[0].url);
  expectResponse(image.response, image.request_id);

  const submitted = await client.images.submit({ prompt: "a lighthouse" }).withResponse();
  assert.ok(submitted.data.id);
  expectResponse(submitted.response, submitted.request_id, 202);
  assert.ok(submitted.response.headers.get("operation-location"));
  const operation = await client.images.getOperation(submitted.data.id).withResponse();
  assert.equal(operation.data.id, submitted.data.id);
  expectResponse(operation.response, operation.request_id);
  // Only a finished operation may be deleted: poll on until it is (a bounded number of polls).
  let polls = 0;
  for (let status = operation.data.status; status !== "succeeded" && status !== "failed";) {
    assert.ok(++polls <= 10, `still ${status}`);
    ({ status } = await client.images.getOperation(submitted.data.id));
  }
  const deleted = await client.images.deleteOperation(submitted.data.id).withResponse();
  assert.equal(deleted.data, undefined);
  expectResponse(deleted.response, deleted.request_id, 204);

  const text = await client.audio.transcriptions
    .create({
      model: "whisper",
      file: new Uint8Array([1, 2, 3]),
      filename: "a.wav",
      response_format: "text",
    })
    .withResponse();
  assert.equal(typeof text.data, "string");
  expectResponse(text.response, text.request_id);
  const translation = await client.audio.translations
    .create({ model: "whisper", file: new Blob([new Uint8Array([1])]), filename: "a.wav" })
    .withResponse();
  assert.equal(typeof translation.data.text, "string");
  expectResponse(translation.response, translation.request_id);

  const speech = await client.audio.speech
    .create({ model: "tts", input: "Hello", voice: "alloy" })
    .withResponse();
  assert.equal(speech.data, speech.response);
  assert.ok((await speech.data.arrayBuffer()).byteLength > 0);
  expectResponse(speech.response, speech.request_id);
  // One request per call: withResponse() sends nothing more.
  assert.equal(sent.length, 10 + polls);
});

Deno.test("withResponse() of a stream gives the stream, its response before any chunk is read", async () => {
  const { client } = setup();
  const { data: stream, response, request_id } = await client.chat.completions
    .create({ model: "gpt-4o", messages: [{ role: "user", content: "stream me" }], stream: true })
    .withResponse();
  assert.equal(response, stream.response);
  assert.match(response.headers.get("content-type") ?? "", /text\/event-stream/);
  assert.equal(response.headers.get("apim-request-id"), request_id);
  assert.equal(
    (await stream.finalChatCompletion()).choices[0].message.content,
    "You said: stream me",
  );
});

Deno.test("awaiting the call and withResponse() share one request and one result", async () => {
  const { client, sent } = setup();
  const call = client.embeddings.create({ model: "text-embedding-3-small", input: "a" });
  const [data, withResponse] = await Promise.all([call, call.withResponse()]);
  assert.equal(withResponse.data, data);
  assert.equal(sent.length, 1);
});

Deno.test("withResponse() rejects with the call's typed error", async () => {
  const { client } = setup();
  await assert.rejects(
    client.chat.completions
      .create({ model: "no-such-deployment", messages: [{ role: "user", content: "hi" }] })
      .withResponse(),
    NotFoundError,
  );
  // Bad params still reject (before any request) rather than throw synchronously.
  const bad = client.embeddings.create({ model: "text-embedding-3-small", input: "" });
  await assert.rejects(bad.withResponse(), TypeError);
  await assert.rejects(bad, TypeError);
});
