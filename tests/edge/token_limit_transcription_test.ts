// The token budget charges gpt-4o-transcribe answers (billed by token): their usage says
// `input_tokens` / `output_tokens` / `total_tokens`, not chat's `prompt_tokens`, in the JSON
// reply and in the streamed `transcript.text.done` event.
import assert from "node:assert/strict";
import { AzureOpenAI } from "../../src/client.ts";
import { createEmulator } from "../../src/emulator/mod.ts";
import { createEdgeApp } from "../../edge/mod.ts";
import { azurePath, KEY, recordingLimiter, testApp } from "./_helpers.ts";

const PATH = azurePath("t4o", "audio/transcriptions");

function upload(stream: boolean): FormData {
  const form = new FormData();
  form.set("file", new File([new Uint8Array(32_000)], "talk.wav", { type: "audio/wav" }));
  if (stream) form.set("stream", "true");
  return form;
}

for (const stream of [false, true]) {
  Deno.test(`tokenLimit: a ${stream ? "streamed" : "JSON"} gpt-4o-transcribe answer is charged its usage`, async () => {
    const r = recordingLimiter();
    const t = testApp({
      emulator: { deployments: [{ name: "t4o", model: "gpt-4o-transcribe" }] },
      tokenLimit: { limiter: r.limiter },
    });
    const res = await t.call(PATH, { method: "POST", body: upload(stream) });
    assert.equal(res.status, 200);
    const text = await res.text();
    // The usage the service reported, read from what the client got.
    const json = stream
      ? JSON.parse(text.split("\n").filter((l) => l.startsWith("data: ")).at(-1)!.slice(6))
      : JSON.parse(text);
    const total = json.usage?.total_tokens;
    assert.equal(typeof total, "number");
    assert.ok(total > 0);
    await r.reach(1);
    assert.deepEqual(r.tokens, [total]);
  });
}

Deno.test("edge: a streamed transcription goes upstream as a stream call (idle timeout per event, not one deadline for the whole body)", async () => {
  const emulator = createEmulator({ deployments: [{ name: "t4o", model: "gpt-4o-transcribe" }] });
  const seen: boolean[] = [];
  const app = createEdgeApp({
    clientKeys: [KEY],
    upstream: new AzureOpenAI({
      endpoint: "http://emulator.local",
      apiKey: emulator.apiKey,
      fetch: emulator.fetch,
      middleware: [(ctx, next) => {
        seen.push(ctx.stream);
        return next();
      }],
    }),
  });
  for (const stream of [true, false]) {
    const res = await app.fetch(
      new Request(`http://edge.local${PATH}`, {
        method: "POST",
        headers: { "api-key": KEY },
        body: upload(stream),
      }),
    );
    assert.equal(res.status, 200);
    await res.text();
  }
  assert.deepEqual(seen, [true, false]);
});
