// Audio as the openai SDK's users write it (a web File for the upload).
import { AzureOpenAI } from "openai";

const client = new AzureOpenAI({
  endpoint: "https://my-res.openai.azure.com",
  apiKey: "<key>",
  apiVersion: "2024-10-21",
});

const file = new File([new Uint8Array([1, 2, 3])], "speech.mp3", { type: "audio/mpeg" });

// snippet: plain transcription
{
  const transcription = await client.audio.transcriptions.create({
    file,
    model: "whisper",
    language: "en",
    prompt: "Names: Anna, Ben",
    temperature: 0,
  });
  console.log(transcription.text);
}

// snippet: verbose_json with word and segment timestamps
{
  const transcription = await client.audio.transcriptions.create({
    file,
    model: "whisper",
    response_format: "verbose_json",
    timestamp_granularities: ["word", "segment"],
  });
  console.log(transcription.language, transcription.duration, transcription.text);
  for (const word of transcription.words ?? []) console.log(word.word, word.start, word.end);
  for (const segment of transcription.segments ?? []) {
    console.log(segment.id, segment.start, segment.end, segment.text, segment.avg_logprob);
    console.log(segment.no_speech_prob, segment.compression_ratio, segment.tokens.length);
  }
}

// snippet: subtitles as text
{
  const srt: string = await client.audio.transcriptions.create({
    file,
    model: "whisper",
    response_format: "srt",
  });
  const text: string = await client.audio.transcriptions.create({
    file,
    model: "whisper",
    response_format: "text",
  });
  console.log(srt, text);
}

// snippet: a gpt-4o-transcribe stream
{
  const stream = await client.audio.transcriptions.create({
    file,
    model: "gpt-4o-transcribe",
    stream: true,
  });
  for await (const event of stream) {
    if (event.type === "transcript.text.delta") console.log(event.delta);
    if (event.type === "transcript.text.done") console.log(event.text, event.usage?.total_tokens);
  }
}

// snippet: translation into English
{
  const translation = await client.audio.translations.create({
    file,
    model: "whisper",
    prompt: "A talk",
    temperature: 0,
  });
  console.log(translation.text);
  const verbose = await client.audio.translations.create({
    file,
    model: "whisper",
    response_format: "verbose_json",
  });
  console.log(verbose.text);
}

// snippet: text to speech, every format
{
  for (const response_format of ["mp3", "opus", "aac", "flac", "wav", "pcm"] as const) {
    const response = await client.audio.speech.create({
      model: "tts",
      voice: "alloy",
      input: "Today is a wonderful day to build something people love!",
      response_format,
      speed: 1.25,
    });
    const buffer = new Uint8Array(await response.arrayBuffer());
    console.log(response_format, buffer.length);
  }
  const response = await client.audio.speech.create({
    model: "gpt-4o-mini-tts",
    voice: "coral",
    input: "Hello",
    instructions: "Speak in a cheerful and positive tone.",
  });
  console.log(response.body);
}
