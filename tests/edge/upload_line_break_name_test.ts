// An upload whose part's Content-Disposition has a raw CR or LF inside a quoted value (a file name
// or a part name): Deno's form parser drops a part a bare CR / LF cuts (the app then answered
// "Missing required parameter: 'file'") and keeps a name a CRLF cuts up to the break ('"talk',
// which went upstream: "Unrecognized file format"). readFormLimited() reads it as bad_name, as it
// does a NUL (tests/edge/upload_control_char_name_test.ts); the app answers 400 naming the part and
// sends nothing upstream. A part without a Content-Disposition is still dropped
// (tests/edge/upload_relay_fields_test.ts).
import assert from "node:assert/strict";
import { readFormLimited } from "../../edge/mod.ts";
import { partHeads } from "../../src/multipart/part_heads.ts";
import { azurePath, errorOf, testApp } from "./_helpers.ts";

const TRANSCRIBE = azurePath("whisper", "audio/transcriptions");
const BOUNDARY = "XyZ";
const TYPE = `multipart/form-data; boundary=${BOUNDARY}`;

/** A form body of the parts `[header block, content]`, written by hand. */
function body(parts: Array<[string, string]>): string {
  return parts.map(([head, content]) => `--${BOUNDARY}\r\n${head}\r\n\r\n${content}\r\n`)
    .join("") + `--${BOUNDARY}--\r\n`;
}

/** A form request of a model field and a file part whose Content-Disposition is `disposition`. */
function upload(disposition: string): Request {
  return new Request("http://x/", {
    method: "POST",
    headers: { "content-type": TYPE },
    body: body([
      ['Content-Disposition: form-data; name="model"', "whisper"],
      [`Content-Disposition: form-data; ${disposition}\r\nContent-Type: audio/wav`, "RIFF"],
    ]),
  });
}

const FILE_NAMES = [
  'name="file"; filename="talk\r.wav"',
  'name="file"; filename="talk\n.wav"',
  'name="file"; filename="talk\r\n.wav"',
];
const PART_NAMES = ['name="fi\rle"; filename="talk.wav"', 'name="fi\r\nle"; filename="talk.wav"'];

Deno.test("readFormLimited() reads a raw line break in a file name as bad_name of its part", async () => {
  for (const disposition of FILE_NAMES) {
    assert.deepEqual(
      await readFormLimited(upload(disposition), 1e6),
      { ok: false, reason: "bad_name", part: "file" },
      JSON.stringify(disposition),
    );
  }
});

Deno.test("readFormLimited() reads a raw line break in a part's name as bad_name of no named part", async () => {
  for (const disposition of [...PART_NAMES, 'name="fi\nle"']) {
    assert.deepEqual(
      await readFormLimited(upload(disposition), 1e6),
      { ok: false, reason: "bad_name" },
      JSON.stringify(disposition),
    );
  }
});

Deno.test("partHeads() flags a header block whose quoted value is not closed on its line, and no other", () => {
  const cut = (parts: Array<[string, string]>) => {
    const heads = partHeads(TYPE);
    heads.read(new TextEncoder().encode(body(parts)));
    return heads.cut;
  };
  assert.deepEqual(
    cut([['Content-Disposition: form-data; name="file"; filename="a\nb"', "x"]]),
    { part: "file" },
  );
  assert.deepEqual(cut([['Content-Disposition: form-data; name="a\rb"', "x"]]), {});
  // Quoted values with ';', '=', an escaped quote or a tab; a part with no Content-Disposition.
  assert.equal(
    cut([
      ['Content-Disposition: form-data; name="file"; filename="a; b=\\"c\\"\t.wav"', "x"],
      ['Content-Type: text/plain; charset="utf-8"', "y"],
      ["not a header", "z"],
      ['content-disposition: form-data; name="language"', "de"],
    ]),
    undefined,
  );
});

Deno.test("readFormLimited() still drops a part without a Content-Disposition", async () => {
  const read = await readFormLimited(
    new Request("http://x/", {
      method: "POST",
      headers: { "content-type": TYPE },
      body: body([['Content-Disposition: form-data; name="model"', "whisper"], [
        "not a header",
        "x",
      ]]),
    }),
    1e6,
  );
  assert.ok(read.ok);
  assert.deepEqual([...read.form.keys()], ["model"]);
});

for (const disposition of [...FILE_NAMES, ...PART_NAMES]) {
  Deno.test(`createEdgeApp() refuses an upload with ${JSON.stringify(disposition)}: 400 naming what to fix, nothing sent upstream`, async () => {
    const t = testApp();
    const request = upload(disposition);
    const res = await t.call(TRANSCRIBE, {
      method: "POST",
      body: request.body,
      headers: { "content-type": TYPE },
    });
    const error = await errorOf(res);
    assert.equal(res.status, 400, JSON.stringify(error));
    assert.deepEqual(error, {
      code: "invalid_value",
      message: disposition.includes("fi\r")
        ? "A part's name (or file name) holds a NUL or line-break character; send the parts " +
          "under names without control characters."
        : "The 'file' part's file name holds a NUL or line-break character; send it under a " +
          "name without control characters.",
      param: "file",
      type: "invalid_request_error",
    });
    assert.deepEqual(t.upstream, []);
  });
}
