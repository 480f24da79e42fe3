// The edges of the wrong-kind check (answerKindLayer): a 2xx without a body is relayed whatever
// its content-type (nothing of the wrong kind reached the app); a wrong-kind body is cancelled
// when the app fails over; the media type quoted in the log is cut at 60 characters; a
// transcription in a JSON format answered text/plain is of the wrong kind (only the text formats
// answer text).
import assert from "node:assert/strict";
import { AzureOpenAI } from "../../src/client.ts";
import { azurePath, errorOf, KEY, postJson } from "./_helpers.ts";
import { cancelCounted, firstThenEmulator } from "./_first_upstream.ts";
import { reportingApp, settle } from "./_stream_upstream.ts";

const CHAT = azurePath("gpt-4o", "chat/completions");
const hi = { messages: [{ role: "user", content: "hi" }] };

/** An app whose only upstream answers every call `status` with `body` as `type`. */
function answering(body: BodyInit | null, type: string, status = 200) {
  return reportingApp(
    new AzureOpenAI({
      endpoint: "http://proxy.local",
      apiKey: "azure-key",
      maxRetries: 0,
      fetch: () =>
        Promise.resolve(new Response(body, { status, headers: { "content-type": type } })),
    }),
    false,
  );
}

Deno.test("a 200 without a body is relayed whatever its content-type", async () => {
  const { app, errors } = answering(null, "text/html");
  const res = await app.fetch(postJson(CHAT, hi));
  assert.equal(res.status, 200);
  assert.equal(await res.text(), "");
  assert.deepEqual(errors, []);
});

Deno.test("the wrong-kind body of an upstream failed over from is cancelled", async () => {
  const first = cancelCounted(200, { "content-type": "text/html" });
  const { app } = firstThenEmulator(first.fetch);
  const res = await app.fetch(postJson(CHAT, hi));
  assert.equal(res.status, 200);
  assert.equal(res.headers.get("x-aoai-upstream"), "1");
  await res.body?.cancel();
  await settle(() => first.cancelled() > 0);
  assert.equal(first.cancelled(), 1);
});

Deno.test("the media type quoted for a wrong-kind answer is cut at 60 characters", async () => {
  const type = `text/${"x".repeat(70)}`;
  const { app, errors } = answering("<html></html>", type);
  const res = await app.fetch(postJson(CHAT, hi));
  assert.equal(res.status, 502);
  const shown = type.slice(0, 60);
  assert.match((await errorOf(res)).message, new RegExp(`answered 200 with ${shown}, not JSON`));
  assert.match(errors[0], new RegExp(`answered 200 ${shown}, not JSON`));
});

Deno.test("a transcription in the json format answered text/plain is of the wrong kind", async () => {
  const { app } = answering("Hello there.", "text/plain; charset=utf-8");
  const form = new FormData();
  form.append("file", new File(["abc"], "a.wav"));
  form.append("response_format", "json");
  const res = await app.fetch(
    new Request(`http://edge.test${azurePath("whisper", "audio/transcriptions")}`, {
      method: "POST",
      headers: { "api-key": KEY },
      body: form,
    }),
  );
  assert.equal(res.status, 502);
  assert.equal((await errorOf(res)).code, "UpstreamError");
});
