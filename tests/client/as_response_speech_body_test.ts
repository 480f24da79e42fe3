// asResponse() of a call whose body the client does not read (speech's audio) gives the response
// with its body: only a read body (JSON, text) is rebuilt from the text read. (Mutation testing:
// rebuilding it always, from `undefined`, gave an empty body and no test noticed.)
import assert from "node:assert/strict";
import { AzureOpenAI } from "../../mod.ts";

Deno.test("audio.speech.create().asResponse() gives the audio bytes", async () => {
  const client = new AzureOpenAI({
    endpoint: "https://r.openai.azure.com",
    apiKey: "sk-as-response-speech-key-1234",
    apiVersion: "2025-04-01-preview",
    fetch: () =>
      Promise.resolve(
        new Response(new Uint8Array([1, 2, 3, 4, 5]), {
          headers: { "content-type": "audio/mpeg" },
        }),
      ),
  });
  const res = await client.audio.speech.create({ model: "tts", input: "hi", voice: "alloy" })
    .asResponse();
  assert.equal(res.headers.get("content-type"), "audio/mpeg");
  assert.deepEqual(new Uint8Array(await res.arrayBuffer()), new Uint8Array([1, 2, 3, 4, 5]));
});
