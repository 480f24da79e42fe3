/**
 * asResponse() and the stream of one call take one body. Once the stream began reading it,
 * asResponse() gives the stream's response (read, or being read), as the official SDK's does
 * (`responsePromise.then((p) => p.response)`), with or without streamIdleTimeoutMs; once
 * asResponse() took it, reading the stream throws an AzureOpenAIError that says so (not an
 * APIUserAbortError: nothing was cancelled). withResponse() after asResponse() gives its response.
 */
import assert from "node:assert/strict";
import { APIUserAbortError, AzureOpenAI, AzureOpenAIError } from "../../mod.ts";
import { createEmulator } from "../../src/emulator/mod.ts";

const CHAT = { model: "gpt-4o", messages: [{ role: "user" as const, content: "hi there" }] };

function client(streamIdleTimeoutMs?: number) {
  const emulator = createEmulator();
  return new AzureOpenAI({
    endpoint: "http://emulator.local",
    apiKey: emulator.apiKey,
    fetch: emulator.fetch,
    streamIdleTimeoutMs,
  });
}

async function text(stream: AsyncIterable<{ choices: { delta?: { content?: string | null } }[] }>) {
  let out = "";
  for await (const chunk of stream) out += chunk.choices[0]?.delta?.content ?? "";
  return out;
}

for (const idle of [undefined, 60_000]) {
  Deno.test(`asResponse() after a loop read the stream gives the stream's response, its body read (streamIdleTimeoutMs ${idle})`, async () => {
    const call = client(idle).chat.completions.create({ ...CHAT, stream: true });
    const stream = await call;
    assert.equal(await text(stream), "You said: hi there");
    const response = await call.asResponse();
    assert.equal(response, stream.response);
    assert.equal(response.body?.locked, true);
    assert.equal(await call.asResponse(), response);
  });

  Deno.test(`asResponse() after a loop broke out gives the stream's response (streamIdleTimeoutMs ${idle})`, async () => {
    const call = client(idle).chat.completions.create({ ...CHAT, stream: true });
    const stream = await call;
    for await (const _ of stream) break;
    assert.equal(await call.asResponse(), stream.response);
  });

  Deno.test(`asResponse() during a loop leaves the loop reading to the end (streamIdleTimeoutMs ${idle})`, async () => {
    const call = client(idle).chat.completions.create({ ...CHAT, stream: true });
    const stream = await call;
    let out = "";
    let asked: Response | undefined;
    for await (const chunk of stream) {
      asked ??= await call.asResponse();
      out += chunk.choices[0]?.delta?.content ?? "";
    }
    assert.equal(out, "You said: hi there");
    assert.equal(asked, stream.response);
  });

  Deno.test(`a loop after asResponse() took the body throws AzureOpenAIError naming asResponse() (streamIdleTimeoutMs ${idle})`, async () => {
    const call = client(idle).chat.completions.create({ ...CHAT, stream: true });
    const response = await call.asResponse();
    const stream = await call;
    for (const read of [() => text(stream), () => stream.finalChatCompletion()]) {
      await assert.rejects(read(), (err) => {
        assert.ok(err instanceof AzureOpenAIError, String(err));
        assert.ok(!(err instanceof APIUserAbortError), String(err));
        assert.match(err.message, /^chat\.completions\.create .*asResponse\(\)/);
        return true;
      });
    }
    // The body is still whole for the one asResponse() gave.
    assert.match(await response.text(), /"content":"You"[^]*data: \[DONE\]/);
  });

  Deno.test(`withResponse() after asResponse() gives the same response (streamIdleTimeoutMs ${idle})`, async () => {
    const call = client(idle).chat.completions.create({ ...CHAT, stream: true });
    const response = await call.asResponse();
    const withResponse = await call.withResponse();
    assert.equal(withResponse.response, response);
    assert.equal(response.body?.locked, false);
    assert.match(await response.text(), /data: \[DONE\]/);
  });
}
