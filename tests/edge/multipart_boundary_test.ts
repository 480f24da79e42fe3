import assert from "node:assert/strict";
import { azurePath, testApp } from "./_helpers.ts";

/** A multipart body with `boundary` (browsers write mixed-case ones, e.g. WebKit's). */
async function upload(
  boundary: string,
): Promise<{ body: Uint8Array<ArrayBuffer>; contentType: string }> {
  const form = new FormData();
  form.set("file", new File([new Uint8Array(2000).fill(1)], "talk.wav", { type: "audio/wav" }));
  form.set("response_format", "json");
  const encoded = new Response(form);
  const own = /boundary=(.+)$/.exec(encoded.headers.get("content-type")!)![1];
  const text = new TextDecoder("latin1").decode(await encoded.arrayBuffer());
  const body = Uint8Array.from(text.replaceAll(own, boundary), (c) => c.charCodeAt(0));
  return { body, contentType: `multipart/form-data; boundary=${boundary}` };
}

Deno.test("app accepts an audio upload whose multipart boundary has capitals (browser FormData)", async () => {
  const t = testApp();
  const { body, contentType } = await upload("----WebKitFormBoundaryQx7ZkLm3AbCdEfGh");
  const res = await t.call(azurePath("whisper", "audio/transcriptions"), {
    method: "POST",
    body,
    headers: { "content-type": contentType },
  });
  assert.equal(res.status, 200, await res.clone().text());
  assert.equal(typeof (await res.json()).text, "string");
  assert.equal(t.upstream.length, 1);
});
