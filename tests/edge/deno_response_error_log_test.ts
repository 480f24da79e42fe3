/**
 * `deno run edge/deno.ts` in front of an upstream that cuts a chat stream inside an event (half
 * an event, then the connection closes in the middle of its chunked body): the response body the
 * app relays fails, and Deno.serve (2.9) hands that failure to its `onError`. Its default printed
 * the whole error with its stack (a dozen lines of `    at …`), past the app's own `onError`
 * (`aoai-edge: <message>`, one line on stderr). The failure is reported as one such line, naming
 * the error, with no secret of the config in it.
 */
import assert from "node:assert/strict";
import { cuttingUpstream } from "./_cutting_upstream.ts";
import { startDenoServe } from "./_deno_serve.ts";

const CLIENT_KEY = "Client9Key-0001-response-error";
const AZURE_KEY = "Azure9Key0001ResponseErrorSecret";

Deno.test({
  name:
    "edge/deno.ts reports a response body that fails (an upstream cut inside an event) as one " +
    "aoai-edge line, no stack",
  ignore: Deno.build.os === "windows",
  async fn() {
    const upstream = cuttingUpstream();
    const serve = await startDenoServe({
      AZURE_OPENAI_ENDPOINT: `http://127.0.0.1:${upstream.port}`,
      AZURE_OPENAI_API_KEY: AZURE_KEY,
      AOAI_EDGE_KEYS: CLIENT_KEY,
    });
    const { child } = serve;
    const errText = new Response(child.stderr).text();
    try {
      const url = await serve.url.catch(async (e) => assert.fail(`${e.message}\n${await errText}`));
      const res = await fetch(
        `${url}/openai/deployments/gpt-4o/chat/completions?api-version=2024-10-21`,
        {
          method: "POST",
          headers: { "api-key": CLIENT_KEY, "content-type": "application/json" },
          body: JSON.stringify({ stream: true, messages: [{ role: "user", content: "hi" }] }),
        },
      );
      assert.equal(res.status, 200);
      // The client reads what came (the first event) until the body breaks.
      const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
      let received = "";
      const broken = await (async () => {
        for (let reads = 0; reads < 1000; reads++) {
          const { done, value } = await reader.read();
          if (done) return false;
          received += value;
        }
        return false;
      })().catch(() => true);
      assert.match(received, /chat\.completion\.chunk/);
      assert.ok(broken, `the body ended without an error: ${received}`);
      await upstream.done;
      // A graceful stop: it waits for the failed response, and Deno's report of it, to end.
      child.kill("SIGTERM");
      const status = await child.status;
      const err = await errText;
      assert.equal(status.code, 0, `the server did not stop cleanly; stderr:\n${err}`);
      const lines = err.split("\n").filter((line) => line !== "");
      const reports = lines.filter((line) =>
        line.startsWith("aoai-edge: ") && !line.startsWith("aoai-edge: stopping:")
      );
      assert.equal(reports.length, 1, `one report of the failed response; stderr:\n${err}`);
      assert.match(
        reports[0],
        /^aoai-edge: response failed: APIConnectionError: chat\.completions\.create lost the connection/,
      );
      assert.equal(lines.filter((line) => /^\s+at /.test(line)).length, 0, `a stack:\n${err}`);
      assert.deepEqual(
        lines.filter((line) => !line.startsWith("aoai-edge: ")),
        [],
        `other lines on stderr:\n${err}`,
      );
      for (const secret of [CLIENT_KEY, AZURE_KEY]) assert.ok(!err.includes(secret), err);
    } finally {
      await serve.close();
      await errText.catch(() => {});
    }
  },
});
