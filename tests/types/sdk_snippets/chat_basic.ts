// Chat completions as the openai SDK's users write them (AzureOpenAI, plain replies).
import { AzureOpenAI } from "openai";

const client = new AzureOpenAI({
  endpoint: "https://my-res.openai.azure.com",
  apiKey: "<key>",
  apiVersion: "2024-10-21",
  deployment: "gpt-4o",
});

// snippet: developer + user messages, read the text
{
  const completion = await client.chat.completions.create({
    model: "gpt-4o",
    messages: [
      { role: "developer", content: "Talk like a pirate." },
      { role: "user", content: "Are semicolons optional in JavaScript?" },
    ],
  });
  console.log(completion.choices[0].message.content);
  console.log(completion.choices[0]!.message?.content);
}

// snippet: refusal, finish_reason, system_fingerprint, usage details
{
  const completion = await client.chat.completions.create({
    model: "gpt-4o",
    messages: [{ role: "system", content: "Be brief." }, { role: "user", content: "Hi" }],
    temperature: 0.2,
    top_p: 1,
    n: 1,
    stop: ["\n\n"],
    seed: 42,
    presence_penalty: 0,
    frequency_penalty: 0,
    logit_bias: { "50256": -100 },
    user: "user-123",
  });
  const choice = completion.choices[0];
  if (choice.message.refusal) console.error("refused:", choice.message.refusal);
  if (choice.finish_reason === "length") console.warn("truncated");
  console.log(completion.id, completion.created, completion.model, completion.system_fingerprint);
  const usage = completion.usage;
  if (usage) {
    const cached: number = usage.prompt_tokens_details?.cached_tokens ?? 0;
    const reasoning: number = usage.completion_tokens_details?.reasoning_tokens ?? 0;
    const accepted = usage.completion_tokens_details?.accepted_prediction_tokens ?? 0;
    const rejected = usage.completion_tokens_details?.rejected_prediction_tokens ?? 0;
    const audio = (usage.prompt_tokens_details?.audio_tokens ?? 0) +
      (usage.completion_tokens_details?.audio_tokens ?? 0);
    console.log(usage.prompt_tokens, usage.completion_tokens, usage.total_tokens);
    console.log(cached, reasoning, accepted, rejected, audio);
  }
}

// snippet: keep a multi-turn conversation
{
  const history: Array<{ role: "user" | "assistant"; content: string }> = [];
  for (const question of ["Hi", "And then?"]) {
    history.push({ role: "user", content: question });
    const res = await client.chat.completions.create({ model: "gpt-4o", messages: history });
    history.push({ role: "assistant", content: res.choices[0].message.content ?? "" });
  }
  console.log(history.length);
}

// snippet: a user name and a system message as text parts
{
  const res = await client.chat.completions.create({
    model: "gpt-4o",
    messages: [
      { role: "system", content: [{ type: "text", text: "You are helpful." }] },
      { role: "user", name: "alice", content: "Hello" },
    ],
    max_tokens: 100,
  });
  console.log(res.choices.map((c) => c.message.content).join("\n"));
}
