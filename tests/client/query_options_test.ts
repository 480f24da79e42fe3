// defaultQuery (client) and query (per call), as the openai SDK's: parameters merged into every
// request's URL, the call's over the client's. Asserted on the URLs a 127.0.0.1 server saw.
import assert from "node:assert/strict";
import { wavFile } from "../../src/emulator/speech.ts";
import { queries, recordingServer } from "./_recording_server.ts";

const MESSAGES = [{ role: "user" as const, content: "hi" }];

Deno.test("defaultQuery and a call's query reach every operation's URL, after its api-version", async () => {
  // Operations end at their first poll: the first one can be deleted.
  const { client, seen, close } = recordingServer({ defaultQuery: { gw: "edge" } }, undefined, {
    operationPolls: 0,
  });
  try {
    const query = { call: "1" };
    await client.chat.completions.create({ model: "gpt-4o", messages: MESSAGES }, { query });
    const stream = await client.chat.completions.create(
      { model: "gpt-4o", messages: MESSAGES, stream: true },
      { query },
    );
    for await (const _ of stream);
    await client.completions.create({ model: "gpt-35-turbo-instruct", prompt: "hi" }, { query });
    await client.embeddings.create({ model: "text-embedding-3-small", input: "hi" }, { query });
    await client.images.generate({ model: "dall-e-3", prompt: "a lighthouse" }, { query });
    await client.audio.transcriptions.create({
      model: "whisper",
      file: new File([wavFile(new Uint8Array(3200))], "a.wav"),
    }, { query });
    const speech = await client.audio.speech.create(
      { model: "tts", input: "hi", voice: "alloy" },
      { query },
    );
    await speech.arrayBuffer();
    const raw = await client.request(
      { path: "embeddings", deployment: "text-embedding-3-small", json: { input: "hi" } },
      { query },
    );
    await raw.json();
    const { id } = await client.images.submit({ prompt: "a lighthouse" }, { query });
    await client.images.getOperation(id, { query });
    await client.images.generateAndWait({ prompt: "a lighthouse" }, { pollIntervalMs: 0, query });
    await client.images.deleteOperation(id, { query });
    const v = "2024-10-21";
    const ops = "2023-06-01-preview";
    const d = "/openai/deployments";
    assert.deepEqual(seen, [
      `${d}/gpt-4o/chat/completions?api-version=${v}&gw=edge&call=1`,
      `${d}/gpt-4o/chat/completions?api-version=${v}&gw=edge&call=1`,
      `${d}/gpt-35-turbo-instruct/completions?api-version=${v}&gw=edge&call=1`,
      `${d}/text-embedding-3-small/embeddings?api-version=${v}&gw=edge&call=1`,
      `${d}/dall-e-3/images/generations?api-version=${v}&gw=edge&call=1`,
      `${d}/whisper/audio/transcriptions?api-version=${v}&gw=edge&call=1`,
      `${d}/tts/audio/speech?api-version=2024-05-01-preview&gw=edge&call=1`,
      `${d}/text-embedding-3-small/embeddings?api-version=${v}&gw=edge&call=1`,
      `/openai/images/generations:submit?api-version=${ops}&gw=edge&call=1`,
      `/openai/operations/images/${id}?api-version=${ops}&gw=edge&call=1`,
      `/openai/images/generations:submit?api-version=${ops}&gw=edge&call=1`,
      // The poll goes to the operation-location the service named (its api-version kept).
      seen[11],
      `/openai/operations/images/${id}?api-version=${ops}&gw=edge&call=1`,
    ]);
    assert.match(
      seen[11],
      /^\/openai\/operations\/images\/[\w-]+\?api-version=2023-06-01-preview&gw=edge&call=1$/,
    );
  } finally {
    await close();
  }
});

Deno.test("a call's query wins over defaultQuery; undefined leaves a parameter out, null sends it empty", async () => {
  const { client, seen, close } = recordingServer({
    defaultQuery: { a: "default", b: "default", c: "default", d: undefined },
  });
  try {
    const params = { model: "text-embedding-3-small", input: "hi" };
    await client.embeddings.create(params);
    await client.embeddings.create(params, { query: { b: "call", c: undefined, e: null } });
    const path = "/openai/deployments/text-embedding-3-small/embeddings?api-version=2024-10-21";
    assert.deepEqual(seen, [
      `${path}&a=default&b=default&c=default`,
      `${path}&a=default&b=call&e=`,
    ]);
  } finally {
    await close();
  }
});

Deno.test("query values are sent as the openai SDK sends them: encoded, arrays as name[], objects as name[key]", async () => {
  const { client, seen, close } = recordingServer();
  try {
    await client.embeddings.create({ model: "text-embedding-3-small", input: "hi" }, {
      query: {
        "a b": "x&y=z é/?#+",
        n: 1.5,
        t: true,
        list: ["1", 2],
        obj: { k: "v", deep: { x: 1 } },
      },
    });
    // Form-encoded (a space as '+', as URLSearchParams writes it; the SDK writes %20): the same
    // pairs once decoded.
    assert.equal(
      seen[0].slice(seen[0].indexOf("&")),
      "&a+b=x%26y%3Dz+%C3%A9%2F%3F%23%2B&n=1.5&t=true&list%5B%5D=1&list%5B%5D=2" +
        "&obj%5Bk%5D=v&obj%5Bdeep%5D%5Bx%5D=1",
    );
    assert.deepEqual(queries(seen)[0], [
      "api-version=2024-10-21",
      "a b=x&y=z é/?#+",
      "n=1.5",
      "t=true",
      "list[]=1",
      "list[]=2",
      "obj[k]=v",
      "obj[deep][x]=1",
    ]);
  } finally {
    await close();
  }
});

Deno.test("api-version: the client's wins over defaultQuery's, a call's query wins over both", async () => {
  const { client, seen, close } = recordingServer({
    defaultQuery: { "api-version": "2023-05-15" },
  });
  try {
    const params = { model: "text-embedding-3-small", input: "hi" };
    await client.embeddings.create(params);
    await client.embeddings.create(params, { apiVersion: "2024-06-01" });
    await client.embeddings.create(params, { query: { "api-version": "2024-06-01" } });
    await client.embeddings.create(params, {
      apiVersion: "2024-02-01",
      query: { "api-version": "2024-06-01" },
    });
    const path = "/openai/deployments/text-embedding-3-small/embeddings";
    assert.deepEqual(seen, [
      `${path}?api-version=2024-10-21`,
      `${path}?api-version=2024-06-01`,
      `${path}?api-version=2024-06-01`,
      `${path}?api-version=2024-06-01`,
    ]);
  } finally {
    await close();
  }
});

Deno.test("on the v1 API no api-version is sent unless defaultQuery or the call's query names one", async () => {
  const { client, seen, close } = recordingServer({ apiVersion: "v1" });
  const preview = recordingServer({ apiVersion: "v1", defaultQuery: { "api-version": "preview" } });
  try {
    const params = { model: "gpt-4o", messages: MESSAGES };
    await client.chat.completions.create(params);
    await client.chat.completions.create(params, { query: { "api-version": "preview" } });
    await preview.client.chat.completions.create(params);
    await preview.client.chat.completions.create(params, { query: { "api-version": undefined } });
    assert.deepEqual(seen, [
      "/openai/v1/chat/completions",
      "/openai/v1/chat/completions?api-version=preview",
    ]);
    assert.deepEqual(preview.seen, [
      "/openai/v1/chat/completions?api-version=preview",
      "/openai/v1/chat/completions",
    ]);
  } finally {
    await close();
    await preview.close();
  }
});

Deno.test("client.request(): a path's own parameters win over defaultQuery, a call's query replaces them", async () => {
  const { client, seen, close } = recordingServer({ defaultQuery: { a: "default", b: "default" } });
  try {
    const init = {
      path: "embeddings?a=path&api-version=2024-06-01",
      deployment: "text-embedding-3-small",
      json: { input: "hi" },
    };
    await (await client.request(init)).json();
    await (await client.request(init, { query: { a: "call", "api-version": "2024-02-01" } }))
      .json();
    const path = "/openai/deployments/text-embedding-3-small/embeddings";
    assert.deepEqual(seen, [
      `${path}?a=path&api-version=2024-06-01&b=default`,
      `${path}?a=call&b=default&api-version=2024-02-01`,
    ]);
  } finally {
    await close();
  }
});
