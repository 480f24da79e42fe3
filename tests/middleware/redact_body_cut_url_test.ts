import assert from "node:assert/strict";
import { redactBody } from "../../src/middleware/_redact.ts";

Deno.test("redactBody() redacts a URL the cut at maxChars falls in, up to the end of that URL", () => {
  const url = "https://acct.blob.core.windows.net/c/f.wav?sv=2024&sig=SIGabcdef0123456789";
  const body = `${"x".repeat(50)} ${url} ${"y".repeat(100)}`;
  const out = redactBody(body, [], 120); // the cut falls in the URL's signature
  assert.ok(!out.includes("SIGabcdef"), out);
  assert.ok(!out.includes("0123456789"), out);
  assert.match(out, /… \(\d+ chars\)$/, "cut");
});
