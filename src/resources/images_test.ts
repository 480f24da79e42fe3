import assert from "node:assert/strict";
import { AzureOpenAI } from "../client.ts";
import { AzureOpenAIError, BadRequestError } from "../errors/api_error.ts";

const KEY = "sk-images-test-key-123456";

/** A client whose fetch answers the submit with `op-9` and every poll with `poll()`. */
function clientPolling(poll: () => Record<string, unknown>, headers = {}): AzureOpenAI {
  const json = (body: unknown, status = 200) =>
    new Response(JSON.stringify(body), {
      status,
      headers: { "content-type": "application/json", ...headers },
    });
  return new AzureOpenAI({
    endpoint: "https://r.openai.azure.com",
    apiKey: KEY,
    fetch: (input) =>
      Promise.resolve(
        new Request(input).method === "POST"
          ? json({ id: "op-9", status: "notRunning" }, 202)
          : json({ id: "op-9", created: 1, ...poll() }),
      ),
  });
}

Deno.test("images.generateAndWait() throws the operation's error code when it fails", async () => {
  const client = clientPolling(() => ({
    status: "failed",
    error: { code: "contentFilter", message: "Your task failed" },
  }));
  await assert.rejects(client.images.generateAndWait({ prompt: "x" }), (error: unknown) => {
    assert.ok(error instanceof AzureOpenAIError);
    assert.equal(error.code, "contentFilter");
    assert.match(error.message, /operation op-9 ended with status failed: Your task failed/);
    return true;
  });
});

Deno.test("images.generateAndWait() gives up with code timeout when maxWaitMs would pass", async () => {
  const client = clientPolling(() => ({ status: "running" }), { "retry-after": "60" });
  await assert.rejects(
    client.images.generateAndWait({ prompt: "x" }, { maxWaitMs: 1_000 }),
    (error: unknown) => {
      assert.ok(error instanceof AzureOpenAIError);
      assert.equal(error.code, "timeout");
      // The 202 asked for 60 s before the first poll: more than maxWaitMs allows.
      assert.match(error.message, /still notRunning after 1000 ms; raise maxWaitMs/);
      return true;
    },
  );
});

Deno.test("images.getOperation() refuses an empty id before any request", async () => {
  const client = clientPolling(() => {
    throw new Error("no request expected");
  });
  await assert.rejects(client.images.getOperation(""), /pass the operation id returned by submit/);
});

Deno.test("images.submit() takes the id from operation-location when the body has none", async () => {
  const client = new AzureOpenAI({
    endpoint: "https://r.openai.azure.com",
    apiKey: KEY,
    fetch: () =>
      Promise.resolve(
        Response.json({ status: "notRunning" }, {
          status: 202,
          headers: {
            "operation-location":
              "https://r.openai.azure.com/openai/operations/images/op%2F7?api-version=x",
          },
        }),
      ),
  });
  const res = await client.images.submit({ prompt: "x" });
  assert.equal(res.id, "op/7");
});

Deno.test("images.generateAndWait() resolves to { created, data } when the operation's result has no created", async () => {
  // The REST reference's OperationResponse: `created` on the operation, `result` holds only data.
  const client = clientPolling(() => ({
    created: 1685064331,
    expires: 1685150737,
    status: "succeeded",
    result: { data: [{ url: "https://img/1" }] },
  }));
  const res = await client.images.generateAndWait({ prompt: "x" });
  assert.deepEqual(res, { created: 1685064331, data: [{ url: "https://img/1" }] });
});

/** A client recording every URL it sends; the submit answers 202 with `headers202`. */
function recordingClient(
  headers202: Record<string, string>,
  poll: () => Record<string, unknown> = () => ({ status: "succeeded", result: { data: [] } }),
) {
  const urls: string[] = [];
  const client = new AzureOpenAI({
    endpoint: "https://r.openai.azure.com",
    apiKey: KEY,
    fetch: (input) => {
      const req = new Request(input);
      urls.push(`${req.method} ${req.url}`);
      return Promise.resolve(
        req.method === "POST"
          ? Response.json({ id: "op-9", status: "notRunning" }, {
            status: 202,
            headers: headers202,
          })
          : Response.json({ id: "op-9", created: 7, ...poll() }),
      );
    },
  });
  return { client, urls };
}

Deno.test("images.generateAndWait() polls the operation-location the service answered with", async () => {
  const location =
    "https://r.openai.azure.com/openai/operations/images/op-9?api-version=2023-06-01-preview&x=1";
  const { client, urls } = recordingClient({ "operation-location": location });
  const res = await client.images.generateAndWait({ prompt: "x" });
  assert.deepEqual(res, { created: 7, data: [] });
  assert.deepEqual(urls.slice(1), [`GET ${location}`]);
});

Deno.test("images.generateAndWait() never polls an operation-location on another host", async () => {
  for (
    const foreign of [
      "https://elsewhere.example/openai/operations/images/op-9",
      "https://r.openai.azure.com.evil.example/openai/operations/images/op-9",
      "https://r.openai.azure.com@evil.example/openai/operations/images/op-9",
      "//evil.example/openai/operations/images/op-9",
    ]
  ) {
    const { client, urls } = recordingClient({ "operation-location": foreign });
    await client.images.generateAndWait({ prompt: "x" });
    assert.equal(urls.length, 2);
    assert.match(
      urls[1],
      /^GET https:\/\/r\.openai\.azure\.com\/openai\/operations\/images\/op-9\?/,
      foreign,
    );
  }
});

Deno.test("images.generateAndWait() waits the submit's retry-after before the first poll", async () => {
  const { client, urls } = recordingClient({ "retry-after": "60" });
  await assert.rejects(
    client.images.generateAndWait({ prompt: "x" }, { maxWaitMs: 1_000 }),
    (error: unknown) => error instanceof AzureOpenAIError && error.code === "timeout",
  );
  assert.equal(urls.length, 1, "no poll inside the asked wait");
});

Deno.test("images.generateAndWait() throws when an operation succeeds without a result", async () => {
  const { client, urls } = recordingClient({}, () => ({ status: "succeeded" }));
  await assert.rejects(
    client.images.generateAndWait({ prompt: "x" }),
    /operation op-9 ended with status succeeded without a result/,
  );
  assert.equal(urls.length, 2, "no polling on after the operation ended");
});

Deno.test("images.generate() takes DALL-E 2's 256x256 and 512x512, which 2024-05-01-preview serves here; the service checks the size", async () => {
  const { createEmulator } = await import("../emulator/mod.ts");
  const emulator = createEmulator({ deployments: [{ name: "dall-e-2", model: "dall-e-2" }] });
  const client = new AzureOpenAI({
    endpoint: "http://emulator.local",
    apiKey: emulator.apiKey,
    fetch: emulator.fetch,
    apiVersion: "2024-05-01-preview",
  });
  for (const size of ["256x256", "512x512"] as const) {
    const res = await client.images.generate({ model: "dall-e-2", prompt: "a fox", size });
    assert.equal(res.data.length, 1, size);
  }
  await assert.rejects(
    client.images.generate({ model: "dall-e-2", prompt: "a fox", size: "640x480" }),
    (err: Error) =>
      err instanceof BadRequestError &&
      /'size' must be one of 256x256, 512x512, 1024x1024 for dall-e-2/.test(err.message),
  );
});
