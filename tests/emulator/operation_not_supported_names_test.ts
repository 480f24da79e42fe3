import assert from "node:assert/strict";
import { createEmulator } from "../../src/emulator/mod.ts";
import { BASE } from "./_version_paths.ts";

// Azure names the operation in camelCase in this 400, e.g. "The chatCompletion operation does not
// work with the specified model, text-embedding-3-large." (not the `ChatCompletions_Create` label
// its 429 messages use). Seen from the service: chatCompletion, completion, embeddings,
// imageGenerations, audioSpeech.
const TAIL =
  ". Please choose different model and try again. You can learn more about which models can be used with each operation here: https://go.microsoft.com/fwlink/?linkid=2197993.";

function post(
  e: ReturnType<typeof createEmulator>,
  path: string,
  version: string,
  body: unknown,
): Promise<Response> {
  const init: RequestInit = { method: "POST", headers: { "api-key": e.apiKey } };
  if (body instanceof FormData) init.body = body;
  else {
    init.headers = { ...init.headers, "content-type": "application/json" };
    init.body = JSON.stringify(body);
  }
  return e.fetch(`${BASE}/openai/deployments/${path}?api-version=${version}`, init);
}

function audioForm(): FormData {
  const form = new FormData();
  form.set("file", new File([new Uint8Array(64)], "a.wav", { type: "audio/wav" }));
  return form;
}

const CASES: [string, string, unknown, string, string][] = [
  [
    "text-embedding-3-small/chat/completions",
    "2024-10-21",
    { messages: [{ role: "user", content: "hi" }] },
    "chatCompletion",
    "text-embedding-3-small",
  ],
  ["gpt-4o/embeddings", "2024-10-21", { input: "hi" }, "embeddings", "gpt-4o"],
  ["gpt-4o/completions", "2024-02-01", { prompt: "hi" }, "completion", "gpt-4o"],
  ["gpt-4o/images/generations", "2024-10-21", { prompt: "a cat" }, "imageGenerations", "gpt-4o"],
  [
    "whisper/audio/speech",
    "2024-05-01-preview",
    { input: "hi", voice: "alloy" },
    "audioSpeech",
    "whisper",
  ],
];

Deno.test("OperationNotSupported names the operation as Azure does (chatCompletion, embeddings, …)", async () => {
  const e = createEmulator();
  for (const [path, version, body, name, model] of CASES) {
    const res = await post(e, path, version, body);
    assert.equal(res.status, 400, path);
    assert.deepEqual(await res.json(), {
      error: {
        code: "OperationNotSupported",
        message: `The ${name} operation does not work with the specified model, ${model}${TAIL}`,
      },
    }, path);
  }
});

Deno.test("OperationNotSupported for audio uploads names audioTranscription / audioTranslation", async () => {
  const e = createEmulator();
  for (
    const [op, name] of [["transcriptions", "audioTranscription"], [
      "translations",
      "audioTranslation",
    ]]
  ) {
    const res = await post(e, `gpt-4o/audio/${op}`, "2024-10-21", audioForm());
    assert.equal(res.status, 400, op);
    const { error } = await res.json();
    assert.equal(error.code, "OperationNotSupported");
    assert.equal(
      error.message,
      `The ${name} operation does not work with the specified model, gpt-4o${TAIL}`,
    );
  }
});

Deno.test("OperationNotSupported on v1 paths (deployment in the body) uses the same names", async () => {
  const e = createEmulator();
  const res = await e.fetch(`${BASE}/openai/v1/embeddings`, {
    method: "POST",
    headers: { "api-key": e.apiKey, "content-type": "application/json" },
    body: JSON.stringify({ model: "gpt-4o", input: "hi" }),
  });
  assert.equal(res.status, 400);
  assert.match(
    (await res.json()).error.message,
    /^The embeddings operation does not work with the specified model, gpt-4o\. /,
  );
});

Deno.test("the 429 message keeps the ChatCompletions_Create label", async () => {
  const e = createEmulator({ rateLimits: { requestsPerMinute: 1 }, now: () => 0 });
  const body = { messages: [{ role: "user", content: "hi" }] };
  await (await post(e, "gpt-4o/chat/completions", "2024-10-21", body)).body?.cancel();
  const res = await post(e, "gpt-4o/chat/completions", "2024-10-21", body);
  assert.equal(res.status, 429);
  assert.match(
    (await res.json()).error.message,
    /^Requests to the ChatCompletions_Create Operation /,
  );
});
