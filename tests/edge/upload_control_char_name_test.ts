// An upload whose file name or part name holds a NUL (as FormData serializers send it): Deno's
// form parser throws "Invalid header value". The app refuses it with a 400 that says what to fix,
// naming the part when it is known; nothing goes upstream. (Azure picks the audio format from the
// file name's extension, which the app passes on as sent: it does not clean names.) A raw line
// break (serializers send %0D / %0A) cuts the part's header: Deno's own parser drops such a part,
// pinned here (readFormLimited() reads it as bad_name: tests/edge/upload_line_break_name_test.ts).
import assert from "node:assert/strict";
import { readFormLimited } from "../../edge/mod.ts";
import { azurePath, errorOf, testApp } from "./_helpers.ts";

const TRANSCRIBE = azurePath("whisper", "audio/transcriptions");
const BOUNDARY = "XyZ";

/** A form request of the parts `[disposition, content]`, written by hand. */
function handMade(parts: Array<[string, string]>): Request {
  const body =
    parts.map(([disposition, content]) =>
      `--${BOUNDARY}\r\nContent-Disposition: form-data; ${disposition}\r\n\r\n${content}\r\n`
    ).join("") + `--${BOUNDARY}--\r\n`;
  return new Request("http://x/", {
    method: "POST",
    headers: { "content-type": `multipart/form-data; boundary=${BOUNDARY}` },
    body,
  });
}

/** A form request of a file named `fileName` as part `part`, serialized by the platform. */
function serialized(part: string, fileName: string): Request {
  const form = new FormData();
  form.set("model", "whisper");
  form.set(part, new File([new Uint8Array(100)], fileName, { type: "audio/wav" }));
  return new Request("http://x/", { method: "POST", body: form });
}

Deno.test("readFormLimited() reads a NUL in a file name as bad_name of its part", async () => {
  assert.deepEqual(await readFormLimited(serialized("file", "talk\0.wav"), 1e6), {
    ok: false,
    reason: "bad_name",
    part: "file",
  });
});

Deno.test("readFormLimited() reads a NUL in a part's name as bad_name of no named part", async () => {
  assert.deepEqual(await readFormLimited(serialized("fi\0le", "talk.wav"), 1e6), {
    ok: false,
    reason: "bad_name",
  });
});

Deno.test("Deno's own form parser drops a part a raw line break in a name cuts (readFormLimited() reads it as bad_name)", async () => {
  for (
    const parts of [
      [['name="model"', "whisper"], ['name="file"; filename="talk\r.wav"', "abc"]],
      [['name="model"', "whisper"], ['name="file"; filename="talk\n.wav"', "abc"]],
      [['name="model"', "whisper"], ['name="fi\nle"', "abc"]],
    ] as Array<Array<[string, string]>>
  ) {
    assert.deepEqual([...(await handMade(parts).formData()).keys()], ["model"]);
    assert.equal(
      (await readFormLimited(handMade(parts), 1e6) as { reason: string }).reason,
      "bad_name",
    );
  }
});

Deno.test("readFormLimited() still reads names with other characters, and refuses a form that is none", async () => {
  const read = await readFormLimited(serialized("file", "Meeting; part 2 \u00e9\t.wav"), 1e6);
  assert.ok(read.ok);
  assert.equal((read.form.get("file") as File).name, "Meeting; part 2 \u00e9\t.wav");
  const notForm = new Request("http://x/", {
    method: "POST",
    headers: { "content-type": `multipart/form-data; boundary=${BOUNDARY}` },
    body: "not a form",
  });
  assert.deepEqual(await readFormLimited(notForm, 1e6), { ok: false, reason: "unparsable" });
});

for (
  const [what, request, param, message] of [
    [
      "a NUL in the file name",
      serialized("file", "talk\0.wav"),
      "file",
      "The 'file' part's file name holds a NUL or line-break character; send it under a name " +
      "without control characters.",
    ],
    [
      "a NUL in a part's name",
      serialized("fi\0le", "talk.wav"),
      "file",
      "A part's name (or file name) holds a NUL or line-break character; send the parts under " +
      "names without control characters.",
    ],
  ] as const
) {
  Deno.test(`createEdgeApp() refuses an upload with ${what}: 400 saying what to fix, nothing sent upstream`, async () => {
    const t = testApp();
    const res = await t.call(TRANSCRIBE, {
      method: "POST",
      body: request.body,
      headers: { "content-type": request.headers.get("content-type")! },
    });
    const error = await errorOf(res);
    assert.equal(res.status, 400, JSON.stringify(error));
    assert.deepEqual(error, {
      code: "invalid_value",
      message,
      param,
      type: "invalid_request_error",
    });
    assert.deepEqual(t.upstream, []);
  });
}
