import assert from "node:assert/strict";
import { createEdgeApp, renderPlayground } from "../../edge/mod.ts";
import { createEmulator, DEFAULT_DEPLOYMENTS } from "../../src/emulator/mod.ts";

function script(html: string): string {
  return /<script>([\s\S]*?)<\/script>/.exec(html)?.[1] ?? "";
}

Deno.test("the playground's script parses (the CSP hash test passes for a script that does not)", () => {
  // A regex written `\r?\n` in the TypeScript template literal reaches the page as a line break
  // inside a regex literal: a SyntaxError, and no form works.
  assert.doesNotThrow(() => new Function(script(renderPlayground())));
});

Deno.test("the transcription form's default deployment and api-version are served by `deno task serve`'s emulator", async () => {
  const html = renderPlayground();
  const deployment = /id="tr-model" value="([^"]*)"/.exec(html)?.[1];
  assert.equal(deployment, "whisper");
  assert.ok(DEFAULT_DEPLOYMENTS.some((d) => d.name === deployment));
  // The request the form sends, with the deployment and api-version in the page.
  const path = /"(\/audio\/transcriptions\?api-version=[^"]+)"/.exec(script(html))?.[1];
  assert.ok(path, "the transcription URL in the script");
  const emulator = createEmulator();
  const app = createEdgeApp({
    upstream: {
      endpoint: "http://emulator.local",
      apiKey: emulator.apiKey,
      fetch: (request, init) => emulator.fetch(request, init),
    },
    clientKeys: ["a-long-client-key-0001"],
  });
  const form = new FormData();
  form.append("file", new File([new Uint8Array(64)], "memo.wav", { type: "audio/wav" }));
  const res = await app.fetch(
    new Request(`http://edge.test/openai/deployments/${deployment}${path}`, {
      method: "POST",
      headers: { "api-key": "a-long-client-key-0001" },
      body: form,
    }),
  );
  assert.equal(res.status, 200);
  assert.match((await res.json()).text, /memo\.wav/);
});

Deno.test("the transcription form's deployment option stays an attribute value", () => {
  const html = renderPlayground({ transcriptionDeployment: `t"><script>alert(1)</script>` });
  assert.ok(
    html.includes('id="tr-model" value="t&#34;&#62;&#60;script&#62;alert(1)&#60;/script&#62;"'),
  );
  assert.equal(html.match(/<script>/g)?.length, 1);
});
