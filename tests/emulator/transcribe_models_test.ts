/**
 * gpt-4o-transcribe / gpt-4o-mini-transcribe / gpt-4o-transcribe-diarize deployments answer the
 * transcription route as their model does, not as Whisper. Sources:
 * - the openai SDK's TranscriptionCreateParams (resources/audio/transcriptions.d.ts):
 *   response_format "For gpt-4o-transcribe and gpt-4o-mini-transcribe, the only supported format
 *   is json. For gpt-4o-transcribe-diarize, the supported formats are json, text, and
 *   diarized_json"; include "logprobs only works with response_format set to json and only with
 *   the models gpt-4o-transcribe, gpt-4o-mini-transcribe ... not supported when using
 *   gpt-4o-transcribe-diarize"; chunking_strategy "Required when using gpt-4o-transcribe-diarize
 *   for inputs longer than 30 seconds"; prompt and timestamp_granularities not supported with
 *   gpt-4o-transcribe-diarize; TranscriptionDiarized / TranscriptionDiarizedSegment shapes.
 * - the service's answer to verbose_json on these models (openai/openai-dotnet#401, vercel/ai#8214,
 *   and on Azure Azure/azure-rest-api-specs#38741 for gpt-4o-transcribe-diarize): 400
 *   invalid_request_error, param response_format, code unsupported_value, "response_format
 *   'verbose_json' is not compatible with model '…'. Use 'json' or 'text' instead." (the service
 *   takes text as well, so text is not refused).
 */
import assert from "node:assert/strict";
import { createEmulator } from "../../src/emulator/mod.ts";
import { BASE } from "../../src/emulator/_testing.ts";
import { wavFile } from "../../src/emulator/speech.ts";

type E = ReturnType<typeof createEmulator>;

const e = createEmulator({
  deployments: [
    { name: "whisper", model: "whisper" },
    { name: "t4o", model: "gpt-4o-transcribe" },
    { name: "t4o-mini", model: "gpt-4o-mini-transcribe" },
    { name: "diarize", model: "gpt-4o-transcribe-diarize" },
  ],
});

function upload(
  e: E,
  deployment: string,
  fields: Record<string, string | string[] | Blob | File>,
): Promise<Response> {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) {
    if (Array.isArray(v)) { for (const x of v) form.append(k, x); }
    else form.append(k, v);
  }
  return e.fetch(
    `${BASE}/openai/deployments/${deployment}/audio/transcriptions?api-version=2025-03-01-preview`,
    { method: "POST", headers: { "api-key": e.apiKey }, body: form },
  );
}

function wav(seconds: number, name = "hello.wav"): File {
  // 24 kHz 16-bit mono silence
  return new File([wavFile(new Uint8Array(Math.round(24_000 * 2 * seconds)))], name, {
    type: "audio/wav",
  });
}

Deno.test("gpt-4o-transcribe deployments refuse verbose_json, srt, vtt and diarized_json; json and text pass", async () => {
  for (
    const [name, model] of [["t4o", "gpt-4o-transcribe"], ["t4o-mini", "gpt-4o-mini-transcribe"]]
  ) {
    for (const format of ["verbose_json", "srt", "vtt", "diarized_json"]) {
      const res = await upload(e, name, { file: wav(2), response_format: format });
      const body = await res.json();
      assert.equal(res.status, 400, `${name} ${format}: ${JSON.stringify(body)}`);
      assert.equal(body.error.param, "response_format");
      assert.equal(body.error.code, "unsupported_value");
      assert.equal(body.error.type, "invalid_request_error");
      assert.equal(
        body.error.message,
        `response_format '${format}' is not compatible with model '${model}'. Use 'json' or 'text' instead.`,
      );
    }
    const json = await upload(e, name, { file: wav(2) });
    assert.equal(json.status, 200);
    assert.equal(typeof (await json.json()).text, "string");
    const text = await upload(e, name, { file: wav(2), response_format: "text" });
    assert.equal(text.status, 200);
    assert.match(await text.text(), /heard hello\.wav/);
  }
  // Whisper keeps its five formats.
  for (const format of ["verbose_json", "srt", "vtt"]) {
    const res = await upload(e, "whisper", { file: wav(2), response_format: format });
    assert.equal(res.status, 200, format);
    await res.body?.cancel();
  }
});

Deno.test("gpt-4o-transcribe answers include[]=logprobs with json: logprobs per token; Whisper ignores it", async () => {
  const res = await upload(e, "t4o", { file: wav(2), "include[]": "logprobs" });
  assert.equal(res.status, 200);
  const body = await res.json();
  assert.ok(Array.isArray(body.logprobs) && body.logprobs.length > 0, JSON.stringify(body));
  assert.equal(body.logprobs.map((l: { token: string }) => l.token).join(""), body.text);
  for (const l of body.logprobs) {
    assert.equal(typeof l.logprob, "number");
    assert.ok(l.logprob <= 0);
    assert.deepEqual(l.bytes, [...new TextEncoder().encode(l.token)]);
  }
  const plain = await (await upload(e, "t4o", { file: wav(2) })).json();
  assert.equal(plain.logprobs, undefined);
  const whisper = await (await upload(e, "whisper", { file: wav(2), "include[]": "logprobs" }))
    .json();
  assert.equal(whisper.logprobs, undefined);
});

Deno.test("gpt-4o-transcribe-diarize answers diarized_json with speaker segments, and text", async () => {
  const res = await upload(e, "diarize", {
    file: wav(12),
    response_format: "diarized_json",
    "chunking_strategy[type]": "server_vad",
    "chunking_strategy[threshold]": "0.5",
  });
  const body = await res.json();
  assert.equal(res.status, 200, JSON.stringify(body));
  assert.equal(body.task, "transcribe");
  assert.equal(body.duration, 12);
  assert.equal(typeof body.text, "string");
  assert.ok(body.segments.length > 0);
  assert.equal(body.segments.map((s: { text: string }) => s.text).join(" "), body.text);
  for (const s of body.segments) {
    assert.equal(s.type, "transcript.text.segment");
    assert.equal(typeof s.id, "string");
    assert.match(s.speaker, /^[A-Z]$/);
    assert.ok(s.start <= s.end && s.end <= 12);
  }
  assert.equal(body.segments[0].speaker, "A");
  const text = await upload(e, "diarize", { file: wav(2), response_format: "text" });
  assert.equal(text.status, 200);
  await text.body?.cancel();
  // Known speaker names label the segments.
  const named = await (await upload(e, "diarize", {
    file: wav(2),
    response_format: "diarized_json",
    "known_speaker_names[]": ["agent", "customer"],
    "known_speaker_references[]": ["data:audio/wav;base64,AAAA", "data:audio/wav;base64,AAAA"],
  })).json();
  assert.equal(named.segments[0].speaker, "agent");
});

Deno.test("gpt-4o-transcribe-diarize refuses verbose_json/srt/vtt, include[]=logprobs, prompt and timestamp_granularities", async () => {
  for (const format of ["verbose_json", "srt", "vtt"]) {
    const res = await upload(e, "diarize", { file: wav(2), response_format: format });
    const body = await res.json();
    assert.equal(res.status, 400, format);
    assert.equal(body.error.param, "response_format");
    assert.equal(body.error.code, "unsupported_value");
    assert.equal(
      body.error.message,
      `response_format '${format}' is not compatible with model 'gpt-4o-transcribe-diarize'. Use 'json', 'text' or 'diarized_json' instead.`,
    );
  }
  const cases: [Record<string, string>, string][] = [
    [{ "include[]": "logprobs" }, "include"],
    [{ prompt: "Names: Ana, Bo." }, "prompt"],
    [{ "timestamp_granularities[]": "segment" }, "timestamp_granularities"],
  ];
  for (const [extra, param] of cases) {
    const res = await upload(e, "diarize", { file: wav(2), ...extra });
    const body = await res.json();
    assert.equal(res.status, 400, param);
    assert.equal(body.error.param, param);
    assert.equal(body.error.type, "invalid_request_error");
  }
});

Deno.test("gpt-4o-transcribe-diarize requires chunking_strategy for audio over 30 seconds", async () => {
  const res = await upload(e, "diarize", { file: wav(31) });
  const body = await res.json();
  assert.equal(res.status, 400, JSON.stringify(body));
  assert.equal(body.error.param, "chunking_strategy");
  const strategies: Record<string, string>[] = [
    { chunking_strategy: "auto" },
    { "chunking_strategy[type]": "server_vad" },
  ];
  for (const strategy of strategies) {
    const ok = await upload(e, "diarize", { file: wav(31), ...strategy });
    assert.equal(ok.status, 200, JSON.stringify(strategy));
    await ok.body?.cancel();
  }
  const short = await upload(e, "diarize", { file: wav(30) });
  assert.equal(short.status, 200);
  await short.body?.cancel();
  // A chunking_strategy that is neither 'auto' nor server_vad is refused, on every model.
  const bads: Record<string, string>[] = [
    { chunking_strategy: "fast" },
    { "chunking_strategy[type]": "client_vad" },
  ];
  for (const bad of bads) {
    const r = await upload(e, "t4o", { file: wav(2), ...bad });
    const b = await r.json();
    assert.equal(r.status, 400, JSON.stringify(bad));
    assert.equal(b.error.param, "chunking_strategy");
  }
});
