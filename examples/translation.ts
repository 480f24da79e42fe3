// Audio translation to English, from a stream: `deno run -A examples/translation.ts`
import { exampleClient } from "./_client.ts";
import { silentWav } from "./_wav.ts";

const client = exampleClient();
// A stream upload (e.g. a request body passed on): one second of silence as a WAV file.
const stream = new Blob([silentWav(1)]).stream();
const res = await client.audio.translations.create({
  model: "whisper",
  file: stream,
  filename: "speech.wav",
});
console.log(res.text);
