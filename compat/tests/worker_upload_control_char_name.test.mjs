// The edge Worker (edge/worker.ts bundled by compat/worker/build.sh) in workerd through miniflare:
// an upload whose file name or part name holds a NUL or a raw line break. Deno's form parser
// throws "Invalid header value" on a NUL (the app answers 400 naming the part,
// tests/edge/upload_control_char_name_test.ts) and drops a part a raw line break cuts; workerd's
// parser refuses all of these, so the Worker answers the 400 for a form it cannot parse. Nothing
// goes upstream; the same form with a plain name is served.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { startWorker } from "./_worker.mjs";

const KEY = "worker-upload-name-key-1";
const PATH = "/openai/deployments/whisper/audio/transcriptions?api-version=2024-10-21";
const BOUNDARY = "XyZ";
let worker;
/** Bodies of the upstream requests, as text. */
const sent = [];

before(async () => {
  worker = await startWorker({
    bindings: { AOAI_EDGE_KEYS: KEY },
    reply: async (request) => {
      sent.push(await request.clone().text());
      return undefined;
    },
  });
});

after(async () => {
  await worker?.close();
});

/** POSTs a form of one file part with `disposition`; the answer's status and JSON. */
async function upload(disposition) {
  const body = `--${BOUNDARY}\r\nContent-Disposition: form-data; ${disposition}\r\n` +
    `Content-Type: audio/wav\r\n\r\nRIFF\r\n--${BOUNDARY}--\r\n`;
  const res = await worker.mf.dispatchFetch(`${worker.base}${PATH}`, {
    method: "POST",
    headers: {
      "api-key": KEY,
      "content-type": `multipart/form-data; boundary=${BOUNDARY}`,
    },
    body,
  });
  return { status: res.status, json: await res.json() };
}

test("workerd: a plain file name is served", async () => {
  const answer = await upload('name="file"; filename="talk.wav"');
  assert.equal(answer.status, 200, JSON.stringify(answer.json));
  assert.equal(sent.length, 1);
});

for (
  const disposition of [
    'name="file"; filename="talk\0.wav"',
    'name="fi\0le"; filename="talk.wav"',
    'name="file"; filename="talk\r.wav"',
    'name="file"; filename="talk\n.wav"',
    'name="file"; filename="talk\r\n.wav"',
  ]
) {
  test(`workerd: ${JSON.stringify(disposition)} gets the 400 for an unparsable form`, async () => {
    const before = sent.length;
    const answer = await upload(disposition);
    assert.equal(answer.status, 400, JSON.stringify(answer.json));
    assert.deepEqual(answer.json.error, {
      code: "invalid_value",
      message: "The multipart/form-data body could not be parsed, or has more than 1024 parts.",
      param: "file",
      type: "invalid_request_error",
    });
    assert.equal(sent.length, before);
  });
}
