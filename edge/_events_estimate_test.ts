/**
 * The estimate a stream without usage is charged: the request's prompt estimate and the text the
 * stream carried, whichever field it comes in (a chat delta's content, refusal, function call or
 * tool call arguments, a completions choice's text, a transcription's delta), at a quarter token
 * a Latin character and a token any other code point (a surrogate pair one).
 */
import assert from "node:assert/strict";
import { tokenQuarters } from "./_events.ts";
import { chunked, observe } from "../tests/edge/_observe.ts";

Deno.test("tokenQuarters: Latin up to U+024F is a quarter; U+0250 and on a whole; a surrogate pair one", () => {
  assert.equal(tokenQuarters("\u024f"), 1);
  assert.equal(tokenQuarters("\u0250"), 4);
  // A high surrogate counts the code point; its low one nothing; U+E000 is a character again.
  assert.equal(tokenQuarters("\udbff"), 4);
  assert.equal(tokenQuarters("\udc00"), 0);
  assert.equal(tokenQuarters("\udfff"), 0);
  assert.equal(tokenQuarters("\ue000"), 4);
  assert.equal(tokenQuarters("\ud7ff"), 4);
});

/** The tokens charged for a 2xx stream of `events` (data lines) with a prompt of 10 tokens. */
async function chargedFor(events: unknown[], route: "chat" | "completions" | "audio" = "chat") {
  const sse = events.map((e) => `data: ${JSON.stringify(e)}\n\n`).join("") + "data: [DONE]\n\n";
  const { response, delivered } = observe(chunked([sse], "text/event-stream"), {
    route,
    charges: true,
    record: { stream: true, promptTokens: 10 },
  });
  await response.arrayBuffer();
  const { charged } = await delivered;
  assert.equal(charged.length, 1);
  return charged[0];
}

Deno.test("stream estimate: each field of generated text counts (content, refusal, function and tool call arguments)", async () => {
  const x = (n: number) => "x".repeat(n);
  const choice = (delta: unknown) => ({ choices: [{ index: 0, delta }] });
  assert.equal(await chargedFor([choice({ content: x(40) })]), 10 + 10);
  assert.equal(await chargedFor([choice({ refusal: x(40) })]), 10 + 10);
  assert.equal(await chargedFor([choice({ function_call: { arguments: x(40) } })]), 10 + 10);
  assert.equal(
    await chargedFor([
      choice({
        tool_calls: [{ index: 0, function: { arguments: x(40) } }, {
          index: 1,
          function: { arguments: x(20) },
        }],
      }),
    ]),
    10 + 15,
  );
  // Every field of one chunk together, and chunks summed (quarters, rounded up once).
  assert.equal(
    await chargedFor([
      choice({ content: x(2), refusal: x(2), tool_calls: [{ function: { arguments: x(2) } }] }),
      choice({ content: x(1) }),
    ]),
    10 + 2,
  );
});

Deno.test("stream estimate: a completions stream's choice text, and a transcription's delta", async () => {
  const text = { choices: [{ index: 0, text: "y".repeat(40), finish_reason: null }] };
  assert.equal(await chargedFor([text], "completions"), 10 + 10);
  const delta = { type: "transcript.text.delta", delta: "z".repeat(40) };
  assert.equal(await chargedFor([delta], "audio"), 10 + 10);
});

Deno.test("stream estimate: a choice that is null or has no delta does not lose the chunk's other text", async () => {
  const chunk = {
    choices: [null, { index: 1, text: "w".repeat(20) }, {
      index: 2,
      delta: { content: "v".repeat(20), tool_calls: [null, { function: null }] },
    }],
  };
  assert.equal(await chargedFor([chunk], "completions"), 10 + 10);
});

Deno.test("text estimate: a token-billed transcription's text reply counts its characters, one split over chunks once", async () => {
  const bytes = new TextEncoder().encode("x".repeat(36) + "中"); // 36 quarters and a token
  const { response, delivered } = observe(
    chunked([bytes.slice(0, 37), bytes.slice(37)], "text/plain; charset=utf-8"),
    { route: "audio", charges: true, record: { promptTokens: 10 } },
  );
  assert.equal(await response.text(), "x".repeat(36) + "中");
  assert.deepEqual((await delivered).charged, [10 + 10]);
});
