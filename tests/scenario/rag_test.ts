// A new user's small RAG service, end to end over HTTP: the edge app (emulator upstream, Deno KV
// cache) on 127.0.0.1; 50 documents embedded in overlapping batches with the official openai
// SDK (AzureOpenAI on the Azure routes, OpenAI on /v1) and with this package's client; a question
// answered from the top 3 documents by a streamed chat that calls a tool; the cache header, usage
// on hits, the SDK's stream helpers, errors for a wrong key and a deployment the key may not use,
// and the onRequest events along the way.
import assert from "node:assert/strict";
import { AzureOpenAI as SdkAzureOpenAI, OpenAI } from "openai";
import type { ChatCompletionMessageParam } from "openai/resources/chat/completions";
import { AzureOpenAI } from "../../src/client.ts";
import type { ChatCompletionMessageParam as OurMessageParam } from "../../mod.ts";
import { AuthenticationError, PermissionDeniedError } from "../../src/errors/mod.ts";
import { countTokens, embeddingVector } from "../../src/emulator/mod.ts";
import {
  API_VERSION,
  CHAT,
  DOCS,
  EMBEDDINGS,
  INDEXER_KEY,
  KEY,
  type RagApp,
  startRagApp,
  topK,
} from "./_rag.ts";

const QUESTION = "When was the lighthouse on island 7 built?";
const SEARCH_TOOL = {
  type: "function" as const,
  function: {
    name: "search_docs",
    description: "The three documents closest to a query",
    parameters: {
      type: "object",
      properties: { query: { type: "string" } },
      required: ["query"],
    },
  },
};

/** The emulator's vector of `text`, as the client gets it (Float32 values). */
function expected(text: string): number[] {
  return Array.from(embeddingVector(EMBEDDINGS, text, 1536));
}

function tokens(texts: readonly string[]): number {
  return texts.reduce((sum, t) => sum + countTokens(t), 0);
}

/** Lets the app deliver the onRequest events of the answers read so far. */
async function settle(app: RagApp, count: number): Promise<void> {
  for (let i = 0; i < 50 && app.events.length < count; i++) {
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

Deno.test("RAG service over the edge app: index, retrieve, answer with a tool call", async (t) => {
  const app = await startRagApp();
  try {
    const sdk = new SdkAzureOpenAI({ endpoint: app.base, apiKey: KEY, apiVersion: API_VERSION });
    const v1 = new OpenAI({ baseURL: `${app.base}/v1`, apiKey: KEY });
    const ours = new AzureOpenAI({ endpoint: app.base, apiKey: KEY });
    const vectors: number[][] = [];

    await t.step("index 50 documents in overlapping batches (SDK AzureOpenAI)", async () => {
      const batches: [number, number, string, readonly string[]][] = [
        [0, 20, "miss", DOCS.slice(0, 20)],
        [10, 35, "partial", DOCS.slice(20, 35)],
        [30, 50, "partial", DOCS.slice(35, 50)],
      ];
      for (const [from, to, cache, sent] of batches) {
        const { data, response } = await sdk.embeddings
          .create({ model: EMBEDDINGS, input: DOCS.slice(from, to) })
          .withResponse();
        assert.equal(response.headers.get("x-aoai-cache"), cache, `batch ${from}..${to}`);
        // Usage counts only the inputs that went upstream.
        assert.deepEqual(data.usage, { prompt_tokens: tokens(sent), total_tokens: tokens(sent) });
        assert.deepEqual(data.data.map((d) => d.index), DOCS.slice(from, to).map((_, i) => i));
        data.data.forEach((d, i) => vectors[from + i] = d.embedding);
      }
      assert.deepEqual(app.upstreamInputs, [DOCS.slice(0, 20), DOCS.slice(20, 35), DOCS.slice(35)]);
      // Cached vectors are the upstream's, bit for bit (Float32).
      DOCS.forEach((doc, i) => assert.deepEqual(vectors[i], expected(doc), `doc ${i}`));
    });

    await t.step("the whole set again on /v1 (SDK OpenAI): a hit with zero usage", async () => {
      const { data, response } = await v1.embeddings
        .create({ model: EMBEDDINGS, input: [...DOCS] })
        .withResponse();
      assert.equal(response.headers.get("x-aoai-cache"), "hit");
      assert.deepEqual(data.usage, { prompt_tokens: 0, total_tokens: 0 });
      assert.deepEqual(data.data.map((d) => d.embedding), vectors);
      assert.equal(app.upstreamInputs.length, 3);
    });

    let top: number[] = [];
    const search = async (query: string): Promise<string> => {
      const { data } = await sdk.embeddings.create({ model: EMBEDDINGS, input: query });
      top = topK(data[0].embedding, vectors, 3);
      return top.map((i) => DOCS[i]).join("\n");
    };

    await t.step("a question: embed it, top 3 by cosine, the second time a hit", async () => {
      const first = await sdk.embeddings.create({ model: EMBEDDINGS, input: QUESTION })
        .withResponse();
      assert.equal(first.response.headers.get("x-aoai-cache"), "miss");
      const again = await v1.embeddings.create({ model: EMBEDDINGS, input: QUESTION })
        .withResponse();
      assert.equal(again.response.headers.get("x-aoai-cache"), "hit");
      assert.deepEqual(again.data.usage, { prompt_tokens: 0, total_tokens: 0 });
      assert.deepEqual(again.data.data[0].embedding, first.data.data[0].embedding);
      const want = topK(expected(QUESTION), DOCS.map(expected), 3);
      assert.deepEqual(topK(first.data.data[0].embedding, vectors, 3), want);
      assert.equal(new Set(want).size, 3);
    });

    await t.step(
      "streamed chat, forced tool call, tool result, streamed answer (SDK stream())",
      async () => {
        const messages: ChatCompletionMessageParam[] = [
          { role: "system", content: "Answer from the documents search_docs returns." },
          { role: "user", content: QUESTION },
        ];
        const argsDone: string[] = [];
        const first = sdk.chat.completions.stream({
          model: CHAT,
          messages,
          tools: [SEARCH_TOOL],
          tool_choice: { type: "function", function: { name: "search_docs" } },
          stream_options: { include_usage: true },
        });
        first.on("tool_calls.function.arguments.done", (e) => argsDone.push(e.arguments));
        const called = await first.finalChatCompletion();
        const call = called.choices[0].message.tool_calls?.[0];
        assert.equal(called.choices[0].finish_reason, "tool_calls");
        assert.ok(call?.type === "function");
        assert.equal(call.function.name, "search_docs");
        assert.deepEqual(JSON.parse(call.function.arguments), { query: QUESTION });
        assert.deepEqual(argsDone, [call.function.arguments]);
        assert.ok(called.usage && called.usage.total_tokens > 0, "usage of the first leg");

        const context = await search(JSON.parse(call.function.arguments).query);
        messages.push(called.choices[0].message, {
          role: "tool",
          tool_call_id: call.id,
          content: context,
        });
        let streamed = "";
        const answer = sdk.chat.completions.stream({
          model: CHAT,
          messages,
          tools: [SEARCH_TOOL],
          stream_options: { include_usage: true },
        });
        answer.on("content", (delta) => streamed += delta);
        const text = await answer.finalContent();
        assert.equal(text, `From the documents: ${context}`);
        assert.equal(streamed, text);
        assert.ok(text.includes(DOCS[top[0]]));
        const final = await answer.finalChatCompletion();
        assert.equal(final.choices[0].finish_reason, "stop");
        assert.ok(final.usage && final.usage.prompt_tokens > called.usage.prompt_tokens);
      },
    );

    await t.step("the same loop with runTools() on /v1 (SDK OpenAI)", async () => {
      const runner = v1.chat.completions.runTools({
        model: CHAT,
        stream: true,
        messages: [{ role: "user", content: QUESTION }],
        tools: [{
          type: "function",
          function: {
            name: "search_docs",
            description: SEARCH_TOOL.function.description,
            parameters: SEARCH_TOOL.function.parameters,
            parse: JSON.parse,
            function: (args: { query: string }) => search(args.query),
          },
        }],
      });
      const text = (await runner.finalContent()) ?? "(no content)";
      assert.ok(text.startsWith("From the documents: "), text);
      assert.ok(text.includes(DOCS[top[0]]), text);
      assert.deepEqual(runner.messages.map((m) => m.role), [
        "user",
        "assistant",
        "tool",
        "assistant",
      ]);
    });

    await t.step("the same with this package's client", async () => {
      const { data, response } = await ours.embeddings
        .create({ model: EMBEDDINGS, input: [DOCS[3], QUESTION, "a new note"] })
        .withResponse();
      assert.equal(response.headers.get("x-aoai-cache"), "partial");
      assert.deepEqual(data.usage, {
        prompt_tokens: countTokens("a new note"),
        total_tokens: countTokens("a new note"),
      });
      assert.deepEqual(data.data[0].embedding, vectors[3]);

      const messages: OurMessageParam[] = [{ role: "user", content: QUESTION }];
      const stream = await ours.chat.completions.create({
        model: CHAT,
        messages,
        tools: [SEARCH_TOOL],
        tool_choice: "required",
        stream: true,
        stream_options: { include_usage: true },
      });
      const called = await stream.finalChatCompletion();
      const call = called.choices[0].message.tool_calls?.[0];
      assert.equal(call?.function.name, "search_docs");
      assert.ok(called.usage && called.usage.total_tokens > 0);
      const context = await search(JSON.parse(call.function.arguments).query);
      messages.push(
        called.choices[0].message,
        { role: "tool", tool_call_id: call.id, content: context },
      );
      let text = "";
      const answer = await ours.chat.completions.create({ model: CHAT, messages, stream: true });
      for await (const chunk of answer) text += chunk.choices[0]?.delta?.content ?? "";
      assert.equal(text, `From the documents: ${context}`);
    });

    await t.step("a wrong client key: 401 saying which keys to send, never the key", async () => {
      const wrong = "not-a-client-key-9999";
      for (
        const call of [
          () =>
            new SdkAzureOpenAI({ endpoint: app.base, apiKey: wrong, apiVersion: API_VERSION })
              .embeddings.create({ model: EMBEDDINGS, input: "x" }),
          () =>
            new OpenAI({ baseURL: `${app.base}/v1`, apiKey: wrong }).embeddings
              .create({ model: EMBEDDINGS, input: "x" }),
        ]
      ) {
        const err = await call().then(() => assert.fail("resolved"), (e) => e);
        assert.equal(err.status, 401);
        assert.match(err.message, /client keys/);
        assert.ok(!err.message.includes(wrong));
      }
      const err = await new AzureOpenAI({ endpoint: app.base, apiKey: wrong }).embeddings
        .create({ model: EMBEDDINGS, input: "x" }).then(() => assert.fail("resolved"), (e) => e);
      assert.ok(err instanceof AuthenticationError);
      assert.ok(!err.message.includes(wrong));
    });

    await t.step("the indexer key may not chat: 403 DeploymentNotAllowedForKey", async () => {
      const ask = { model: CHAT, messages: [{ role: "user" as const, content: "hi" }] };
      const sdkErr = await new SdkAzureOpenAI({
        endpoint: app.base,
        apiKey: INDEXER_KEY,
        apiVersion: API_VERSION,
      }).chat.completions.create(ask).then(() => assert.fail("resolved"), (e) => e);
      const v1Err = await new OpenAI({ baseURL: `${app.base}/v1`, apiKey: INDEXER_KEY })
        .chat.completions.create(ask).then(() => assert.fail("resolved"), (e) => e);
      const ourErr = await new AzureOpenAI({ endpoint: app.base, apiKey: INDEXER_KEY })
        .chat.completions.create(ask).then(() => assert.fail("resolved"), (e) => e);
      for (const err of [sdkErr, v1Err, ourErr]) {
        assert.equal(err.status, 403);
        assert.equal(err.code, "DeploymentNotAllowedForKey");
      }
      assert.ok(ourErr instanceof PermissionDeniedError);
      // Its own deployment still works (a hit: the service's key filled the cache).
      const { response } = await new SdkAzureOpenAI({
        endpoint: app.base,
        apiKey: INDEXER_KEY,
        apiVersion: API_VERSION,
      }).embeddings.create({ model: EMBEDDINGS, input: DOCS[0] }).withResponse();
      assert.equal(response.headers.get("x-aoai-cache"), "hit");
    });

    await t.step(
      "a deployment the app does not serve: 404 before anything goes upstream",
      async () => {
        const chats = app.upstreamChats();
        const err = await v1.chat.completions
          .create({ model: "gpt-4o-mini", messages: [{ role: "user", content: "hi" }] })
          .then(() => assert.fail("resolved"), (e) => e);
        assert.equal(err.status, 404);
        assert.equal(err.code, "DeploymentNotFound");
        assert.equal(app.upstreamChats(), chats);
      },
    );

    await t.step("onRequest: one secret-free event per request, usage 0 on hits", async () => {
      await settle(app, 24);
      const rows = app.events.map((e) =>
        `${e.route} ${e.status} ${e.cache ?? "-"} ${e.error ?? ""}`
      );
      assert.deepEqual(rows, [
        "embeddings 200 miss ",
        "embeddings 200 partial ",
        "embeddings 200 partial ",
        "embeddings 200 hit ",
        "embeddings 200 miss ",
        "embeddings 200 hit ",
        "chat 200 - ",
        "embeddings 200 hit ", // search_docs
        "chat 200 - ",
        "chat 200 - ", // runTools: tool call
        "embeddings 200 hit ",
        "chat 200 - ", // runTools: answer
        "embeddings 200 partial ",
        "chat 200 - ",
        "embeddings 200 hit ",
        "chat 200 - ",
        "embeddings 401 - 401",
        "embeddings 401 - 401",
        "embeddings 401 - 401",
        "chat 403 - DeploymentNotAllowedForKey",
        "chat 403 - DeploymentNotAllowedForKey",
        "chat 403 - DeploymentNotAllowedForKey",
        "embeddings 200 hit ",
        "chat 404 - DeploymentNotFound",
      ]);
      for (const e of app.events.filter((e) => e.cache === "hit")) {
        assert.equal(e.usage?.prompt_tokens, 0);
        assert.equal(e.upstream, undefined);
      }
      const streams = app.events.filter((e) => e.route === "chat" && e.status === 200);
      assert.ok(streams.every((e) => e.stream && e.deployment === CHAT));
      const indexer = app.events.filter((e) => e.clientName === "indexer");
      assert.equal(indexer.length, 4);
      const text = JSON.stringify(app.events);
      for (const secret of [KEY, INDEXER_KEY, "not-a-client-key-9999", QUESTION]) {
        assert.ok(!text.includes(secret), "an event holds a key or the prompt");
      }
    });
  } finally {
    await app.close();
  }
});
