// A small RAG service: `deno run -A examples/rag.ts`
// Embeds 50 documents in overlapping batches, picks the 3 closest to a question by cosine
// similarity, and answers with a streamed chat that calls a search tool. Run it through the edge
// app (`deno task serve`, see the README) and each batch says what the app's cache did: the first
// a miss, the overlapping ones partial (only their new documents are sent on and paid for), and
// the question a hit when it is asked again.
import type { ChatCompletionMessageParam, ChatCompletionTool } from "../mod.ts";
import { exampleClient } from "./_client.ts";

const client = exampleClient();
const EMBEDDINGS = "text-embedding-3-small";
const docs = Array.from(
  { length: 50 },
  (_, i) => `Doc ${i}: the lighthouse on island ${i} was built in ${1850 + i}.`,
);

function cosine(a: number[], b: number[]): number {
  let dot = 0, na = 0, nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i] * b[i];
    na += a[i] * a[i];
    nb += b[i] * b[i];
  }
  return dot / Math.sqrt(na * nb);
}

/** Embeds `input`, saying what the edge app's cache did (`-` without the app). */
async function embed(input: string[], label: string): Promise<number[][]> {
  const { data, response } = await client.embeddings.create({ model: EMBEDDINGS, input })
    .withResponse();
  const cache = response.headers.get("x-aoai-cache") ?? "-";
  console.log(`${label}: cache ${cache}, ${data.usage.prompt_tokens} tokens billed`);
  return data.data.map((d) => d.embedding);
}

// Index: three batches, each overlapping the one before.
const vectors: number[][] = [];
for (const [from, to] of [[0, 20], [10, 35], [30, 50]]) {
  const batch = await embed(docs.slice(from, to), `docs ${from}-${to - 1}`);
  batch.forEach((v, i) => vectors[from + i] = v);
}

/** The three documents closest to `query`. */
async function search(query: string): Promise<string[]> {
  const [q] = await embed([query], "query");
  return vectors.map((v, i) => ({ i, score: cosine(q, v) }))
    .sort((x, y) => y.score - x.score)
    .slice(0, 3)
    .map(({ i }) => docs[i]);
}

const question = "When was the lighthouse on island 7 built?";
const tools: ChatCompletionTool[] = [{
  type: "function",
  function: {
    name: "search_docs",
    description: "The three documents closest to a query",
    parameters: { type: "object", properties: { query: { type: "string" } }, required: ["query"] },
  },
}];
const messages: ChatCompletionMessageParam[] = [
  { role: "system", content: "Answer from the documents search_docs returns." },
  { role: "user", content: question },
];

// The model must call the tool first (tool_choice), then answers from its result.
const first = await client.chat.completions.create({
  model: "gpt-4o",
  messages,
  tools,
  tool_choice: "required",
  stream: true,
});
const called = (await first.finalChatCompletion()).choices[0].message;
messages.push(called);
for (const call of called.tool_calls ?? []) {
  // The emulator fills the arguments from the schema (an empty query): ask the question then.
  const query = JSON.parse(call.function.arguments).query || question;
  console.log(`${call.function.name}(${JSON.stringify(query)})`);
  const found = await search(query);
  messages.push({ role: "tool", tool_call_id: call.id, content: found.join("\n") });
}

const answer = await client.chat.completions.create({
  model: "gpt-4o",
  messages,
  tools,
  stream: true,
  stream_options: { include_usage: true },
});
const encoder = new TextEncoder();
for await (const chunk of answer) {
  await Deno.stdout.write(encoder.encode(chunk.choices[0]?.delta?.content ?? ""));
}
const final = await answer.finalChatCompletion();
console.log(`\nfinish: ${final.choices[0].finish_reason}, ${final.usage?.total_tokens} tokens`);
await embed([question], "the question again");
