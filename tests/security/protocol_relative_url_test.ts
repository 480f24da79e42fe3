// A protocol-relative URL (`//user:pass@host/p`: a redirect target, a proxy setting) kept its
// user and password in an error's text, raw or percent-encoded in a value
// (`?next=%2F%2Fu%3Ap%40h`): only `scheme://` was read as the start of a user info. A `//` at a
// word's start or right after a value's `=` (or its encoding) now starts one; a `//` inside a
// path (`a//b@c`) does not.
import assert from "node:assert/strict";
import { redactText, redactUrl } from "../../src/errors/redact.ts";
import { surfaces } from "./_error_text_surfaces.ts";

Deno.test("redactUrl() drops the user and password of a protocol-relative URL", () => {
  assert.equal(redactUrl("//u:P1@h.example/p?q=1"), "//h.example/p?q=1");
  assert.equal(redactUrl("/login?next=//u:P2@h.example&n=1"), "/login?next=//h.example&n=1");
  assert.equal(redactUrl("/cb?next=%2F%2Fu%3AP3%40h%2Fp&n=1"), "/cb?next=%2F%2Fh%2Fp&n=1");
  // Nested in an encoded URL's value: `=` and `//` encoded twice.
  assert.equal(
    redactUrl("/cb?r=https%3A%2F%2Fx%3Fnext%3D%252F%252Fu%253AP4%2540h"),
    "/cb?r=https%3A%2F%2Fx%3Fnext%3D%252F%252Fh",
  );
});

Deno.test("redactText() drops a protocol-relative URL's password and keeps paths holding // and @", () => {
  assert.equal(
    redactText('proxy //u:P5@proxy:8080 refused; {"next":"\\/\\/u:P6@h"}', []),
    'proxy //proxy:8080 refused; {"next":"//h"}',
  );
  const plain = "a//b@c https://x/a//b@c /p//q@r?x=1 ?q=a//b@c x//u:p@h mail a@b.example // c@d";
  assert.equal(redactText(plain, []), plain);
  for (const url of ["a//b@c", "https://x/a//b@c", "/p//q@r?x=1", "?q=a//b@c"]) {
    assert.equal(redactUrl(url), url);
  }
});

Deno.test("an error quoting protocol-relative URLs with passwords shows them on no surface", async () => {
  const text = await surfaces(
    "redirect to //user:PrOtOrEl1@proxy.example/x refused, " +
      "/login?next=//u:PrOtOrEl2@h.example&next2=%2F%2Fu%3APrOtOrEl3%40h.example",
  );
  for (const secret of ["PrOtOrEl1", "PrOtOrEl2", "PrOtOrEl3"]) {
    assert.ok(!text.includes(secret), `${secret} in ${text}`);
  }
  assert.ok(text.includes("redirect to //proxy.example/x refused"), text);
});
