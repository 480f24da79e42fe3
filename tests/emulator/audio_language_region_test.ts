/**
 * verbose_json's `language` names the language of the request's `language` field as Whisper does:
 * the plain English name, in lower case, of the base language. A region or script subtag (en-US,
 * pt-BR, zh-Hant) names no other language: Intl.DisplayNames says "American English",
 * "Brazilian Portuguese", "Traditional Chinese", which Whisper never answers. The stored documents
 * type the field as a string ("Language.") and their examples show only `text`; the name form is
 * Whisper's.
 */
import assert from "node:assert/strict";
import { createEmulator } from "../../src/emulator/mod.ts";

async function languageOf(language: string): Promise<unknown> {
  const e = createEmulator();
  const form = new FormData();
  form.append("file", new File([new Uint8Array(100)], "a.wav", { type: "audio/wav" }));
  form.append("response_format", "verbose_json");
  form.append("language", language);
  const res = await e.fetch(
    "http://emulator.test/openai/deployments/whisper/audio/transcriptions?api-version=2024-10-21",
    { method: "POST", headers: { "api-key": e.apiKey }, body: form },
  );
  assert.equal(res.status, 200, language);
  return (await res.json()).language;
}

Deno.test("verbose_json names the base language of a tag with a region or script", async () => {
  const cases: [string, string][] = [
    ["en-US", "english"],
    ["en-GB", "english"],
    ["pt-BR", "portuguese"],
    ["zh-Hant", "chinese"],
    ["zh-Hans-CN", "chinese"],
    ["es-419", "spanish"],
    ["fr-CA", "french"],
    ["nl-BE", "dutch"],
    ["my-MM", "myanmar"],
    ["nn-NO", "nynorsk"],
  ];
  const wrong = [];
  for (const [tag, name] of cases) {
    const got = await languageOf(tag);
    if (got !== name) wrong.push(`${tag}: ${got}`);
  }
  assert.deepEqual(wrong, []);
});

Deno.test("verbose_json keeps naming two-letter ISO-639-1 codes as before", async () => {
  const cases: [string, string][] = [
    ["en", "english"],
    ["pt", "portuguese"],
    ["zh", "chinese"],
    ["fr", "french"],
    ["my", "myanmar"],
    ["nn", "nynorsk"],
    ["mi", "maori"],
    ["uk", "ukrainian"],
  ];
  for (const [code, name] of cases) assert.equal(await languageOf(code), name, code);
});
