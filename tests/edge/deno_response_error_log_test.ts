/**
 * `deno run edge/deno.ts` in front of an upstream that cuts a chat stream inside an event (half
 * an event, then the connection closes in the middle of its chunked body). The app ends the half
 * event, sends the UpstreamStreamError event and ends the body cleanly, and reports the cut itself
 * through its `onError` (`aoai-edge: <message>`, one line on stderr), naming the error, with no
 * secret of the config in it. It used to fail the body after the error event as well, which
 * Deno.serve (2.9) handed to its `onError` too: a second line for the same failure (and, before
 * serveEdge() gave it one, the whole error with its stack, a dozen lines of `    at …`).
 */
import assert from "node:assert/strict";
import { cuttingUpstream, postChatStream } from "./_cutting_upstream.ts";
import { startDenoServe } from "./_deno_serve.ts";

const CLIENT_KEY = "Client9Key-0001-response-error";
const AZURE_KEY = "Azure9Key0001ResponseErrorSecret";

Deno.test({
  name: "edge/deno.ts reports an upstream stream cut inside an event as one aoai-edge line, no " +
    "stack; the client's body ends with the error event",
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
      const res = await postChatStream(url, CLIENT_KEY);
      assert.equal(res.status, 200);
      // The client reads what came (the first event, the half one ended), then the error event.
      const received = await res.text();
      assert.match(received, /chat\.completion\.chunk/);
      assert.match(
        received,
        /\n\ndata: \{"error":\{"code":"UpstreamStreamError"[^\n]*\n\n$/,
        received,
      );
      await upstream.done;
      // A graceful stop: it waits for the response, and any report of it, to end.
      child.kill("SIGTERM");
      const status = await child.status;
      const err = await errText;
      assert.equal(status.code, 0, `the server did not stop cleanly; stderr:\n${err}`);
      const lines = err.split("\n").filter((line) => line !== "");
      const reports = lines.filter((line) =>
        line.startsWith("aoai-edge: ") && !line.startsWith("aoai-edge: stopping:")
      );
      assert.equal(reports.length, 1, `one report of the cut stream; stderr:\n${err}`);
      assert.match(
        reports[0],
        /^aoai-edge: chat: the upstream's stream broke before its end \(APIConnectionError: chat\.completions\.create lost the connection/,
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
