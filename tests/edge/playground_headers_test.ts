import assert from "node:assert/strict";
import { createEdgeApp } from "../../edge/mod.ts";

const app = () =>
  createEdgeApp({
    upstream: { endpoint: "https://res.openai.azure.com", apiKey: "upstream-key" },
    clientKeys: ["a-long-client-key-0001"],
    playground: { chatDeployment: `x"><script>alert(1)</script>` },
  });

async function sha256(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return `'sha256-${btoa(String.fromCharCode(...new Uint8Array(digest)))}'`;
}

function directive(csp: string, name: string): string[] {
  const found = csp.split(";").map((d) => d.trim().split(/\s+/)).find((d) => d[0] === name);
  assert.ok(found, `${name} in ${csp}`);
  return found.slice(1);
}

Deno.test("playground CSP allows only the page's own inline script and style, by hash", async () => {
  const res = await app().fetch(new Request("http://edge.test/"));
  const html = await res.text();
  const csp = res.headers.get("content-security-policy") ?? "";
  // 'unsafe-inline' would run any script that reached the page (an injected <script>, an
  // onerror= attribute); the hash admits the one script the page ships.
  const scripts = [...html.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((m) => m[1]);
  assert.equal(scripts.length, 1);
  assert.deepEqual(directive(csp, "script-src"), [await sha256(scripts[0])]);
  const styles = [...html.matchAll(/<style>([\s\S]*?)<\/style>/g)].map((m) => m[1]);
  assert.equal(styles.length, 1);
  assert.deepEqual(directive(csp, "style-src"), [await sha256(styles[0])]);
  assert.ok(!csp.includes("unsafe"), csp);
  // The deployment option stays an attribute value.
  assert.ok(html.includes('value="x&#34;&#62;&#60;script&#62;alert(1)&#60;/script&#62;"'));
});

Deno.test("playground refuses framing in browsers without frame-ancestors too", async () => {
  for (const method of ["GET", "HEAD"]) {
    const res = await app().fetch(new Request("http://edge.test/", { method }));
    assert.equal(res.status, 200);
    await res.body?.cancel();
    assert.equal(res.headers.get("x-frame-options"), "DENY", method);
    assert.match(res.headers.get("content-security-policy") ?? "", /frame-ancestors 'none'/);
    assert.equal(res.headers.get("x-content-type-options"), "nosniff");
  }
});
