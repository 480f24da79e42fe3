import assert from "node:assert/strict";
import { AzureOpenAI } from "../client.ts";
import { APIUserAbortError } from "../errors/api_error.ts";
import { UploadTooLargeError } from "../multipart/to_blob.ts";
import { MAX_AUDIO_BYTES } from "./audio.ts";

const KEY = "sk-audio-test-key-123456";

/** A client whose fetch records each request and answers with `answer()`. */
function recording(apiVersion?: string, answer = () => Response.json({ text: "hi" })) {
  const seen: Request[] = [];
  const client = new AzureOpenAI({
    endpoint: "https://r.openai.azure.com",
    apiKey: KEY,
    deployment: "whisper",
    apiVersion,
    fetch: (input, init) => {
      seen.push(new Request(input, init));
      return Promise.resolve(answer());
    },
  });
  return { client, seen };
}

Deno.test("audio.transcriptions.create() refuses a stream over 25 MB while reading it, before any request", async () => {
  const { client, seen } = recording();
  let cancelled = false;
  let sent = 0;
  const chunk = new Uint8Array(1024 * 1024);
  const file = new ReadableStream<Uint8Array>({
    pull(controller) {
      sent += chunk.byteLength;
      controller.enqueue(chunk);
    },
    cancel() {
      cancelled = true;
    },
  });
  await assert.rejects(
    client.audio.transcriptions.create({ file, filename: "big.wav" }),
    (err: unknown) => {
      assert.ok(err instanceof UploadTooLargeError);
      assert.match(
        err.message,
        /params\.file \(plus the form's \d+ bytes: at most 26214400 bytes in all\) is more than (\d+) bytes; at most \1 bytes are allowed: split or compress it/,
      );
      return true;
    },
  );
  assert.ok(cancelled);
  assert.ok(sent <= MAX_AUDIO_BYTES + 2 * chunk.byteLength);
  assert.equal(seen.length, 0);
});

Deno.test("audio.transcriptions.create() refuses a missing or non-binary file before any request", async () => {
  const { client, seen } = recording();
  for (const file of [undefined, null, "audio.wav", { size: 3 }]) {
    await assert.rejects(
      client.audio.transcriptions.create({ file, filename: "a.wav" } as never),
      (err: unknown) => {
        assert.ok(err instanceof TypeError);
        assert.match(err.message, /audio\.transcriptions\.create: params\.file .*Blob, File/);
        return true;
      },
    );
  }
  assert.equal(seen.length, 0);
});

Deno.test("audio.transcriptions.create() takes the File's name when filename is null and sends no filename field", async () => {
  const { client, seen } = recording();
  await client.audio.transcriptions.create({
    file: new File([new Uint8Array(3)], "x.mp3", { type: "audio/mpeg" }),
    filename: null as unknown as string,
    prompt: undefined,
    language: null as unknown as string,
    timestamp_granularities: ["word"],
  });
  const form = await seen[0].formData();
  const file = form.get("file") as File;
  assert.equal(file.name, "x.mp3");
  assert.equal(file.type, "audio/mpeg");
  assert.deepEqual([...form.keys()], ["file", "timestamp_granularities[]"]);
  assert.equal(seen[0].headers.get("accept"), "application/json");
});

Deno.test("audio.translations.create() on the v1 API names the deployment in the model field", async () => {
  const { client, seen } = recording("v1", () => new Response("bonjour"));
  const text = await client.audio.translations.create({
    file: new Uint8Array(4).buffer,
    filename: "a.wav",
    response_format: "vtt",
  });
  assert.equal(text, "bonjour");
  const form = await seen[0].formData();
  assert.equal(form.get("model"), "whisper");
  assert.equal(form.get("response_format"), "vtt");
  assert.equal(new URL(seen[0].url).pathname, "/openai/v1/audio/translations");
  assert.equal(seen[0].headers.get("accept"), "text/plain, */*");
});

Deno.test("audio.transcriptions.create() refuses bad timestamp_granularities", async () => {
  const { client, seen } = recording();
  for (const g of ["word", { word: true }]) {
    await assert.rejects(
      client.audio.transcriptions.create({
        file: new Uint8Array(1),
        filename: "a.wav",
        timestamp_granularities: g as never,
      }),
      /params\.timestamp_granularities must be an array/,
    );
  }
  assert.equal(seen.length, 0);
});

Deno.test("audio.speech.create() checks input and voice and picks a speech api-version", async () => {
  const { client, seen } = recording(undefined, () => new Response("RIFF"));
  await assert.rejects(
    client.audio.speech.create({ input: "", voice: "alloy" }),
    /params\.input must be a non-empty string/,
  );
  await assert.rejects(
    client.audio.speech.create({ input: "hi" } as never),
    /params\.voice is required/,
  );
  assert.equal(seen.length, 0);
  const res = await client.audio.speech.create({ input: "hi", voice: "nova" }, {
    apiVersion: "2025-03-01-preview",
  });
  assert.equal(await res.text(), "RIFF");
  assert.equal(new URL(seen[0].url).searchParams.get("api-version"), "2025-03-01-preview");
  assert.equal(seen[0].headers.get("accept"), "*/*");
  assert.deepEqual(await seen[0].json(), { input: "hi", voice: "nova", model: "whisper" });
  // A per-call version is sent as given, even one without speech (only the client's falls back).
  await client.audio.speech.create({ input: "hi", voice: "nova" }, { apiVersion: "2024-10-21" });
  assert.equal(new URL(seen[1].url).searchParams.get("api-version"), "2024-10-21");
});

Deno.test("audio.speech.create() sends any non-empty voice name and refuses a missing, empty or non-string one", async () => {
  const { client, seen } = recording(undefined, () => new Response("RIFF"));
  // Newer deployments (gpt-4o-mini-tts) have voices beyond the spec's six.
  for (const voice of ["alloy", "shimmer", "ash", "ballad", "coral", "sage", "verse"]) {
    await client.audio.speech.create({ input: "hi", voice });
    assert.equal((await seen.at(-1)!.json()).voice, voice);
  }
  for (const voice of [undefined, null, "", 5, ["alloy"]]) {
    await assert.rejects(
      client.audio.speech.create({ input: "hi", voice } as never),
      (err: unknown) => {
        assert.ok(err instanceof TypeError, String(err));
        assert.match(
          err.message,
          /^audio\.speech\.create: params\.voice (is required|must be a non-empty string)/,
        );
        assert.match(err.message, /"alloy"/);
        return true;
      },
    );
  }
  assert.equal(seen.length, 7);
});

Deno.test("audio.transcriptions.create() stops reading a stream file when the signal aborts: APIUserAbortError, stream cancelled, no request", async () => {
  const { client, seen } = recording();
  for (const early of [false, true]) {
    let cancelled: unknown = "not cancelled";
    // A stream that gave one chunk and then stalls (an upload relayed from a slow client).
    const file = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new Uint8Array(8));
      },
      cancel(reason) {
        cancelled = reason;
      },
    });
    const controller = new AbortController();
    const reason = new Error("user gave up");
    if (early) controller.abort(reason);
    let settled: unknown;
    client.audio.transcriptions.create({ file, filename: "a.wav" }, { signal: controller.signal })
      .then(() => settled = "resolved", (err) => settled = err);
    controller.abort(reason);
    // Bounded task turns, no clock: the read must end once the signal aborted.
    for (let i = 0; i < 20 && settled === undefined; i++) {
      await new Promise((resolve) => setTimeout(resolve, 0));
    }
    assert.ok(settled instanceof APIUserAbortError, `early=${early}: ${settled}`);
    assert.match(settled.message, /audio\.transcriptions\.create: params\.file.*aborted/);
    assert.equal(settled.cause, reason);
    assert.equal(cancelled, reason);
  }
  assert.equal(seen.length, 0);
});

Deno.test("audio uploads send the form's own multipart content-type over one in defaultHeaders or per-call headers", async () => {
  const seen: Request[] = [];
  const client = new AzureOpenAI({
    endpoint: "https://r.openai.azure.com",
    apiKey: KEY,
    deployment: "whisper",
    defaultHeaders: { "Content-Type": "application/json" },
    fetch: (input, init) => {
      seen.push(new Request(input, init));
      return Promise.resolve(Response.json({ text: "hi" }));
    },
  });
  const file = new Uint8Array([1, 2, 3]);
  await client.audio.transcriptions.create({ file, filename: "a.wav" });
  await client.audio.translations.create({ file, filename: "a.wav" }, {
    headers: { "content-type": "text/plain" },
  });
  for (const request of seen) {
    assert.match(request.headers.get("content-type")!, /^multipart\/form-data; boundary=/);
    const form = await request.formData();
    assert.equal((form.get("file") as File).size, 3);
  }
  assert.equal(seen.length, 2);
});
