/**
 * serveEdge()'s `onError` for Deno.serve, when the handler itself throws (here the emulator
 * images route of the config, made to throw an error quoting the config's secrets): Deno's default
 * printed the whole error with its stack and answered 500. The app's `onError` gets one line with
 * the client keys and the upstreams' keys masked, and the client a 500.
 */
import assert from "node:assert/strict";
import { edgeConfigFromEnv, serveEdge } from "../../edge/deno.ts";

const CLIENT_KEY = "Client9Key-0002-serve-on-error";
const OTHER_KEY = "Client9Key-0003-serve-on-error";
const AZURE_KEY = "Azure9Key0002ServeOnErrorSecret";
const FALLBACK_KEY = "Azure9Key0003ServeOnErrorFallback";

Deno.test("serveEdge() reports a handler that throws through onError as one secret-free line, and answers 500", async () => {
  const dir = await Deno.makeTempDir();
  const vars: Record<string, string> = {
    PORT: "0",
    AOAI_EDGE_KV_PATH: `${dir}/edge.kv`,
    AZURE_OPENAI_ENDPOINT: "http://127.0.0.1:9",
    AZURE_OPENAI_API_KEY: AZURE_KEY,
    AZURE_OPENAI_FALLBACK_ENDPOINTS: "http://127.0.0.1:10",
    AZURE_OPENAI_FALLBACK_API_KEYS: FALLBACK_KEY,
    AOAI_EDGE_KEYS: `${CLIENT_KEY},${OTHER_KEY}`,
  };
  const config = edgeConfigFromEnv((name) => vars[name]);
  const reports: string[] = [];
  config.options.onError = (message) => void reports.push(message);
  config.emulatorImages = {
    origin: undefined,
    fetch: () => {
      throw new Error(
        `images failed for ${CLIENT_KEY} (or ${OTHER_KEY.toUpperCase()})\n  with ${AZURE_KEY} ` +
          `and ${encodeURIComponent(FALLBACK_KEY)}`,
      );
    },
  };
  try {
    await using server = await serveEdge(config);
    const res = await fetch(`${server.url}/emulator/images/x.png`);
    await res.body?.cancel();
    assert.equal(res.status, 500);
    assert.deepEqual(reports, [
      "response failed: Error: images failed for *** (or ***) with *** and ***",
    ]);
  } finally {
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
});
