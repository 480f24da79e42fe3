/**
 * Deno.serve with `denoOnError(options)` in front of an upstream that cuts a JSON reply mid-body:
 * one line for the cut, the app's own (`embeddings: the upstream's reply broke before its end
 * (…)`), not a second `response failed: …` line for the body that fails after it (which is what
 * Deno.serve hands its onError); the HTTP client's read of the body fails.
 */
import assert from "node:assert/strict";
import { createEdgeApp, denoHandler, denoOnError } from "../../edge/mod.ts";
import { cuttingJsonUpstream, JSON_ROUTES, postJson } from "./_json_cut_upstream.ts";

const CLIENT_KEY = "Client9Key-0007-json-cut";
const AZURE_KEY = "Azure9Key0007JsonCutSecret";

Deno.test("Deno.serve with denoOnError: a JSON reply cut mid-body is one line, the app's; the client's read fails", async () => {
  const { client } = cuttingJsonUpstream(AZURE_KEY);
  const reports: string[] = [];
  const options = {
    upstream: client,
    clientKeys: [CLIENT_KEY],
    onError: (message: string) => void reports.push(message),
  };
  const server = Deno.serve(
    {
      hostname: "127.0.0.1",
      port: 0,
      onListen() {},
      onError: denoOnError({
        ...options,
        upstream: { endpoint: "http://u.test", apiKey: AZURE_KEY },
      }),
    },
    denoHandler(createEdgeApp(options)),
  );
  try {
    const [, path, json] = JSON_ROUTES[0];
    const res = await fetch(
      postJson(`http://127.0.0.1:${server.addr.port}`, path, json, CLIENT_KEY),
    );
    assert.equal(res.status, 200);
    await assert.rejects(res.text());
  } finally {
    // It waits for the response, and any report of it, to end.
    await server.shutdown();
  }
  assert.equal(reports.length, 1, reports.join("\n"));
  assert.match(
    reports[0],
    /^embeddings: the upstream's reply broke before its end \(APIConnectionError: embeddings\.create lost the connection reading the response\)$/,
  );
});
