// A known secret echoed in JSON or HTML text may have its punctuation escaped: .NET's encoder
// writes a base64 key's '+' as `\u002B`, PHP's its '/' as `\/`, Python's a non-ASCII character
// as `\u00e4`, an HTML page '+' as `&#43;` or `&#x2B;` and '"' as `&quot;`. redactSecrets()
// matched the key only as given, URL-encoded or with `"` / `\` escaped, so such an echo (a
// relayed upstream error body, a fetch failure's text) showed the key.
import assert from "node:assert/strict";
import { redactSecrets } from "../../src/errors/redact.ts";
import { surfaces } from "./_error_text_surfaces.ts";

const KEY = "AbC+dEf/ghIJ0123456789kLmN==";

Deno.test("redactSecrets() masks a secret whose punctuation is JSON- or HTML-escaped", () => {
  for (
    const echo of [
      "AbC\\u002BdEf/ghIJ0123456789kLmN==",
      "AbC+dEf\\/ghIJ0123456789kLmN==",
      "abc\\u002bdef\\/ghij0123456789klmn\\u003d\\u003D",
      "AbC&#43;dEf&#x2F;ghIJ0123456789kLmN&#61;&#x3d;",
      "AbC&#043;dEf&#X2f;ghIJ0123456789kLmN==",
      // The forms matched before stay matched.
      KEY,
      KEY.toLowerCase(),
      encodeURIComponent(KEY),
    ]
  ) {
    assert.equal(redactSecrets(`key ${echo} refused`, [KEY]), "key *** refused", echo);
  }
  assert.equal(redactSecrets('{"m":"p\\u00e4ss-w\\u00f6rt-0"}', ["päss-wört-0"]), '{"m":"***"}');
  assert.equal(redactSecrets('{"m":"k \\"q\\\\u\\/v-1"}', ['"q\\u/v-1']), '{"m":"k ***"}');
  // An HTML page's named references (`&quot;`, `&amp;`) too.
  assert.equal(redactSecrets("<p>k &quot;q&amp;v-1</p>", ['"q&v-1']), "<p>k ***</p>");
  // Text that only shares a part of the key, or has other words between its parts, is kept.
  const other = "AbC+dEf and AbC&#43;dEf/ghIJ and AbC+dEf/ghIJ 0123456789kLmN== and AbC%2B dEf";
  assert.equal(redactSecrets(other, [KEY]), other);
});

Deno.test("an upstream error echoing the api key JSON-escaped shows it on no surface", async () => {
  const dotnet = "AbC\\u002BdEf/ghIJ0123456789kLmN==";
  const php = "AbC+dEf\\/ghIJ0123456789kLmN==";
  const html = "AbC&#43;dEf&#x2F;ghIJ0123456789kLmN==";
  const text = await surfaces(
    `key ${dotnet} ${php} ${html} refused`,
    `{"error":{"code":"BadRequest","message":"key ${dotnet} ${php} ${html} refused"}}`,
    KEY,
  );
  for (const form of [dotnet, php, html, "ghIJ0123456789"]) {
    assert.ok(!text.includes(form), `${form} in ${text}`);
  }
  assert.ok(text.includes("key *** *** *** refused"), text);
});
