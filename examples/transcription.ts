// Audio transcription upload: `deno run -A examples/transcription.ts [file.wav]`
import { exampleClient } from "./_client.ts";
import { silentWav } from "./_wav.ts";

const client = exampleClient();
const path = Deno.args[0];
const file = path ? await Deno.readFile(path) : silentWav(1);
const json = await client.audio.transcriptions.create({
  model: "whisper",
  file,
  filename: path ?? "silence.wav",
  response_format: "verbose_json",
  timestamp_granularities: ["segment"],
});
console.log(json.text, `(${json.duration} s, ${json.segments?.length ?? 0} segments)`);
const srt = await client.audio.transcriptions.create({
  model: "whisper",
  file,
  filename: path ?? "silence.wav",
  response_format: "srt",
});
console.log(srt);
