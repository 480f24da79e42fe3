// A chat stream the upstream cuts, however it is cut (a read that fails between events or inside
// one, a clean close before `data: [DONE]` between events or inside one), is reported by the app
// itself through its onError, as one line naming the route and the cause, once per request, with
// or without onRequest (two ways through the app); the client's body ends cleanly with the
// UpstreamStreamError event, on every runtime alike (a body that failed after it made Deno.serve
// report the request a second time, and workerd ends a failed body cleanly anyway). A client that
// left is not reported.
import assert from "node:assert/strict";
import { AzureOpenAIError } from "../../src/errors/api_error.ts";
import { azurePath, KEY, postJson } from "./_helpers.ts";
import { clientOf, reportingApp, sentThen, settle, streamingUpstream } from "./_stream_upstream.ts";

const CHAT = azurePath("gpt-4o", "chat/completions");
const AZURE_KEY = "azure-secret-cut-report-1";
const EVENT = 'data: {"id":"c1","object":"chat.completion.chunk","created":1,"model":"m",' +
  '"choices":[{"index":0,"delta":{"content":"Hi"},"finish_reason":null}]}\n\n';
const HALF = EVENT.slice(0, 40);

type Cut = { sent: string; ending: "error" | "close" };
const CUTS: Record<string, Cut> = {
  "broken between events": { sent: EVENT, ending: "error" },
  "broken inside an event": { sent: EVENT + HALF, ending: "error" },
  "closed before [DONE] between events": { sent: EVENT, ending: "close" },
  "closed inside an event": { sent: EVENT + HALF, ending: "close" },
};

/** An app whose upstream sends `cut.sent` and then breaks or closes, with its reports. */
function cuttingApp(cut: Cut, withEvents: boolean) {
  // Asked for more once the bytes were read: the stream breaks or closes then.
  const end = cut.ending === "close" ? "close" : new TypeError(`connection reset (${KEY})`);
  return reportingApp(streamingUpstream(AZURE_KEY, () => sentThen(cut.sent, end)), withEvents);
}

const BODY = { messages: [{ role: "user", content: "hi" }], stream: true };

for (const [name, cut] of Object.entries(CUTS)) {
  for (const withEvents of [false, true]) {
    Deno.test(`chat stream ${name}${withEvents ? " (with onRequest)" : ""}: one onError line, a clean end with the error event`, async () => {
      const { app, errors, events } = cuttingApp(cut, withEvents);
      const res = await app.fetch(postJson(CHAT, BODY));
      assert.equal(res.status, 200);
      const text = await res.text(); // no failed read
      assert.ok(text.startsWith(cut.sent), text);
      assert.match(text, /\n\ndata: \{"error":\{"code":"UpstreamStreamError"[^\n]*\n\n$/, text);
      assert.ok(!text.includes("[DONE]"), text);
      if (withEvents) await settle(() => events.length > 0);
      else await new Promise((r) => setTimeout(r, 5));
      assert.equal(errors.length, 1, JSON.stringify(errors));
      assert.match(errors[0], /^chat: the upstream's stream broke before its end \(.+\)$/);
      assert.ok(!errors[0].includes(KEY) && !errors[0].includes(AZURE_KEY), errors[0]);
      if (withEvents) assert.equal(events[0]?.error, "UpstreamStreamError");
    });
  }
}

Deno.test("chat stream broken inside an event: the SDK-style client throws the typed error, no chunk taken for the last", async () => {
  const { app, errors } = cuttingApp(CUTS["broken inside an event"], false);
  const stream = await clientOf(app).chat.completions.create({
    model: "gpt-4o",
    messages: [{ role: "user", content: "hi" }],
    stream: true,
  });
  const seen: unknown[] = [];
  const err = await (async () => {
    try {
      for await (const chunk of stream) seen.push(chunk);
    } catch (e) {
      return e;
    }
  })();
  assert.equal(seen.length, 1);
  assert.ok(err instanceof AzureOpenAIError || err instanceof Error, String(err));
  assert.ok(err !== undefined, "the cut reply was taken as whole");
  assert.equal(errors.length, 1, JSON.stringify(errors));
});

Deno.test("chat stream whose client left before the cut: nothing reported", async () => {
  const { app, errors } = cuttingApp(CUTS["broken inside an event"], false);
  const aborter = new AbortController();
  const res = await app.fetch(new Request(postJson(CHAT, BODY), { signal: aborter.signal }));
  const reader = res.body!.getReader();
  await reader.read();
  aborter.abort();
  await reader.read().catch(() => {});
  await reader.cancel().catch(() => {});
  await new Promise((r) => setTimeout(r, 5));
  assert.deepEqual(errors, []);
});
