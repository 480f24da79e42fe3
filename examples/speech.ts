// Text to speech, streamed to a file: `deno run -A examples/speech.ts [out.wav]`
import { exampleClient } from "./_client.ts";

const client = exampleClient();
const res = await client.audio.speech.create({
  model: "tts",
  input: "Hello from the edge.",
  voice: "alloy",
  response_format: "wav",
});
const out = Deno.args[0];
const bytes = new Uint8Array(await res.arrayBuffer());
if (out) await Deno.writeFile(out, bytes);
console.log(res.headers.get("content-type"), bytes.byteLength, "bytes");
