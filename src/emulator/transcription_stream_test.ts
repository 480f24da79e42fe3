/**
 * Streamed transcriptions (`stream=true`) and the usage of the gpt-4o-transcribe models' replies.
 * Sources: the openai SDK's TranscriptionStreamEvent (resources/audio/transcriptions.d.ts:
 * transcript.text.delta { delta, logprobs?, segment_id? }, transcript.text.segment,
 * transcript.text.done { text, logprobs?, usage? }; `stream`: "not supported for the whisper-1
 * model"), its stream readers (events named `transcript.*`), and the service's json reply with
 * usage { type: "tokens", input_tokens, input_token_details, output_tokens, total_tokens }
 * (openai/openai-dotnet#819).
 */
import assert from "node:assert/strict";
import { AzureOpenAI } from "../client.ts";
import { BadRequestError } from "../errors/api_error.ts";
import { type Check, problemsOf } from "../types/_check_test.ts";
import { transcription, transcriptionStreamEvent } from "../types/_shapes_ops_test.ts";
import { createEmulator } from "./emulator.ts";
import { BASE } from "./_testing.ts";
import { wavFile } from "./speech.ts";

type E = ReturnType<typeof createEmulator>;
type Event = Record<string, unknown> & { type: string };

const DEPLOYMENTS = [
  { name: "whisper", model: "whisper" },
  { name: "t4o", model: "gpt-4o-transcribe" },
  { name: "t4o-mini", model: "gpt-4o-mini-transcribe" },
  { name: "diarize", model: "gpt-4o-transcribe-diarize" },
];

// 2 s of 24 kHz 16-bit mono silence
const WAV = new File([wavFile(new Uint8Array(24_000 * 2 * 2))], "hello.wav", {
  type: "audio/wav",
});

function upload(
  e: E,
  deployment: string,
  fields: Record<string, string | string[]>,
  op = "transcriptions",
): Promise<Response> {
  const form = new FormData();
  form.append("file", WAV);
  for (const [k, v] of Object.entries(fields)) {
    for (const x of Array.isArray(v) ? v : [v]) form.append(k, x);
  }
  return e.fetch(
    `${BASE}/openai/deployments/${deployment}/audio/${op}?api-version=2025-03-01-preview`,
    { method: "POST", headers: { "api-key": e.apiKey }, body: form },
  );
}

/** The events of an SSE body, each checked to carry `event: {its type}`. */
async function events(res: Response): Promise<Event[]> {
  assert.equal(res.status, 200);
  assert.match(res.headers.get("content-type") ?? "", /^text\/event-stream/);
  const text = await res.text();
  assert.ok(!text.includes("[DONE]"), "a transcription stream sends no [DONE]");
  return text.split("\n\n").filter((block) => block !== "").map((block) => {
    const [name, data, ...rest] = block.split("\n");
    assert.deepEqual(rest, []);
    const event = JSON.parse(data.replace(/^data: /, "")) as Event;
    assert.equal(name, `event: ${event.type}`);
    return event;
  });
}

function problems<T>(check: Check<T>, value: unknown): string[] {
  return problemsOf(check as never, value);
}

Deno.test("gpt-4o(-mini)-transcribe stream=true: deltas that join into the json reply's text, then transcript.text.done with its usage", async () => {
  const e = createEmulator({ deployments: DEPLOYMENTS });
  for (const name of ["t4o", "t4o-mini"]) {
    const reply = await (await upload(e, name, {})).json();
    assert.deepEqual(problems(transcription, reply), []);
    const list = await events(await upload(e, name, { stream: "true" }));
    for (const event of list) assert.deepEqual(problems(transcriptionStreamEvent, event), []);
    const done = list.at(-1)!;
    const deltas = list.slice(0, -1);
    assert.ok(deltas.length > 1);
    assert.ok(deltas.every((d) => d.type === "transcript.text.delta"));
    assert.equal(deltas.map((d) => d.delta).join(""), reply.text);
    assert.deepEqual(done, { type: "transcript.text.done", text: reply.text, usage: reply.usage });
  }
});

Deno.test("the gpt-4o-transcribe json reply carries token usage; Whisper's carries none", async () => {
  const e = createEmulator({ deployments: DEPLOYMENTS });
  const reply = await (await upload(e, "t4o", { prompt: "Names: Ada." })).json();
  const { usage } = reply;
  assert.equal(usage.type, "tokens");
  // 2 s of audio at 10 tokens a second, plus the prompt's tokens.
  assert.equal(usage.input_token_details.audio_tokens, 20);
  assert.ok(usage.input_token_details.text_tokens > 0);
  assert.equal(
    usage.input_tokens,
    usage.input_token_details.audio_tokens + usage.input_token_details.text_tokens,
  );
  assert.ok(usage.output_tokens > 0);
  assert.equal(usage.total_tokens, usage.input_tokens + usage.output_tokens);
  assert.deepEqual(Object.keys(reply), ["text", "usage"]);
  assert.deepEqual(Object.keys(await (await upload(e, "whisper", {})).json()), ["text"]);
});

Deno.test("stream=true with include[]=logprobs: each delta has its tokens' logprobs, done has them all, as the json reply", async () => {
  const e = createEmulator({ deployments: DEPLOYMENTS, chunkSize: 3 });
  const reply = await (await upload(e, "t4o", { "include[]": "logprobs" })).json();
  const list = await events(await upload(e, "t4o", { stream: "true", "include[]": "logprobs" }));
  const deltas = list.slice(0, -1);
  assert.deepEqual(deltas.flatMap((d) => d.logprobs as unknown[]), reply.logprobs);
  assert.deepEqual(list.at(-1)!.logprobs, reply.logprobs);
  // chunkSize tokens a delta; a delta's text is its tokens'.
  for (const d of deltas) {
    const lps = d.logprobs as { token: string }[];
    assert.ok(lps.length >= 1 && lps.length <= 3);
    assert.equal(lps.map((l) => l.token).join(""), d.delta);
  }
  assert.equal(deltas.map((d) => d.delta).join(""), reply.text);
});

Deno.test("gpt-4o-transcribe-diarize stream=true with diarized_json: deltas name their segment, each segment follows its deltas", async () => {
  const e = createEmulator({
    deployments: DEPLOYMENTS,
    transcript: "Hello there. How are you? Fine, thanks.",
  });
  const reply = await (await upload(e, "diarize", { response_format: "diarized_json" })).json();
  const list = await events(
    await upload(e, "diarize", { stream: "true", response_format: "diarized_json" }),
  );
  for (const event of list) assert.deepEqual(problems(transcriptionStreamEvent, event), []);
  const segments = list.filter((x) => x.type === "transcript.text.segment");
  assert.deepEqual(segments, reply.segments);
  let text = "";
  let current = "";
  let k = 0;
  for (const event of list.slice(0, -1)) {
    if (event.type === "transcript.text.delta") {
      text += event.delta;
      current += event.delta;
      assert.equal(event.segment_id, segments[k].id);
    } else {
      // The segment's text is what its deltas said (less the blank before the next one).
      assert.equal(event, segments[k]);
      assert.equal(current.trim(), event.text);
      current = "";
      k++;
    }
  }
  assert.equal(k, 3);
  assert.equal(text, reply.text);
  assert.deepEqual(list.at(-1), { type: "transcript.text.done", text, usage: reply.usage });
  // json and text formats stream deltas only.
  const plain = await events(await upload(e, "diarize", { stream: "true" }));
  assert.ok(!plain.some((x) => x.type === "transcript.text.segment"));
});

Deno.test("stream=true on a Whisper deployment, or on translations, answers 400 in the service's error shape", async () => {
  const e = createEmulator({ deployments: DEPLOYMENTS });
  for (
    const [deployment, op] of [["whisper", "transcriptions"], ["t4o", "translations"]] as const
  ) {
    const res = await upload(e, deployment, { stream: "true" }, op);
    assert.equal(res.status, 400);
    const body = await res.json();
    assert.equal(body.error.type, "invalid_request_error");
    assert.equal(body.error.param, "stream");
    assert.equal(body.error.code, "unsupported_value");
    assert.match(
      body.error.message,
      /^Streaming is not supported for model '(whisper|gpt-4o-transcribe)'/,
    );
  }
  // stream=false is a plain reply.
  assert.equal((await upload(e, "whisper", { stream: "false" })).status, 200);
});

Deno.test("client and emulator: transcriptions.create({ stream: true }) reads the emulator's stream to its end", async () => {
  const e = createEmulator({ deployments: DEPLOYMENTS, chunkSize: 2 });
  const client = new AzureOpenAI({
    endpoint: BASE,
    apiKey: e.apiKey,
    fetch: e.fetch,
    apiVersion: "2025-03-01-preview",
  });
  const plain = await client.audio.transcriptions.create({ model: "t4o", file: WAV });
  const stream = await client.audio.transcriptions.create({
    model: "t4o",
    file: WAV,
    stream: true,
  });
  let text = "";
  let done;
  for await (const event of stream) {
    if (event.type === "transcript.text.delta") text += event.delta;
    else if (event.type === "transcript.text.done") done = event;
  }
  assert.equal(text, plain.text);
  assert.deepEqual(done, { type: "transcript.text.done", text, usage: plain.usage });
  // Read to its end, not cancelled.
  assert.equal(e.stats.cancelledStreams, 0);
  assert.equal(e.stats.streamsCompleted, 1);
  await assert.rejects(
    client.audio.transcriptions.create({ model: "whisper", file: WAV, stream: true }),
    (err) => err instanceof BadRequestError && err.param === "stream",
  );
});
