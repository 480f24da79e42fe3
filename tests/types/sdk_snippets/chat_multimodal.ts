// Vision and audio chat as the openai SDK's users write them.
import { AzureOpenAI } from "openai";

const client = new AzureOpenAI({
  endpoint: "https://my-res.openai.azure.com",
  apiKey: "<key>",
  apiVersion: "2025-01-01-preview",
});

// snippet: image URL and data URL parts
{
  const base64Image = "iVBORw0KGgo=";
  const res = await client.chat.completions.create({
    model: "gpt-4o",
    messages: [{
      role: "user",
      content: [
        { type: "text", text: "What's in these images?" },
        { type: "image_url", image_url: { url: "https://example.com/cat.png", detail: "high" } },
        { type: "image_url", image_url: { url: `data:image/png;base64,${base64Image}` } },
      ],
    }],
    max_tokens: 300,
  });
  console.log(res.choices[0].message.content);
}

// snippet: spoken reply with modalities and audio
{
  const res = await client.chat.completions.create({
    model: "gpt-4o-audio-preview",
    modalities: ["text", "audio"],
    audio: { voice: "alloy", format: "wav" },
    messages: [{ role: "user", content: "Is a golden retriever a good family dog?" }],
  });
  const audio = res.choices[0].message.audio;
  if (audio) {
    const bytes = Uint8Array.from(atob(audio.data), (c) => c.charCodeAt(0));
    console.log(bytes.length, audio.transcript, audio.expires_at, audio.id);
  }
}

// snippet: audio input, then the assistant's audio by id
{
  const res = await client.chat.completions.create({
    model: "gpt-4o-audio-preview",
    modalities: ["text"],
    messages: [{
      role: "user",
      content: [
        { type: "text", text: "What is in this recording?" },
        { type: "input_audio", input_audio: { data: "UklGRg==", format: "wav" } },
      ],
    }],
  });
  const id = res.choices[0].message.audio?.id;
  if (id) {
    await client.chat.completions.create({
      model: "gpt-4o-audio-preview",
      modalities: ["text", "audio"],
      audio: { voice: "coral", format: "mp3" },
      messages: [
        { role: "assistant", audio: { id } },
        { role: "user", content: "Say it again, slower." },
      ],
    });
  }
}

// snippet: a PDF as a file part
{
  await client.chat.completions.create({
    model: "gpt-4o",
    messages: [{
      role: "user",
      content: [
        {
          type: "file",
          file: { filename: "a.pdf", file_data: "data:application/pdf;base64,JVBE" },
        },
        { type: "text", text: "Summarize this." },
      ],
    }],
  });
}
