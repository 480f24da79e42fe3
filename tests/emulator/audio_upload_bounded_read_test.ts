// The service refuses an upload over 25 MB with a 413 ("Maximum content size limit (26214400)
// exceeded (N bytes read)") without taking the rest of it. The emulator checked content-length,
// but without one read the whole body into memory first (arrayBuffer()), however large, and then
// answered the 413. It now stops reading once the limit is passed.
import assert from "node:assert/strict";
import { createEmulator } from "../../src/emulator/mod.ts";

const LIMIT = 25 * 1024 * 1024;
const CHUNK = 1024 * 1024;
const URL_ = "http://emulator.test/openai/deployments/whisper/audio/transcriptions" +
  "?api-version=2024-10-21";
const TYPE = "multipart/form-data; boundary=b0undary";

/** A body of `chunks` 1 MiB chunks (a multipart head, then zeros) that counts what was pulled. */
function countedBody(chunks: number) {
  const head = new TextEncoder().encode(
    '--b0undary\r\nContent-Disposition: form-data; name="file"; filename="a.wav"\r\n\r\n',
  );
  const counter = { pulled: 0, cancelled: false };
  let sent = 0;
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (sent === chunks) return controller.close();
      const chunk = new Uint8Array(CHUNK);
      if (sent === 0) chunk.set(head);
      sent++;
      counter.pulled += chunk.length;
      controller.enqueue(chunk);
    },
    cancel() {
      counter.cancelled = true;
    },
  }, { highWaterMark: 0 });
  return { stream, counter };
}

async function upload(chunks: number, length?: number) {
  const e = createEmulator();
  const { stream, counter } = countedBody(chunks);
  const headers: Record<string, string> = { "api-key": e.apiKey, "content-type": TYPE };
  if (length !== undefined) headers["content-length"] = String(length);
  const res = await e.fetch(
    new Request(URL_, { method: "POST", headers, body: stream, duplex: "half" } as RequestInit),
  );
  const body = await res.json();
  return { status: res.status, error: body.error, counter };
}

Deno.test("audio upload without content-length: a 413 after reading just past 25 MB, not the whole body", async () => {
  const { status, error, counter } = await upload(64); // 64 MiB offered
  assert.equal(status, 413);
  assert.equal(error.code, "content_size_limit_exceeded");
  assert.equal(error.type, "invalid_request_error");
  assert.equal(error.param, "file");
  const read = Number(/\((\d+) bytes read\)/.exec(error.message)?.[1]);
  assert.ok(read > LIMIT && read <= LIMIT + CHUNK, `${read} bytes read`);
  assert.ok(counter.pulled <= LIMIT + 2 * CHUNK, `${counter.pulled} bytes pulled of 64 MiB`);
  assert.ok(counter.cancelled, "the rest of the body is cancelled");
});

Deno.test("audio upload with a content-length over 25 MB: a 413 before reading anything", async () => {
  const { status, error, counter } = await upload(64, 64 * CHUNK);
  assert.equal(status, 413);
  assert.match(error.message, new RegExp(`^Maximum content size limit \\(${LIMIT}\\) exceeded`));
  assert.ok(counter.pulled <= CHUNK, `${counter.pulled} bytes pulled`);
});

Deno.test("audio upload with a content-length that understates the body: read only just past 25 MB", async () => {
  const { status, counter } = await upload(64, 1000);
  assert.equal(status, 413);
  assert.ok(counter.pulled <= LIMIT + 2 * CHUNK, `${counter.pulled} bytes pulled of 64 MiB`);
});
