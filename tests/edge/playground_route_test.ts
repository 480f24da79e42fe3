import assert from "node:assert/strict";
import { playgroundRoute, renderPlayground } from "../../edge/mod.ts";

async function sha256(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return `'sha256-${btoa(String.fromCharCode(...new Uint8Array(digest)))}'`;
}

Deno.test("playgroundRoute() gives callers serving the page renderPlayground()'s HTML with its headers", async () => {
  const cases = [
    {
      serve: playgroundRoute({ chatDeployment: "my-chat" }),
      html: renderPlayground({ chatDeployment: "my-chat" }),
    },
    { serve: playgroundRoute(), html: renderPlayground() },
  ];
  for (const { serve, html } of cases) {
    const res = await serve();
    assert.equal(await res.text(), html);
    const csp = res.headers.get("content-security-policy") ?? "";
    // Without the hash of the page's own inline script in script-src, the page does not work.
    const script = /<script>([\s\S]*?)<\/script>/.exec(html)?.[1] ?? "";
    assert.ok(csp.includes(`script-src ${await sha256(script)};`), csp);
    assert.match(csp, /frame-ancestors 'none'/);
    assert.equal(res.headers.get("content-type"), "text/html; charset=utf-8");
    assert.equal(res.headers.get("x-frame-options"), "DENY");
    assert.equal(res.headers.get("x-content-type-options"), "nosniff");
    assert.equal(res.headers.get("referrer-policy"), "no-referrer");
  }
});
