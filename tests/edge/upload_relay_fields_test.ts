// An audio upload through the edge app reaches the upstream with the same parts: names, order,
// text values (non-ASCII too), file name, type and bytes, even when the file's bytes hold the
// boundary's text mid-line.
import assert from "node:assert/strict";
import { readFormLimited } from "../../edge/body_limit.ts";
import { azurePath, testApp } from "./_helpers.ts";

/** The parts of a form as comparable values (files as name, type and bytes). */
async function parts(form: FormData) {
  const out = [];
  for (const [k, v] of form) {
    out.push([
      k,
      typeof v === "string" ? v : [v.name, v.type, [...new Uint8Array(await v.arrayBuffer())]],
    ]);
  }
  return out;
}

Deno.test("edge app: an upload's parts go upstream as the client sent them", async () => {
  const t = testApp();
  const encoded = new Response(new FormData());
  const boundary = /boundary=(.+)$/.exec(encoded.headers.get("content-type")!)![1];
  await encoded.body?.cancel();
  const form = new FormData();
  // The client's own boundary text inside the audio, not at a line start.
  const audio = new TextEncoder().encode(`RIFF--${boundary}x\n--${boundary}--\rdata`);
  form.append("file", new File([audio], "Grüße 🎙 take 1.wav", { type: "audio/wav" }));
  form.append("prompt", 'Straße, 東京, “quoted” "plain"\r\nnext');
  form.append("response_format", "verbose_json");
  form.append("temperature", "0.2");
  form.append("language", "de");
  form.append("timestamp_granularities[]", "word");
  form.append("timestamp_granularities[]", "segment");
  form.append("my_extra", "ünknown");
  const res = await t.call(azurePath("whisper", "audio/transcriptions"), {
    method: "POST",
    body: form,
  });
  assert.equal(res.status, 200, await res.clone().text());
  await res.body?.cancel();
  const type = t.upstreamHeaders[0].get("content-type")!;
  const upstream = await readFormLimited(
    new Request("http://x/", {
      method: "POST",
      headers: { "content-type": type },
      body: await t.upstreamBodies[0],
    }),
    1e6,
  );
  assert.ok(upstream.ok);
  assert.deepEqual(await parts(upstream.form), await parts(form));
});

Deno.test("edge app: a file whose bytes hold the boundary at a line start ends there; a form without a file part is refused before the upstream", async () => {
  const t = testApp();
  const enc = new TextEncoder();
  const headers = { "content-type": "multipart/form-data; boundary=XyZ" };
  const path = azurePath("whisper", "audio/transcriptions");
  // The client chose a boundary its data holds: the part ends at it, for any parser.
  const cut = await t.call(path, {
    method: "POST",
    headers,
    body: enc.encode(
      `--XyZ\r\nContent-Disposition: form-data; name="file"; filename="a.wav"\r\n\r\nRIFF` +
        `\r\n--XyZ\r\nnot a header\r\n--XyZ--\r\n`,
    ),
  });
  await cut.body?.cancel();
  assert.equal(t.upstream.length, 1);
  const sent = await new Response(await t.upstreamBodies[0], {
    headers: { "content-type": t.upstreamHeaders[0].get("content-type")! },
  }).formData();
  assert.deepEqual([...sent.keys()], ["file"]);
  assert.equal(await (sent.get("file") as File).text(), "RIFF");
  const noFile = await t.call(path, {
    method: "POST",
    headers,
    body: enc.encode(
      `--XyZ\r\nContent-Disposition: form-data; name="language"\r\n\r\nde\r\n--XyZ--\r\n`,
    ),
  });
  assert.equal(noFile.status, 400);
  const { error } = await noFile.json();
  assert.equal(error.param, "file");
  assert.equal(error.code, "missing_required_parameter");
  assert.equal(t.upstream.length, 1);
});
