// A raw body the client hands on (client.request({ stream: true }), asResponse() of a stream,
// audio.speech.create()) whose connection breaks mid-way rejects its read with APIConnectionError
// naming the call, the failure as cause, as the resources' own reads do: not fetch's bare TypeError.
import assert from "node:assert/strict";
import { APIConnectionError } from "../../src/errors/mod.ts";
import { cuttingClient, readAll } from "./_cut_body.ts";

const KEY = "raw-cut-key-0123456789abcdef";
const cut = new TypeError("error reading a body from connection");

/** A client whose every answer sends one chunk, then breaks. */
const client = (contentType: string) =>
  cuttingClient({ apiKey: KEY, fail: () => cut, contentType });

const json = { messages: [{ role: "user", content: "hi" }], stream: true };

for (const signal of [undefined, new AbortController().signal]) {
  const withSignal = signal ? "with" : "without";
  Deno.test(`a raw stream body cut mid-way rejects with APIConnectionError (${withSignal} a signal)`, async () => {
    const res = await client("text/event-stream").request(
      { path: "chat/completions", deployment: "gpt-4o", method: "POST", json, stream: true },
      { signal },
    );
    const err = await readAll(res.body);
    assert.ok(err instanceof APIConnectionError, String(err));
    assert.equal((err as Error).cause, cut);
    assert.match((err as Error).message, /chat\/completions|request/);
    assert.ok(!(err as Error).message.includes(KEY));
  });

  Deno.test(`text() of a raw stream cut mid-way rejects with APIConnectionError (${withSignal} a signal)`, async () => {
    const res = await client("text/event-stream").request(
      { path: "chat/completions", deployment: "gpt-4o", method: "POST", json, stream: true },
      { signal },
    );
    const err = await res.text().then(() => assert.fail("resolved"), (e) => e);
    assert.ok(err instanceof APIConnectionError, String(err));
  });

  Deno.test(`a speech body cut mid-way rejects with APIConnectionError (${withSignal} a signal)`, async () => {
    const res = await client("audio/mpeg").audio.speech.create(
      { model: "tts", input: "hello", voice: "alloy" },
      { signal },
    );
    const err = await readAll(res.body);
    assert.ok(err instanceof APIConnectionError, String(err));
  });

  Deno.test(`asResponse() of a stream cut mid-way rejects its reads with APIConnectionError (${withSignal} a signal)`, async () => {
    const res = await client("text/event-stream").chat.completions.create(
      { model: "gpt-4o", messages: [{ role: "user", content: "hi" }], stream: true },
      { signal },
    ).asResponse();
    const err = await readAll(res.body);
    assert.ok(err instanceof APIConnectionError, String(err));
  });
}

for (const timeoutMs of [undefined, 0]) {
  Deno.test(`a raw JSON body (client.request(), timeoutMs ${timeoutMs}) cut mid-way rejects text() and body reads with APIConnectionError`, async () => {
    const raw = cuttingClient({
      apiKey: KEY,
      fail: () => cut,
      contentType: "application/json",
      sent: '{"data":',
      timeoutMs,
    });
    const call = () =>
      raw.request({ path: "embeddings", deployment: "e", method: "POST", json: { input: "x" } });
    const viaText = await (await call()).text().then(() => assert.fail("resolved"), (e) => e);
    assert.ok(viaText instanceof APIConnectionError, String(viaText));
    assert.equal(viaText.cause, cut);
    const viaBody = await readAll((await call()).body);
    assert.ok(viaBody instanceof APIConnectionError, String(viaBody));
  });
}
