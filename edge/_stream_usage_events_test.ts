// withoutUsageEvent(), event by event: a usage event written `data:{` (no space) or ended with
// mixed line ends is still found; only the first usage-only event is taken out, and the bytes
// after it pass as they come; an event past the held bound passes untouched and the ones after
// it are looked at again, however many events came before; no empty chunk is handed on.
import assert from "node:assert/strict";
import { withoutUsageEvent } from "./_stream_usage.ts";

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const USAGE = { prompt_tokens: 9, completion_tokens: 4, total_tokens: 13 };
const usageEvent = `data: {"id":"c","choices":[],"usage":${JSON.stringify(USAGE)}}`;
const DONE = "data: [DONE]\n\n";

/** What withoutUsageEvent() hands on for a body of `parts`: its chunks and the usage seen. */
async function through(parts: (string | Uint8Array)[]) {
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const p of parts) controller.enqueue(typeof p === "string" ? encoder.encode(p) : p);
      controller.close();
    },
  });
  const seen: unknown[] = [];
  const chunks: Uint8Array[] = [];
  for await (const chunk of withoutUsageEvent(body, (u) => seen.push(u))) chunks.push(chunk);
  return { text: chunks.map((c) => decoder.decode(c, { stream: true })).join(""), chunks, seen };
}

Deno.test("withoutUsageEvent() finds a usage event written data:{ without a space", async () => {
  const out = await through([usageEvent.replace("data: ", "data:") + "\n\n" + DONE]);
  assert.equal(out.text, DONE);
  assert.deepEqual(out.seen, [USAGE]);
});

Deno.test("withoutUsageEvent() ends an event at a blank line after a CRLF (mixed line ends)", async () => {
  for (const cut of [false, true]) {
    const text = `${usageEvent}\r\n\n${DONE}`;
    const at = text.indexOf("\n") + 1;
    const out = await through(cut ? [text.slice(0, at), text.slice(at)] : [text]);
    assert.equal(out.text, DONE, `cut after the CRLF: ${cut}`);
    assert.deepEqual(out.seen, [USAGE]);
  }
});

Deno.test("withoutUsageEvent() takes out the first usage-only event only; what follows passes as it came", async () => {
  const after = '\ndata: {"a":1,"usage":null}\n\n' + usageEvent + "\n\n" + DONE;
  const out = await through([usageEvent + "\n\n", after]);
  assert.equal(out.text, after);
  assert.deepEqual(out.seen, [USAGE]);
});

Deno.test("withoutUsageEvent() passes an overlong event untouched and looks at the next ones again", async () => {
  // Held past the bound before its end arrives.
  const long = `data: {"a":"${"x".repeat(1024 * 1024)}","usage":null}\n\n`;
  const bytes = encoder.encode(long);
  const parts = [
    bytes.subarray(0, bytes.length - 20),
    bytes.subarray(bytes.length - 20),
    'data: {"b":1,',
    '"usage":null}\n\n',
  ];
  const out = await through([...parts, usageEvent.slice(0, 20), usageEvent.slice(20) + "\n\n"]);
  assert.equal(out.text, long + 'data: {"b":1}\n\n');
  assert.deepEqual(out.seen, [USAGE]);
});

Deno.test("withoutUsageEvent() counts each event's held bytes afresh: many events past the bound", async () => {
  // 2200 events of about 1 KiB, each cut in two: their first parts, held, are more than the
  // bound in all, none near it alone.
  const event = `data: {"a":"${"x".repeat(1000)}","usage":null}\n\n`;
  const parts: string[] = [];
  for (let i = 0; i < 2200; i++) parts.push(event.slice(0, 600), event.slice(600));
  const out = await through([...parts, usageEvent.slice(0, 20), usageEvent.slice(20) + "\n\n"]);
  assert.equal(out.text, `data: {"a":"${"x".repeat(1000)}"}\n\n`.repeat(2200));
  assert.deepEqual(out.seen, [USAGE]);
});

Deno.test("withoutUsageEvent() hands on no empty chunk", async () => {
  const out = await through(["data: {", '"a":1}\n', "\n", usageEvent + "\n\n", "", "\n"]);
  assert.equal(out.text, 'data: {"a":1}\n\n\n');
  assert.ok(out.chunks.every((c) => c.length > 0), JSON.stringify(out.chunks.map((c) => c.length)));
  const held = await through(["data: {"]);
  assert.deepEqual(held.chunks.map((c) => decoder.decode(c)), ["data: {"]);
});
