// A client's file name reaches Azure as the client sent it (Azure picks the audio format by its
// extension), whatever it holds: the platform's multipart parser (Deno's) splits a part's
// Content-Disposition at every ';' and '=', quoted or not, so "Meeting; part 2.wav" went upstream
// as '"Meeting' (no extension: Azure's 400 "Unrecognized file format") and a name holding
// '; name=language' moved the file to another field.
import assert from "node:assert/strict";
import { readFormLimited } from "../../edge/body_limit.ts";
import { azurePath, testApp } from "./_helpers.ts";

/** A multipart body with one file part whose Content-Disposition is `disposition`. */
function rawForm(disposition: string, fields: [string, string][] = []): Request {
  const parts = fields.map(([k, v]) =>
    `--XyZ\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`
  );
  const body = `${parts.join("")}--XyZ\r\nContent-Disposition: ${disposition}\r\n` +
    `Content-Type: audio/wav\r\n\r\n${"A".repeat(2000)}\r\n--XyZ--\r\n`;
  return new Request("http://x/", {
    method: "POST",
    headers: { "content-type": "multipart/form-data; boundary=XyZ" },
    body: new TextEncoder().encode(body),
  });
}

/** The upstream body of an upload through the app (the emulator's parser is Deno's too). */
async function relay(request: Request): Promise<string | undefined> {
  const t = testApp();
  const res = await t.call(azurePath("whisper", "audio/transcriptions"), {
    method: "POST",
    headers: { "content-type": request.headers.get("content-type")! },
    body: await request.arrayBuffer(),
  });
  await res.body?.cancel();
  return t.upstreamBodies[0];
}

Deno.test("edge app: file names with ';', '=', '\\\"' or a 'name=' in them reach the upstream as sent", async () => {
  const cases: [string, string][] = [
    ['form-data; name="file"; filename="Meeting; part 2.wav"', "Meeting; part 2.wav"],
    ['form-data; name="file"; filename="take=1.wav"', "take=1.wav"],
    ['form-data; name="file"; filename="x.wav; name=language"', "x.wav; name=language"],
    // RFC 7578 quoted-string escapes (curl writes a quote in a name so).
    ['form-data; name="file"; filename="say \\"hi\\".wav"', 'say "hi".wav'],
    // Unquoted values, parameters in another order, .NET's filename* (it comes first).
    ["form-data; filename=talk.wav; name=file", "talk.wav"],
    [
      "form-data; name=file; filename=\"=?utf-8?B?w7wud2F2?=\"; filename*=utf-8''%C3%BC.wav",
      "ü.wav",
    ],
  ];
  for (const [disposition, name] of cases) {
    const body = await relay(rawForm(disposition, [["language", "de"]]));
    assert.ok(body !== undefined, `${disposition}: nothing went upstream`);
    // As a FormData encodes it: '"' as %22.
    const file = `form-data; name="file"; filename="${name.replaceAll('"', "%22")}"\r\n` +
      `Content-Type: audio/wav\r\n\r\n${"A".repeat(2000)}\r\n`;
    assert.ok(body.includes(file), `${disposition}: ${body.slice(0, 400)}`);
    const names = [...body.matchAll(/Content-Disposition: form-data; name="([^"]*)"/g)];
    assert.deepEqual(names.map((m) => m[1]), ["language", "file"], disposition);
  }
});

Deno.test("readFormLimited() reads part names and file names whatever the chunks", async () => {
  const wire = new Uint8Array(
    await rawForm('form-data; name="file"; filename="a;b=c.wav"', [["prompt", "x; y=z"]])
      .arrayBuffer(),
  );
  for (const size of [1, 3, 7, 64, 1 << 16]) {
    let at = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(c) {
        if (at >= wire.length) return c.close();
        c.enqueue(wire.slice(at, at += size));
      },
    });
    const type = "multipart/form-data; boundary=XyZ";
    const read = await readFormLimited(
      new Request("http://x/", { method: "POST", headers: { "content-type": type }, body }),
      1 << 20,
    );
    assert.ok(read.ok, `chunks of ${size}`);
    assert.deepEqual(
      [...read.form].map(([k, v]) => [k, typeof v === "string" ? v : `${v.name} ${v.size}`]),
      [["prompt", "x; y=z"], ["file", "a;b=c.wav 2000"]],
      `chunks of ${size}`,
    );
  }
});
