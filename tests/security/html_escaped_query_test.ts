// A URL in HTML text (a gateway's error page) writes '&' as `&amp;` or `&#38;`: the parameter
// after it was read as `amp;sig`, which is no secret name, so a SAS signature, a `pass` or an
// OAuth `code` behind it showed. A ';' now separates parameters as '&' does (matrix and old
// query syntax `;key=…` too).
import assert from "node:assert/strict";
import { redactUrl } from "../../src/errors/redact.ts";
import { redactLogUrl } from "../../src/middleware/_redact.ts";
import { surfaces } from "./_error_text_surfaces.ts";

Deno.test("redactUrl() masks secret parameters after &amp;, &#38; and ';'", () => {
  assert.equal(
    redactUrl("https://a.blob.core.windows.net/c?sv=1&amp;sig=S1&amp;se=2"),
    "https://a.blob.core.windows.net/c?sv=1&amp;sig=***&amp;se=2",
  );
  assert.equal(
    redactUrl("https://x/?a=1&#38;code=S2&#38;b=2"),
    "https://x/?a=1&#38;code=***&#38;b=2",
  );
  assert.equal(redactUrl("https://x/p?q=1;pass=S3&n=1"), "https://x/p?q=1;pass=***&n=1");
  // A secret's value runs to the next '&' or '#' ('?' and ';' included): masked whole.
  assert.equal(redactUrl("https://x/p;sig=S4?q=1;n=2&m=3"), "https://x/p;sig=***&m=3");
  // A value with a ';' and no pair in it is kept.
  const plain = "https://x/?q=a;b&n=1";
  assert.equal(redactUrl(plain), plain);
});

Deno.test("redactLogUrl() masks a secret parameter after ';' in a request URL", () => {
  assert.equal(redactLogUrl("https://r/openai/x;sig=S5", []), "https://r/openai/x;sig=***");
  assert.equal(
    redactLogUrl("https://r/x?api-version=1;sig=S6", []),
    "https://r/x?api-version=1;sig=***",
  );
});

Deno.test("a gateway's HTML error page quoting a SAS URL shows its signature on no surface", async () => {
  const page = "<html><body><h1>403</h1><p>Cannot fetch " +
    "https://a.blob.core.windows.net/c/x.png?sv=1&amp;sig=SiGhTmL</p></body></html>";
  const text = await surfaces(page, page);
  assert.ok(!text.includes("SiGhTmL"), text);
  assert.ok(text.includes("x.png?sv=1&amp;sig=***"), text);
});
