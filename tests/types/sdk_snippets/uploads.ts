// Uploads as the openai SDK's users write them: a Node fs.ReadStream, toFile() of bytes, a fetched
// Response.
import { createReadStream } from "node:fs";
import { AzureOpenAI, toFile } from "openai";
import type { ToFileInput, Uploadable } from "openai/uploads";

const client = new AzureOpenAI({
  endpoint: "https://my-res.openai.azure.com",
  apiKey: "<key>",
  apiVersion: "2024-10-21",
});

// snippet: a file on disk, streamed
{
  const transcription = await client.audio.transcriptions.create({
    file: createReadStream("speech.mp3"),
    model: "whisper",
  });
  console.log(transcription.text);
}

// snippet: bytes named with toFile()
{
  const bytes = new Uint8Array([1, 2, 3]);
  const file = await toFile(bytes, "speech.mp3", { type: "audio/mpeg" });
  const translation = await client.audio.translations.create({ file, model: "whisper" });
  console.log(file.name, translation.text);
}

// snippet: a fetched recording, as it came or through toFile()
{
  const transcription = await client.audio.transcriptions.create({
    file: await fetch("https://example.com/speech.mp3"),
    model: "whisper",
  });
  const input: ToFileInput = await fetch("https://example.com/speech.mp3");
  const file: Uploadable = await toFile(input);
  console.log(transcription.text, file);
}
