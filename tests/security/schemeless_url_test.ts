// A URL quoted without its scheme (`acct.blob.core.windows.net/c/f?sv=…&sig=…`,
// `host:8080/path?api-key=…`) was not seen as a URL in an error's text: its secret parameters
// showed. Every word of the text is now read as a URL would be.
import assert from "node:assert/strict";
import { redactText } from "../../src/errors/redact.ts";
import { surfaces } from "./_error_text_surfaces.ts";

Deno.test("redactText() masks secret parameters of URLs written without a scheme", () => {
  assert.equal(
    redactText("cannot read myaccount.blob.core.windows.net/c/f?sv=2024&sig=S1 (403)", []),
    "cannot read myaccount.blob.core.windows.net/c/f?sv=2024&sig=*** (403)",
  );
  assert.equal(
    redactText("proxy host:8080/path?api-key=S2&api-version=1 refused", []),
    "proxy host:8080/path?api-key=***&api-version=1 refused",
  );
  assert.equal(redactText("see /openai/x?token=S3.", []), "see /openai/x?token=***");
  // Ordinary text (an e-mail address, a question, a path) is kept as it is.
  const plain = "user a@b.example asked: why? Path /a/b, file:///c.ts:1:2 & more; x=1 #3";
  assert.equal(redactText(plain, []), plain);
});

Deno.test("a fetch failure or service error quoting a scheme-less SAS URL shows its signature on no surface", async () => {
  const text = await surfaces(
    "blob acct.blob.core.windows.net/c/f.png?sv=2024-08-04&sig=SiGnOsChEmE and " +
      "host:8080/p?api-key=KeYnOsChEmE",
  );
  for (const secret of ["SiGnOsChEmE", "KeYnOsChEmE"]) assert.ok(!text.includes(secret), text);
  assert.ok(text.includes("f.png?sv=2024-08-04&sig=***"), text);
});
