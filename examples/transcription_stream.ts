// Streamed transcription (gpt-4o-transcribe): `deno run -A examples/transcription_stream.ts [file.wav]`
import { exampleClient } from "./_client.ts";
import { silentWav } from "./_wav.ts";

const client = exampleClient();
const path = Deno.args[0];
const stream = await client.audio.transcriptions.create({
  model: "gpt-4o-transcribe", // a gpt-4o-transcribe deployment: Whisper does not stream
  file: path ? await Deno.readFile(path) : silentWav(1),
  filename: path ?? "silence.wav",
  stream: true,
});
const encoder = new TextEncoder();
for await (const event of stream) {
  // Each piece as it comes, then the whole text with the tokens billed.
  if (event.type === "transcript.text.delta") {
    await Deno.stdout.write(encoder.encode(event.delta));
  } else if (event.type === "transcript.text.done") {
    console.log("\ntext:", event.text);
    console.log("usage:", event.usage);
  }
}
