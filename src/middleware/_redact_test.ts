import assert from "node:assert/strict";
import { redactSecrets } from "../errors/redact.ts";
import { headerSecrets } from "./_redact.ts";

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
