/**
 * `denoOnError(options)`: the `onError` to give your own `Deno.serve(options, denoHandler(app))`.
 * Without it, Deno.serve (2.9) hands a response body that fails, and a handler that throws, to
 * its default `onError`, which prints the whole error object with its stack, past the app's
 * `onError`. With it, the failure is one `response failed: <name>: <message>` line through the
 * app's `onError` (on stderr as `aoai-edge: …` without one), the app's keys masked, as
 * `serveEdge()` reports it. An upstream stream cut inside an event no longer fails the body: the
 * app reports it itself, once, and ends the body with the error event.
 */
import assert from "node:assert/strict";
import { createEdgeApp, denoHandler, denoOnError } from "../../edge/mod.ts";
import { cuttingUpstream, postChatStream } from "./_cutting_upstream.ts";

const CLIENT_KEY = "Client9Key-0004-deno-on-error";
const NAMED_KEY = "Client9Key-0005-deno-on-error";
const AZURE_KEY = "Azure9Key0004DenoOnErrorSecret";
const FALLBACK_KEY = "Azure9Key0005DenoOnErrorFallback";
const OTHER_SECRET = "Entra9Secret0004DenoOnError";

Deno.test({
  name:
    "Deno.serve with denoOnError(options): an upstream stream cut inside an event is one line " +
    "(the app's; the body ends with the error event, nothing fails besides)",
  ignore: Deno.build.os === "windows",
  async fn() {
    const upstream = cuttingUpstream();
    const reports: string[] = [];
    const options = {
      upstream: { endpoint: `http://127.0.0.1:${upstream.port}`, apiKey: AZURE_KEY },
      clientKeys: [CLIENT_KEY],
      onError: (message: string) => void reports.push(message),
    };
    const server = Deno.serve(
      { hostname: "127.0.0.1", port: 0, onListen() {}, onError: denoOnError(options) },
      denoHandler(createEdgeApp(options)),
    );
    try {
      const res = await postChatStream(`http://127.0.0.1:${server.addr.port}`, CLIENT_KEY);
      assert.equal(res.status, 200);
      assert.match(await res.text(), /"code":"UpstreamStreamError"[^\n]*\n\n$/);
      await upstream.done;
    } finally {
      // It waits for the response, and any report of it, to end.
      await server.shutdown();
    }
    // Reported by the app, once: no body failed, so no second `response failed: …` line.
    assert.equal(reports.length, 1, reports.join("\n"));
    assert.match(
      reports[0],
      /^chat: the upstream's stream broke before its end \(APIConnectionError: chat\.completions\.create lost the connection reading the response\)$/,
    );
  },
});

Deno.test("denoOnError(options) masks the app's keys and the secrets given, and answers 500", async () => {
  const reports: string[] = [];
  const onError = denoOnError({
    upstream: [
      { endpoint: "http://127.0.0.1:9", apiKey: AZURE_KEY },
      { endpoint: "http://127.0.0.1:10", apiKey: ` ${FALLBACK_KEY} ` },
    ],
    clientKeys: [CLIENT_KEY, { key: NAMED_KEY, name: "team-a" }],
    onError: (message) => void reports.push(message),
  }, [OTHER_SECRET]);
  const res = onError(
    new Error(
      `failed for ${CLIENT_KEY} (or ${NAMED_KEY.toUpperCase()})\n  with ${AZURE_KEY}, ` +
        `${encodeURIComponent(FALLBACK_KEY)} and ${OTHER_SECRET}`,
    ),
  );
  assert.equal(res.status, 500);
  await res.body?.cancel();
  assert.deepEqual(reports, [
    "response failed: Error: failed for *** (or ***) with ***, *** and ***",
  ]);
});

Deno.test("denoOnError(options) without an onError of the options prints one aoai-edge line", () => {
  const printed: unknown[][] = [];
  const original = console.error;
  console.error = (...args: unknown[]) => void printed.push(args);
  try {
    const err = new TypeError(`cut for ${CLIENT_KEY}`);
    denoOnError({
      upstream: { endpoint: "http://127.0.0.1:9", apiKey: AZURE_KEY },
      clientKeys: [CLIENT_KEY],
    })(err);
  } finally {
    console.error = original;
  }
  assert.deepEqual(printed, [["aoai-edge: response failed: TypeError: cut for ***"]]);
});
