// The body limits have a ceiling: each JSON byte is held several times while a request is read
// (the bytes, their text, the parsed value), so a JSON limit of hundreds of MiB would let one
// request exhaust a 128 MB Worker; an upload past Azure's own 25 MiB is refused upstream anyway.
// A value above the cap stops the app naming the variable (or option) and the cap.
import assert from "node:assert/strict";
import { MAX_JSON_BYTES, MAX_MULTIPART_BYTES, maxBodyBytesFromEnv } from "../../edge/_env.ts";
import { createEdgeApp } from "../../edge/mod.ts";
import { KEY } from "./_helpers.ts";

const JSON_CAP = 16 * 1024 * 1024;
const UPLOAD_CAP = 25 * 1024 * 1024;

Deno.test("AOAI_EDGE_MAX_JSON_BYTES / AOAI_EDGE_MAX_MULTIPART_BYTES above their caps stop the app naming variable and cap", () => {
  assert.equal(maxBodyBytesFromEnv(MAX_JSON_BYTES, String(JSON_CAP)), JSON_CAP);
  assert.equal(maxBodyBytesFromEnv(MAX_MULTIPART_BYTES, String(UPLOAD_CAP)), UPLOAD_CAP);
  for (const value of [JSON_CAP + 1, 1e12]) {
    assert.throws(
      () => maxBodyBytesFromEnv(MAX_JSON_BYTES, String(value)),
      (e: Error) => /AOAI_EDGE_MAX_JSON_BYTES/.test(e.message) && /16777216/.test(e.message),
    );
  }
  assert.throws(
    () => maxBodyBytesFromEnv(MAX_MULTIPART_BYTES, String(UPLOAD_CAP + 1)),
    (e: Error) => /AOAI_EDGE_MAX_MULTIPART_BYTES/.test(e.message) && /26214400/.test(e.message),
  );
});

Deno.test("createEdgeApp(): maxJsonBytes / maxMultipartBytes above their caps throw naming option and cap", () => {
  const upstream = { endpoint: "http://upstream.local", apiKey: "azure-upstream-key" };
  createEdgeApp({
    upstream,
    clientKeys: [KEY],
    maxJsonBytes: JSON_CAP,
    maxMultipartBytes: UPLOAD_CAP,
  });
  assert.throws(
    () => createEdgeApp({ upstream, clientKeys: [KEY], maxJsonBytes: JSON_CAP + 1 }),
    (e: Error) =>
      e instanceof TypeError && /maxJsonBytes/.test(e.message) && /16777216/.test(e.message),
  );
  assert.throws(
    () => createEdgeApp({ upstream, clientKeys: [KEY], maxMultipartBytes: 2 ** 31 }),
    (e: Error) =>
      e instanceof TypeError && /maxMultipartBytes/.test(e.message) && /26214400/.test(e.message),
  );
});
