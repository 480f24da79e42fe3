// Audio uploads from the client: every input kind at the 25 MB limit (the whole request counted),
// file names that could break the multipart wrapping, and the spec's form fields as sent.
import assert from "node:assert/strict";
import { AzureOpenAI, MAX_AUDIO_BYTES, UploadTooLargeError } from "../../mod.ts";
import { readFormLimited } from "../../edge/body_limit.ts";

/** A client recording each request's raw body (latin1 text) and content-type. */
function recording() {
  const sent: { type: string; body: Uint8Array<ArrayBuffer> }[] = [];
  const client = new AzureOpenAI({
    endpoint: "https://r.openai.azure.com",
    apiKey: "sk-upload-inputs-0123456",
    deployment: "whisper",
    maxRetries: 0,
    fetch: async (input, init) => {
      const request = new Request(input, init);
      const body = new Uint8Array(await request.arrayBuffer());
      sent.push({ type: request.headers.get("content-type")!, body });
      return Response.json({ text: "ok" });
    },
  });
  return { client, sent };
}

const latin1 = (bytes: Uint8Array<ArrayBuffer>) => new TextDecoder("latin1").decode(bytes);

Deno.test("audio upload: a file name's quotes, CR/LF and ';' never add a header or a part; the name is sent as WHATWG escapes it", async () => {
  const { client, sent } = recording();
  const names = [
    'a"b.wav',
    'x.wav"\r\nContent-Type: text/html\r\n\r\n<html>',
    'evil\r\n--fake\r\nContent-Disposition: form-data; name="model"\r\n\r\ngpt-4o\r\n.wav',
    "line\nfeed\r.wav",
    "Grüße 日本語 🎙.wav",
    "dir/sub/talk.wav",
    "C:\\Users\\me\\talk.wav",
  ];
  for (const name of names) {
    await client.audio.transcriptions.create({
      file: new File([new Uint8Array(10).fill(65)], name),
      language: "de",
    });
    const { type, body } = sent.at(-1)!;
    const text = latin1(body);
    const boundary = /boundary=(.+)$/.exec(type)![1];
    // Two parts (file, language): two delimiters and the closing one.
    assert.equal(text.split(`--${boundary}`).length - 1, 3, JSON.stringify(name));
    const headers = [...text.matchAll(/^Content-[A-Za-z-]+:/gm)].map((m) => m[0]);
    assert.deepEqual(headers, [
      "Content-Disposition:",
      "Content-Type:",
      "Content-Disposition:",
    ], JSON.stringify(name));
    // Deno's own parser splits the header at the ';' of a name; the edge app's reads it as sent.
    const read = await readFormLimited(
      new Request("http://x/", { method: "POST", body, headers: { "content-type": type } }),
      1e6,
    );
    assert.ok(read.ok);
    const form = read.form;
    assert.deepEqual([...form.keys()], ["file", "language"]);
    assert.equal(form.get("language"), "de");
    const file = form.get("file") as File;
    assert.equal(file.size, 10);
    // As WHATWG's FormData writes them: '"' as %22, CR as %0D, LF as %0A; the rest as sent.
    const wire = name.replaceAll('"', "%22").replaceAll("\r", "%0D").replaceAll("\n", "%0A");
    assert.equal(file.name, wire);
  }
});

Deno.test("audio upload: a File with an empty name needs filename; filename overrides a File's name", async () => {
  const { client, sent } = recording();
  const file = new File([new Uint8Array(4)], "");
  await assert.rejects(
    client.audio.translations.create({ file }),
    /audio\.translations\.create: params\.filename is required when file has no name/,
  );
  await assert.rejects(
    client.audio.translations.create({ file, filename: "" }),
    /params\.filename is required/,
  );
  assert.equal(sent.length, 0);
  await client.audio.translations.create({
    file: new File([new Uint8Array(4)], "x.bin"),
    filename: "talk.m4a",
  });
  const form = await new Response(sent[0].body, { headers: { "content-type": sent[0].type } })
    .formData();
  assert.equal((form.get("file") as File).name, "talk.m4a");
});

Deno.test("audio upload: Blob, File, Uint8Array, ArrayBuffer and stream files one under, at and one over the 25 MB request", async () => {
  const { client, sent } = recording();
  const params = { filename: "a.wav", prompt: "Grüße", response_format: "json" as const };
  await client.audio.transcriptions.create({ ...params, file: new Uint8Array(1) });
  const around = sent[0].body.byteLength - 1; // the request besides the file
  const most = MAX_AUDIO_BYTES - around;
  const bytes = new Uint8Array(most + 1);
  const kinds: [string, (n: number) => unknown][] = [
    ["Blob", (n) => new Blob([bytes.subarray(0, n)])],
    ["File", (n) => new File([bytes.subarray(0, n)], "a.wav")],
    ["Uint8Array", (n) => bytes.subarray(0, n)],
    ["ArrayBuffer", (n) => bytes.slice(0, n).buffer],
    ["ReadableStream", (n) => new Blob([bytes.subarray(0, n)]).stream()],
  ];
  for (const [kind, make] of kinds) {
    for (const n of [most - 1, most]) {
      const before = sent.length;
      await client.audio.transcriptions.create({ ...params, file: make(n) as Blob });
      assert.equal(sent.length, before + 1, `${kind} ${n}`);
      assert.equal(sent.at(-1)!.body.byteLength, n + around, `${kind} ${n}`);
    }
    await assert.rejects(
      client.audio.transcriptions.create({ ...params, file: make(most + 1) as Blob }),
      (err: unknown) => {
        assert.ok(err instanceof UploadTooLargeError, `${kind}: ${err}`);
        assert.match(err.message, /at most 26214400 bytes in all/);
        return true;
      },
    );
    sent.splice(1);
  }
  assert.equal(sent.length, 1);
});

Deno.test("audio upload: the spec's fields with non-ASCII text, timestamp_granularities[] and unknown params go out as text fields in order", async () => {
  const { client, sent } = recording();
  await client.audio.transcriptions.create({
    file: new Blob([new Uint8Array(8)], { type: "audio/wav" }),
    filename: "a.wav",
    prompt: 'Straße, 東京, “quoted” "plain"\r\nnext line',
    response_format: "verbose_json",
    temperature: 0,
    language: "de",
    timestamp_granularities: ["word", "segment"],
    my_extra: "ünknown",
  } as never);
  const form = await new Response(sent[0].body, { headers: { "content-type": sent[0].type } })
    .formData();
  assert.deepEqual([...form].map(([k, v]) => [k, typeof v === "string" ? v : v.type]), [
    ["file", "audio/wav"],
    ["prompt", 'Straße, 東京, “quoted” "plain"\r\nnext line'],
    ["response_format", "verbose_json"],
    ["temperature", "0"],
    ["language", "de"],
    ["timestamp_granularities[]", "word"],
    ["timestamp_granularities[]", "segment"],
    ["my_extra", "ünknown"],
  ]);
});
