import assert from "node:assert/strict";
import { redactSecrets, redactUrl } from "../errors/redact.ts";
import { headerSecrets, redactHeaders, redactLogUrl, secretsOfHeaders } from "./_redact.ts";

/** `text` scrubbed of the secrets of an `authorization: Basic <base64 of userPass>` header. */
function scrubbedBasic(userPass: string, text: string): string {
  const base64 = btoa(String.fromCharCode(...new TextEncoder().encode(userPass)));
  return redactSecrets(text, headerSecrets([["authorization", `Basic ${base64}`]]));
}

Deno.test("headerSecrets() decodes a Basic credential as UTF-8, so a non-ASCII password is scrubbed", () => {
  assert.equal(
    scrubbedBasic("jürgen:pässwörd-2718", "denied jürgen:pässwörd-2718 (password pässwörd-2718)"),
    "denied *** (password ***)",
  );
});

Deno.test("headerSecrets() takes odd Basic credentials without throwing or scrubbing short text", () => {
  const text = "messages[0].role: user is not valid: ab";
  for (
    const value of ["Basic", "Basic ", "Basic !!!", "Basic pässwörd", "Basic abcd", "Basic Og=="]
  ) {
    assert.equal(redactSecrets(text, headerSecrets([["authorization", value]])), text, value);
  }
  assert.equal(scrubbedBasic("user:ab", text), text, "a 2-character password masks nothing");
  const latin1 = headerSecrets([["authorization", `Basic ${btoa("\xe9t\xe9:latin-1-pass")}`]]);
  assert.equal(redactSecrets("bad latin-1-pass", latin1), "bad ***", "not UTF-8: read as Latin-1");
});

Deno.test("headerSecrets() scrubs the user name of a Basic credential with an empty password (a key as user)", () => {
  assert.equal(
    scrubbedBasic("gw-key-3141592653:", "unknown key gw-key-3141592653"),
    "unknown key ***",
  );
});

Deno.test("secretsOfHeaders() and redactHeaders() see a Headers' pairs as iterating it does (combined, sorted, each set-cookie)", () => {
  const headers = new Headers([
    ["Authorization", "Bearer tok-271828"],
    ["x-portkey-api-key", "pk-314159"],
    ["x-portkey-api-key", "pk-161803"],
    ["set-cookie", "a=cookie-one"],
    ["set-cookie", "b=cookie-two"],
    ["x-note", "says tok-271828"],
    ["x-ratelimit-remaining-tokens", "99"],
  ]);
  assert.deepEqual(secretsOfHeaders(headers), headerSecrets(headers));
  assert.deepEqual(secretsOfHeaders(headers), [
    "Bearer tok-271828",
    "tok-271828",
    "a=cookie-one",
    "b=cookie-two",
    "pk-314159, pk-161803",
    "pk-314159",
    "pk-161803",
  ]);
  assert.deepEqual(redactHeaders(headers, secretsOfHeaders(headers)), {
    "authorization": "***",
    "set-cookie": "***",
    "x-note": "says ***",
    "x-portkey-api-key": "***",
    "x-ratelimit-remaining-tokens": "99",
  });
});

Deno.test("redactLogUrl() masks what redactUrl() and redactSecrets() do, for plain URLs too", () => {
  const secrets = ["sk-2718281828"];
  for (
    const url of [
      "https://r.openai.azure.com/openai/deployments/d/chat/completions?api-version=2024-10-21",
      "https://r.openai.azure.com/openai/v1/chat/completions",
      "https://r.openai.azure.com/openai/deployments/sk-2718281828/embeddings?api-version=1",
      "https://user:pass@r.openai.azure.com/openai/v1/models",
      "https://r.openai.azure.com/openai/x&key=abc/y?api-version=1",
      "https://r.openai.azure.com/openai/x?api-version=1&api-key=abc",
      "https://r.openai.azure.com/openai/x?api-version=1#access_token=abc",
      "https://r.openai.azure.com/openai/x?API-VERSION=1&sig=abc",
      "https://r.openai.azure.com/openai/x?subscription-key=abc",
      "https://r.openai.azure.com/openai/x?api-version=1?key=abc",
      "https://r.openai.azure.com/openai/x?api-version=1?sig=abc",
      "https://r.openai.azure.com/openai/x?api-version=1%26api-key%3Dabc",
      "https://r.openai.azure.com/openai/x%3Fkey%3Dabc/y?api-version=1",
    ]
  ) {
    assert.equal(redactLogUrl(url, secrets), redactSecrets(redactUrl(url), secrets), url);
  }
  assert.equal(
    redactLogUrl("https://r/openai/deployments/sk-2718281828/x?api-version=1", secrets),
    "https://r/openai/deployments/***/x?api-version=1",
  );
  assert.equal(
    redactLogUrl("https://r/x?api-version=1?key=abc", []),
    "https://r/x?api-version=1?key=***",
  );
});
