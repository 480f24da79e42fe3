// The playground's CSP admits only what the page uses: its inline script and style (by hash) and
// fetches to its own origin, and no string as HTML or code (Trusted Types). It shows no image, so none may load (an injected <img> could
// otherwise send GETs to the origin or carry data: payloads).
import assert from "node:assert/strict";
import { playgroundRoute } from "../../edge/mod.ts";

Deno.test("playground CSP names only the sources the page needs", async () => {
  const res = await playgroundRoute()();
  await res.body?.cancel();
  const csp = res.headers.get("content-security-policy") ?? "";
  const directives = Object.fromEntries(
    csp.split(";").map((d) => d.trim().split(/\s+/)).map(([name, ...sources]) => [
      name,
      sources.map((s) => s.startsWith("'sha256-") ? "'sha256-…'" : s).join(" "),
    ]),
  );
  assert.deepEqual(directives, {
    "default-src": "'none'",
    "script-src": "'sha256-…'",
    "style-src": "'sha256-…'",
    "connect-src": "'self'",
    "frame-ancestors": "'none'",
    "base-uri": "'none'",
    "form-action": "'none'",
    // The page's script inserts text only: in browsers with Trusted Types, a string given to
    // innerHTML, document.write or eval throws instead of becoming markup or code.
    "require-trusted-types-for": "'script'",
    "trusted-types": "'none'",
  });
});
