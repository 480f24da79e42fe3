/**
 * `deno run edge/deno.ts` and Ctrl-C while a stream is in flight: the first SIGINT closes the
 * server gracefully (the response in flight may still end) and says so; a second one stops the
 * process at once. Before, both were swallowed by the signal listener while the stream ran
 * (with the built-in emulator's delay, or an upstream slow to answer, for minutes), and only a
 * SIGKILL stopped the server.
 */
import assert from "node:assert/strict";
import { startDenoServe } from "./_deno_serve.ts";

const KEY = "sigint-client-key-0001";

Deno.test({
  name: "edge/deno.ts stops on a second SIGINT while a stream is in flight, saying so at the first",
  ignore: Deno.build.os === "windows",
  async fn() {
    const serve = await startDenoServe({
      AZURE_OPENAI_ENDPOINT: "",
      AZURE_OPENAI_API_KEY: "",
      AOAI_EDGE_KEYS: KEY,
      // Ten minutes between the emulator's chunks: the stream stays in flight.
      AOAI_EDGE_EMULATOR_DELAY_MS: "600000",
    });
    const { child } = serve;
    const stderr = child.stderr.pipeThrough(new TextDecoderStream()).getReader();
    let errText = "";
    let stream: ReadableStreamDefaultReader<Uint8Array> | undefined;
    try {
      const url = await serve.url;
      const res = await fetch(`${url}/v1/chat/completions`, {
        method: "POST",
        headers: { "api-key": KEY, "content-type": "application/json" },
        body: JSON.stringify({
          model: "gpt-4o",
          stream: true,
          messages: [{ role: "user", content: "a reply of many chunks, one every ten minutes" }],
        }),
      });
      assert.equal(res.status, 200);
      // Its headers are here and its events are not (the first comes in ten minutes): the
      // stream is in flight.
      stream = res.body!.getReader();

      child.kill("SIGINT");
      while (!/stopping/.test(errText)) {
        const { done, value } = await stderr.read();
        assert.ok(!done, `the server ended or said nothing at SIGINT; stderr:\n${errText}`);
        errText += value;
      }
      assert.match(errText, /aoai-edge: stopping: .*Ctrl-C again to stop at once/);
      child.kill("SIGINT");
      const status = await child.status;
      assert.equal(status.success, false, "a forced stop is no clean exit");
      assert.equal(status.signal, null, `stopped by ${status.signal}, not by itself`);
    } finally {
      await stream?.cancel().catch(() => {});
      await serve.close();
      await stderr.cancel().catch(() => {});
    }
  },
});
