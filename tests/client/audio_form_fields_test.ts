// Object parameters of an audio upload go out as the official openai SDK sends them in multipart
// (its internal/uploads addFormValue): one field per member named `key[member]`, arrays as
// `key[]`; `String(object)` sent the text "[object Object]".
import assert from "node:assert/strict";
import { AzureOpenAI } from "../../mod.ts";

function capture(): { client: AzureOpenAI; forms: FormData[] } {
  const forms: FormData[] = [];
  const client = new AzureOpenAI({
    endpoint: "http://aoai.test",
    apiKey: "sk-audio-form-fields-0001",
    apiVersion: "2025-03-01-preview",
    maxRetries: 0,
    fetch: async (input: RequestInfo | URL, init?: RequestInit) => {
      forms.push(await new Request(input, init).formData());
      return Response.json({ text: "ok" });
    },
  });
  return { client, forms };
}

const entries = (form: FormData) =>
  [...form.entries()].filter(([k]) => k !== "file").map(([k, v]) => [k, String(v)]);

Deno.test("transcriptions.create() sends chunking_strategy server_vad as chunking_strategy[member] fields", async () => {
  const { client, forms } = capture();
  await client.audio.transcriptions.create({
    model: "gpt-4o-transcribe",
    file: new File([new Uint8Array(64)], "a.wav"),
    chunking_strategy: {
      type: "server_vad",
      prefix_padding_ms: 300,
      silence_duration_ms: 200,
      threshold: 0.5,
    },
    include: ["logprobs"],
  });
  assert.deepEqual(entries(forms[0]), [
    ["chunking_strategy[type]", "server_vad"],
    ["chunking_strategy[prefix_padding_ms]", "300"],
    ["chunking_strategy[silence_duration_ms]", "200"],
    ["chunking_strategy[threshold]", "0.5"],
    ["include[]", "logprobs"],
  ]);
  assert.ok(!entries(forms[0]).some(([, v]) => v.includes("[object")));
});

Deno.test("transcriptions.create() sends chunking_strategy 'auto' as one text field", async () => {
  const { client, forms } = capture();
  await client.audio.transcriptions.create({
    model: "gpt-4o-transcribe-diarize",
    file: new File([new Uint8Array(64)], "a.wav"),
    response_format: "diarized_json",
    chunking_strategy: "auto",
    timestamp_granularities: ["word", "segment"],
    temperature: 0,
  });
  assert.deepEqual(entries(forms[0]), [
    ["response_format", "diarized_json"],
    ["chunking_strategy", "auto"],
    ["timestamp_granularities[]", "word"],
    ["timestamp_granularities[]", "segment"],
    ["temperature", "0"],
  ]);
});
