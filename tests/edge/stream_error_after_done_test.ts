// A chat or completions stream whose upstream connection breaks AFTER its `data: [DONE]` (the whole
// reply arrived; only the connection's end was unclean) is no cut: the client's body ends cleanly
// with what the upstream sent (no UpstreamStreamError event after [DONE]), the app's onError gets
// no "broke before its end" line, and onRequest's event names no error. A [DONE] line whose blank
// line never came is ended for the client (a reader drops an unended event at the body's end).
import assert from "node:assert/strict";
import { azurePath, postJson } from "./_helpers.ts";
import { clientOf, reportingApp, sentThen, settle, streamingUpstream } from "./_stream_upstream.ts";

const EVENT = 'data: {"id":"c1","object":"chat.completion.chunk","created":1,"model":"m",' +
  '"choices":[{"index":0,"delta":{"content":"Hi"},"finish_reason":"stop"}]}\n\n';

const SENT: Record<string, string> = {
  "[DONE] event": EVENT + "data: [DONE]\n\n",
  "[DONE] event (CRLF)": EVENT.replace("\n\n", "\r\n\r\n") + "data: [DONE]\r\n\r\n",
  "[DONE] line without its blank line": EVENT + "data: [DONE]\n",
};

/** An app whose upstream sends `sent` and then breaks (a read that fails), with its reports. */
function breakingApp(sent: string, withEvents: boolean) {
  // Asked for more once the bytes were read: the connection resets then.
  const end = new TypeError("connection reset");
  return reportingApp(
    streamingUpstream("azure-secret-after-done-1", () => sentThen(sent, end)),
    withEvents,
  );
}

for (const route of ["chat/completions", "completions"]) {
  for (const [name, sent] of Object.entries(SENT)) {
    for (const withEvents of [false, true]) {
      Deno.test(`${route} stream broken after its ${name}${withEvents ? " (with onRequest)" : ""}: a clean end, nothing reported`, async () => {
        const { app, errors, events } = breakingApp(sent, withEvents);
        const res = await app.fetch(
          postJson(
            azurePath("gpt-4o", route),
            route === "completions"
              ? { prompt: "hi", stream: true }
              : { messages: [{ role: "user", content: "hi" }], stream: true },
          ),
        );
        assert.equal(res.status, 200);
        const text = await res.text(); // no failed read
        assert.ok(text.startsWith(sent), JSON.stringify(text));
        if (withEvents) {
          await settle(() => events.length > 0);
          assert.equal(events.length, 1);
          assert.equal(events[0].status, 200);
        } else await new Promise((r) => setTimeout(r, 5));
        assert.deepEqual({
          // The [DONE] event is ended: at most a line break added.
          after: text.slice(sent.length).replace(/^\n\n?$/, ""),
          ended: /data: \[DONE\](\r?\n){2,}$/.test(text),
          errors,
          error: events[0]?.error,
        }, { after: "", ended: true, errors: [], error: undefined });
      });
    }
  }
}

Deno.test("chat stream broken after its [DONE]: the SDK-style client gets the whole reply, no error", async () => {
  const { app, errors } = breakingApp(SENT["[DONE] event"], false);
  const stream = await clientOf(app).chat.completions.create({
    model: "gpt-4o",
    messages: [{ role: "user", content: "hi" }],
    stream: true,
  });
  const seen: string[] = [];
  for await (const chunk of stream) seen.push(chunk.choices[0]?.delta?.content ?? "");
  assert.deepEqual(seen, ["Hi"]);
  await new Promise((r) => setTimeout(r, 5));
  assert.deepEqual(errors, []);
});
