// The openai SDK's type names, imported from where its users import them.
import { AzureOpenAI } from "openai";
import type {
  ChatCompletionCreateParamsNonStreaming,
  ChatCompletionFunctionTool,
  ChatCompletionMessageFunctionToolCall,
  ChatCompletionMessageParam,
  ChatCompletionModality,
  ChatCompletionReasoningEffort,
} from "openai/resources/chat/completions";
import type { ResponseFormatJSONObject, ResponseFormatJSONSchema } from "openai/resources/shared";
import type { TranscriptionInclude } from "openai/resources/audio/transcriptions";

const client = new AzureOpenAI({
  endpoint: "https://my-res.openai.azure.com",
  apiKey: "<key>",
  apiVersion: "2025-04-01-preview",
});

// snippet: function tools and their calls typed by the SDK's v5+ names
{
  const tools: ChatCompletionFunctionTool[] = [{
    type: "function",
    function: { name: "lookup", parameters: { type: "object", properties: {} } },
  }];
  const res = await client.chat.completions.create({
    model: "gpt-4o",
    messages: [{ role: "user", content: "Look it up" }],
    tools,
  });
  const calls: ChatCompletionMessageFunctionToolCall[] = (res.choices[0].message.tool_calls ?? [])
    .filter((c): c is ChatCompletionMessageFunctionToolCall => c.type === "function");
  const messages: ChatCompletionMessageParam[] = calls.map((call) => ({
    role: "tool",
    tool_call_id: call.id,
    content: call.function.name,
  }));
  console.log(messages.length);
}

// snippet: response formats typed by the SDK's shared names
{
  const schema: ResponseFormatJSONSchema = {
    type: "json_schema",
    json_schema: { name: "answer", strict: true, schema: { type: "object", properties: {} } },
  };
  const json: ResponseFormatJSONObject = { type: "json_object" };
  for (const response_format of [schema, json]) {
    await client.chat.completions.create({
      model: "gpt-4o",
      messages: [{ role: "user", content: "Answer in JSON" }],
      response_format,
    });
  }
}

// snippet: params built ahead with modalities and reasoning effort types
{
  const modalities: ChatCompletionModality[] = ["text"];
  const effort: ChatCompletionReasoningEffort = "medium";
  const params: ChatCompletionCreateParamsNonStreaming = {
    model: "o4-mini",
    messages: [{ role: "user", content: "Plan a trip" }],
    modalities,
    reasoning_effort: effort,
  };
  const res = await client.chat.completions.create(params);
  console.log(res.choices[0].message.content);
}

// snippet: transcription logprobs
{
  const include: TranscriptionInclude[] = ["logprobs"];
  const t = await client.audio.transcriptions.create({
    file: new File([new Uint8Array(8)], "a.wav"),
    model: "gpt-4o-transcribe",
    include,
    response_format: "json",
  });
  for (const lp of t.logprobs ?? []) console.log(lp.token, lp.logprob, lp.bytes);
}
