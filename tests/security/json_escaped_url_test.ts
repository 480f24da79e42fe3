// A URL inside raw JSON text (an upstream error body the edge app relays, a body the logger
// logs, a fetch failure quoting one) may have its '/' written `\/` (PHP) and its '&' written
// `\u0026` (.NET's and Go's encoders). `https:\/\/u:p@h` was not seen as a URL and `\u0026sig=`
// hid the signature's name: the password and the signature showed.
import assert from "node:assert/strict";
import { redactText } from "../../src/errors/redact.ts";
import { surfaces } from "./_error_text_surfaces.ts";

Deno.test("redactText() reads a JSON-escaped URL's \\/ and \\u0026 as '/' and '&'", () => {
  assert.equal(
    redactText('{"u":"https:\\/\\/user:S1@h\\/p?key=S2"}', []),
    '{"u":"https://h/p?key=***"}',
  );
  assert.equal(
    redactText('{"u":"https://a.blob.core.windows.net/c?sv=1\\u0026sig=S3\\u0026se=2"}', []),
    '{"u":"https://a.blob.core.windows.net/c?sv=1&sig=***&se=2"}',
  );
  // An escaped backslash before them is no escape of theirs: the text is kept.
  const plain = '{"path":"C:\\\\u0026 and a\\\\/b"}';
  assert.equal(redactText(plain, []), plain);
});

Deno.test("an upstream JSON error body quoting an escaped URL shows its secrets on no surface", async () => {
  const body = '{"error":{"code":"BadRequest","message":"fetch ' +
    "https:\\/\\/user:PaSsJsOn@proxy.example\\/x and " +
    'https:\\/\\/a.blob.core.windows.net\\/c?sv=1\\u0026sig=SiGjSoN failed"}}';
  const text = await surfaces(
    "fetch https:\\/\\/user:PaSsJsOn@proxy.example\\/x?sv=1\\u0026sig=SiGjSoN failed",
    body,
  );
  for (const secret of ["PaSsJsOn", "SiGjSoN"]) assert.ok(!text.includes(secret), text);
});
