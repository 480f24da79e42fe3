// Audio translation to English, from a stream: `deno run -A examples/translation.ts`
import { exampleClient } from "./_client.ts";

const client = exampleClient();
const stream = new Blob([new Uint8Array(16_000)]).stream();
const res = await client.audio.translations.create({
  model: "whisper",
  file: stream,
  filename: "speech.wav",
});
console.log(res.text);
