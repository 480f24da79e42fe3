import assert from "node:assert/strict";
import { createCors } from "../../edge/cors.ts";
import { checkCompletionsBody } from "../../edge/validation/completions.ts";
import { checkSpeechBody } from "../../edge/validation/images.ts";
import { azurePath, errorOf, testApp } from "./_helpers.ts";

const MARKUP = "<img src=x onerror=alert(1)>Call-555-0100-to-restore-access";

Deno.test("a 400 for a logit_bias entry names it without echoing the client's key text", async () => {
  const t = testApp();
  const key = `${MARKUP}${"z".repeat(5000)}`;
  const res = await t.call(azurePath("gpt-4o", "chat/completions"), {
    json: { messages: [{ role: "user", content: "x" }], logit_bias: { [key]: "high" } },
  });
  assert.equal(res.status, 400);
  const text = await res.clone().text();
  assert.ok(!/<img|Call-555/.test(text), text);
  assert.ok(text.length < 1000, `${text.length} characters answered`);
  const err = await errorOf(res);
  assert.ok(err.param?.startsWith("logit_bias"), String(err.param));
  // A plain field name stays as it was.
  const plain = await t.call(azurePath("gpt-4o", "chat/completions"), {
    json: { messages: [{ role: "user", content: "x" }], logit_bias: { "50256": "high" } },
  });
  assert.equal((await errorOf(plain)).param, "logit_bias.50256");
  assert.equal(t.upstream.length, 0);
});

Deno.test("checkSpeechBody() counts input in characters, not UTF-16 code units", () => {
  // 3000 emoji are 3000 characters (6000 code units): within the service's 4096.
  assert.ok(checkSpeechBody({ input: "😀".repeat(3000), voice: "alloy" }).ok);
  const over = checkSpeechBody({ input: "😀".repeat(4097), voice: "alloy" });
  assert.ok(!over.ok);
  assert.equal(over.problem.param, "input");
  assert.ok(!checkSpeechBody({ input: "a".repeat(4097), voice: "alloy" }).ok);
  assert.ok(checkSpeechBody({ input: "a".repeat(4096), voice: "alloy" }).ok);
});

Deno.test("checkCompletionsBody() takes prompt: null (nullable in the spec) and a missing prompt (optional before 2024-10-21: upstream judges it)", () => {
  assert.ok(checkCompletionsBody({ prompt: null, max_tokens: 5 }).ok);
  assert.ok(checkCompletionsBody({ max_tokens: 5 }).ok);
});

Deno.test("createCors() refuses a maxAgeSeconds that is no whole number of seconds", () => {
  for (const bad of [-1, 1.5, Number.NaN, Infinity, "600" as unknown as number]) {
    assert.throws(
      () => createCors({ origins: "*", maxAgeSeconds: bad }),
      TypeError,
      String(bad),
    );
  }
  const cors = createCors({ origins: "*", maxAgeSeconds: 0 });
  const res = cors.preflight(
    new Request("http://x/v1/embeddings", { method: "OPTIONS", headers: { origin: "https://a" } }),
  );
  assert.equal(res?.headers.get("access-control-max-age"), "0");
});

Deno.test("an audio form with a field twice gets 400 naming it (only the first was checked)", async () => {
  const t = testApp();
  const twoFiles = new FormData();
  twoFiles.append("file", new File(["abc"], "a.wav"));
  twoFiles.append("file", new File(["def"], "b.wav"));
  const twoTemps = new FormData();
  twoTemps.append("file", new File(["abc"], "a.wav"));
  twoTemps.append("temperature", "0.2");
  twoTemps.append("temperature", "99");
  for (const [form, field] of [[twoFiles, "file"], [twoTemps, "temperature"]] as const) {
    const res = await t.call(azurePath("whisper", "audio/transcriptions"), {
      method: "POST",
      body: form,
    });
    assert.equal(res.status, 400, field);
    const err = await errorOf(res);
    assert.equal(err.param, field);
    assert.equal(err.code, "invalid_value");
  }
  // A field the service takes as a list may repeat.
  const granularities = new FormData();
  granularities.append("file", new File(["abc"], "a.wav"));
  granularities.append("timestamp_granularities[]", "word");
  granularities.append("timestamp_granularities[]", "segment");
  const ok = await t.call(azurePath("whisper", "audio/transcriptions"), {
    method: "POST",
    body: granularities,
  });
  assert.equal(ok.status, 200);
  await ok.body?.cancel();
  assert.equal(t.upstream.length, 1);
});
