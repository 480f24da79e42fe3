import assert from "node:assert/strict";
import { createEmulator } from "./emulator.ts";
import { BASE } from "./_testing.ts";
import { wavFile } from "./speech.ts";
import { wavDuration } from "./transcription.ts";

type E = ReturnType<typeof createEmulator>;

function upload(
  e: E,
  op: "transcriptions" | "translations",
  fields: Record<string, string | string[] | Blob | File>,
  path = `/openai/deployments/whisper/audio/${op}?api-version=2024-06-01`,
): Promise<Response> {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) {
    if (Array.isArray(v)) { for (const x of v) form.append(k, x); }
    else form.append(k, v);
  }
  return e.fetch(`${BASE}${path}`, {
    method: "POST",
    headers: { "api-key": e.apiKey },
    body: form,
  });
}

// 2.5 s of 24 kHz 16-bit mono silence
const WAV = new File([wavFile(new Uint8Array(24_000 * 2 * 2.5))], "hello.wav", {
  type: "audio/wav",
});

Deno.test("transcriptions answers json { text } derived from the file name and size", async () => {
  const e = createEmulator();
  const res = await upload(e, "transcriptions", { file: WAV });
  assert.equal(res.status, 200);
  assert.equal(res.headers.get("content-type"), "application/json");
  assert.deepEqual(await res.json(), {
    text: `The emulator heard hello.wav, ${WAV.size} bytes. This is a deterministic transcript.`,
  });
});

Deno.test("translations answers in English with task translate", async () => {
  const e = createEmulator();
  const res = await upload(e, "translations", { file: WAV, response_format: "verbose_json" });
  const body = await res.json();
  assert.equal(body.task, "translate");
  assert.equal(body.language, "english");
  assert.match(body.text, /translated hello\.wav/);
});

Deno.test("transcriptions verbose_json has the WAV duration and segments covering it", async () => {
  const e = createEmulator();
  const body = await (await upload(e, "transcriptions", {
    file: WAV,
    response_format: "verbose_json",
    language: "fr",
  })).json();
  assert.equal(body.task, "transcribe");
  assert.equal(body.language, "french");
  assert.equal(body.duration, 2.5);
  assert.equal(body.segments.length, 2);
  assert.equal(body.segments[0].start, 0);
  assert.equal(body.segments.at(-1).end, 2.5);
  assert.equal(body.segments.map((s: { text: string }) => s.text.trim()).join(" "), body.text);
  assert.equal(body.words, undefined);
});

Deno.test("transcriptions returns words only when timestamp_granularities[] asks for word", async () => {
  const e = createEmulator({ transcript: "one two three." });
  const words = await (await upload(e, "transcriptions", {
    file: WAV,
    response_format: "verbose_json",
    "timestamp_granularities[]": "word",
  })).json();
  assert.deepEqual(words.words.map((w: { word: string }) => w.word), ["one", "two", "three"]);
  assert.equal(words.segments, undefined);
  assert.ok(words.words[0].end <= words.words[1].start + 1e-9);
  const both = await (await upload(e, "transcriptions", {
    file: WAV,
    response_format: "verbose_json",
    "timestamp_granularities[]": ["word", "segment"],
  })).json();
  assert.ok(Array.isArray(both.words) && Array.isArray(both.segments));
});

Deno.test("transcriptions formats text, srt and vtt as text/plain", async () => {
  const e = createEmulator({ transcript: "First line. Second line." });
  const text = await upload(e, "transcriptions", { file: WAV, response_format: "text" });
  assert.equal(text.headers.get("content-type"), "text/plain; charset=utf-8");
  assert.equal(await text.text(), "First line. Second line.\n");
  const srt = await (await upload(e, "transcriptions", { file: WAV, response_format: "srt" }))
    .text();
  assert.equal(
    srt,
    "1\n00:00:00,000 --> 00:00:01,200\nFirst line.\n\n2\n00:00:01,200 --> 00:00:02,500\nSecond line.\n\n",
  );
  const vtt = await (await upload(e, "transcriptions", { file: WAV, response_format: "vtt" }))
    .text();
  assert.equal(
    vtt,
    "WEBVTT\n\n00:00:00.000 --> 00:00:01.200\nFirst line.\n\n00:00:01.200 --> 00:00:02.500\nSecond line.\n\n",
  );
});

Deno.test("transcriptions passes file facts to a transcript function", async () => {
  const seen: unknown[] = [];
  const e = createEmulator({
    transcript: (f) => {
      seen.push(f);
      return "ok";
    },
  });
  await (await upload(e, "translations", { file: WAV })).body?.cancel();
  assert.deepEqual(seen, [{
    name: "hello.wav",
    size: WAV.size,
    type: "audio/wav",
    task: "translate",
  }]);
});

Deno.test("transcriptions answers 400 naming file when it is missing or a text field", async () => {
  const e = createEmulator();
  for (const fields of [{ language: "en" }, { file: "not a file" }] as Record<string, string>[]) {
    const res = await upload(e, "transcriptions", fields);
    assert.equal(res.status, 400);
    assert.equal((await res.json()).error.param, "file");
  }
  const json = await e.fetch(
    `${BASE}/openai/deployments/whisper/audio/transcriptions?api-version=2024-06-01`,
    {
      method: "POST",
      headers: { "api-key": e.apiKey, "content-type": "application/json" },
      body: "{}",
    },
  );
  assert.equal(json.status, 400);
  assert.equal((await json.json()).error.param, "file");
  const badFormat = await upload(e, "transcriptions", { file: WAV, response_format: "docx" });
  assert.equal((await badFormat.json()).error.param, "response_format");
  const granularity = await upload(e, "transcriptions", {
    file: WAV,
    "timestamp_granularities[]": "word",
  });
  assert.equal((await granularity.json()).error.param, "timestamp_granularities");
});

Deno.test("transcriptions answers 413 for files over 25 MB", async () => {
  const e = createEmulator();
  const big = new File([new Uint8Array(25 * 1024 * 1024 + 1)], "big.wav");
  const res = await upload(e, "transcriptions", { file: big });
  assert.equal(res.status, 413);
  const { error } = await res.json();
  assert.equal(error.param, "file");
  assert.match(error.message, /26214400/);
});

Deno.test("transcriptions on v1 paths takes the deployment from the model field", async () => {
  const e = createEmulator();
  const res = await upload(
    e,
    "transcriptions",
    { file: WAV, model: "whisper" },
    "/openai/v1/audio/transcriptions",
  );
  assert.equal(res.status, 200);
  const missing = await upload(
    e,
    "transcriptions",
    { file: WAV },
    "/openai/v1/audio/transcriptions",
  );
  assert.equal((await missing.json()).error.param, "model");
});

Deno.test("wavDuration() reads the data size and byte rate, and rejects non-WAV bytes", () => {
  assert.equal(wavDuration(wavFile(new Uint8Array(48_000))), 1);
  assert.equal(wavDuration(new TextEncoder().encode("ID3 not a wav file at all")), undefined);
});

Deno.test("translations ignore timestamp_granularities[]: no translation request schema defines it", async () => {
  const e = createEmulator({ transcript: "one two three." });
  for (const v of ["2024-02-01", "2024-05-01-preview", "2024-10-21", "2024-06-01"]) {
    const path = `/openai/deployments/whisper/audio/translations?api-version=${v}`;
    const verbose = await upload(e, "translations", {
      file: WAV,
      response_format: "verbose_json",
      "timestamp_granularities[]": "word",
    }, path);
    assert.equal(verbose.status, 200, v);
    const body = await verbose.json();
    assert.equal(body.words, undefined, v);
    assert.equal(body.segments.length, 1, v);
    for (const [format, granularity] of [["json", "word"], ["verbose_json", "sentence"]]) {
      const res = await upload(e, "translations", {
        file: WAV,
        response_format: format,
        "timestamp_granularities[]": granularity,
      }, path);
      assert.equal(res.status, 200, `${v} ${format} ${granularity}`);
      await res.body?.cancel();
    }
  }
});

Deno.test("transcriptions and translations answer 400 invalid_type naming temperature when it is not a number", async () => {
  // Both request schemas type temperature as a number; a form field carries its text.
  const e = createEmulator();
  for (const op of ["transcriptions", "translations"] as const) {
    for (const temperature of ["abc", "", "NaN", "0.2x", new File(["0"], "t.txt")]) {
      const res = await upload(e, op, { file: WAV, temperature });
      assert.equal(res.status, 400, `${op} ${temperature}`);
      const { error } = await res.json();
      assert.equal(error.param, "temperature");
      assert.equal(error.code, "invalid_type");
    }
    for (const temperature of ["0", "0.2", "1"]) {
      const res = await upload(e, op, { file: WAV, temperature });
      assert.equal(res.status, 200, `${op} ${temperature}`);
      await res.body?.cancel();
    }
  }
});

Deno.test("transcriptions ignore timestamp_granularities[] on 2024-02-01 and 2024-10-21, whose documents lack it", async () => {
  const e = createEmulator({ transcript: "one two three." });
  for (const v of ["2024-02-01", "2024-10-21"]) {
    const path = `/openai/deployments/whisper/audio/transcriptions?api-version=${v}`;
    const verbose = await (await upload(e, "transcriptions", {
      file: WAV,
      response_format: "verbose_json",
      "timestamp_granularities[]": "word",
    }, path)).json();
    assert.equal(verbose.words, undefined, v);
    assert.equal(verbose.segments.length, 1, v);
    const json = await upload(e, "transcriptions", {
      file: WAV,
      "timestamp_granularities[]": "word",
    }, path);
    assert.equal(json.status, 200, v);
    assert.deepEqual(await json.json(), { text: "one two three." });
  }
  // 2024-05-01-preview defines it: words, and a 400 without verbose_json.
  const path = "/openai/deployments/whisper/audio/transcriptions?api-version=2024-05-01-preview";
  const words = await (await upload(e, "transcriptions", {
    file: WAV,
    response_format: "verbose_json",
    "timestamp_granularities[]": "word",
  }, path)).json();
  assert.equal(words.words.length, 3);
  const refused = await upload(e, "transcriptions", {
    file: WAV,
    "timestamp_granularities[]": "word",
  }, path);
  assert.equal((await refused.json()).error.param, "timestamp_granularities");
});

Deno.test("transcriptions verbose_json names the language in English words for any ISO-639-1 code, as Whisper does (not the code)", async () => {
  const e = createEmulator();
  const cases: [string, string][] = [
    ["nl", "dutch"],
    ["sv", "swedish"],
    ["uk", "ukrainian"],
    ["pl", "polish"],
    ["fr", "french"],
  ];
  for (const [code, name] of cases) {
    const body = await (await upload(e, "transcriptions", {
      file: WAV,
      response_format: "verbose_json",
      language: code,
    })).json();
    assert.equal(body.language, name, code);
  }
});
