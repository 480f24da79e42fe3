// SDK switch: the same code, written as the official openai SDK's AzureOpenAI documents it, run
// once with `import { AzureOpenAI, … } from "openai"` and once with the bundled core
// (compat/.build/core.mjs, built by compat/build_runtime.sh) against the emulator bundle. Each
// test asserts that both give the same observable result. Run with `sh compat/run.sh`, or
// `cd compat && sh build.sh && sh build_runtime.sh && node --test tests/sdk_switch.test.mjs`.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import * as openai from "openai";
import { Stream as SdkStream } from "openai/streaming";
import * as ours from "../.build/core.mjs";
import { createEmulator } from "../.build/emulator.mjs";
import { serve } from "./_serve.mjs";

const API_VERSION = "2024-10-21";
let emulator;
let server;

before(async () => {
  emulator = createEmulator({ apiKeys: ["switch-key"] });
  server = await serve((request) => emulator.fetch(request));
});

after(async () => {
  await server.close();
});

const chat = {
  model: "gpt-4o",
  messages: [{ role: "user", content: "hello switch" }],
};

/** What `fn(library)` gives with the SDK and with ours. */
async function both(fn) {
  return [await fn(openai), await fn(ours)];
}

/** The rejection of `promise` (fails when it resolves). */
function rejection(promise) {
  return promise.then(() => assert.fail("resolved"), (err) => err);
}

describe("SDK switch: the same code with the openai SDK and with @aoai/edge", () => {
  test("azureADTokenProvider authenticates as a bearer token", async () => {
    const [sdk, edge] = await both(async ({ AzureOpenAI }) => {
      const client = new AzureOpenAI({
        endpoint: server.url,
        azureADTokenProvider: () => Promise.resolve("switch-key"),
        apiVersion: API_VERSION,
        maxRetries: 0,
      });
      return (await client.chat.completions.create(chat)).choices[0].message
        .content;
    });
    assert.equal(sdk, "You said: hello switch");
    assert.equal(edge, sdk);
  });

  test(
    "the client's timeout (ms) ends a call that gets no answer with APIConnectionTimeoutError",
    {
      timeout: 60_000, // a guard: an ignored timeout would wait for the 10-minute default
    },
    async () => {
      const [sdk, edge] = await both(async (lib) => {
        const client = new lib.AzureOpenAI({
          endpoint: server.url,
          apiKey: "switch-key",
          apiVersion: API_VERSION,
          maxRetries: 0,
          timeout: 50,
          // Answers only by failing when the client aborts the request.
          fetch: (input, init) =>
            new Promise((_, reject) => {
              const signal = init?.signal ?? input.signal;
              signal.addEventListener("abort", () => reject(signal.reason), {
                once: true,
              });
            }),
        });
        const err = await rejection(
          client.embeddings.create({ model: "x", input: "a" }),
        );
        return [
          err instanceof lib.APIConnectionTimeoutError,
          err instanceof lib.APIError,
        ];
      });
      assert.deepEqual(sdk, [true, true]);
      assert.deepEqual(edge, sdk);
    },
  );

  test("an API error has the same status, code, param, type, error, requestID and headers", async () => {
    const [sdk, edge] = await both(async (lib) => {
      const client = new lib.AzureOpenAI({
        endpoint: server.url,
        apiKey: "switch-key",
        apiVersion: API_VERSION,
        maxRetries: 0,
      });
      const err = await rejection(
        client.chat.completions.create({
          ...chat,
          model: "no-such-deployment",
        }),
      );
      return {
        classes: [
          err instanceof lib.APIError,
          err instanceof lib.NotFoundError,
        ],
        status: err.status,
        code: err.code,
        param: err.param ?? undefined,
        type: err.type ?? undefined,
        error: err.error,
        // The SDK reads x-request-id, this package apim-request-id (the id Azure support asks
        // for): Azure sends both, with different values.
        requestID: ["apim-request-id", "x-request-id"].some((h) =>
          err.requestID === err.headers.get(h)
        ) && typeof err.requestID,
        headers: err.headers instanceof Headers,
      };
    });
    assert.deepEqual(sdk.classes, [true, true]);
    assert.equal(sdk.error.code, "DeploymentNotFound");
    assert.equal(sdk.requestID, "string");
    assert.deepEqual(edge, sdk);
  });

  test("a content filter refusal has the same error object (innererror with its filter results)", async () => {
    const filtered = createEmulator({
      apiKeys: ["switch-key"],
      contentFilterTrigger: "FORBIDDEN",
    });
    const [sdk, edge] = await both(async (lib) => {
      const client = new lib.AzureOpenAI({
        endpoint: "http://emulator.local",
        apiKey: "switch-key",
        apiVersion: API_VERSION,
        maxRetries: 0,
        fetch: (input, init) => filtered.fetch(new Request(input, init)),
      });
      const err = await rejection(
        client.chat.completions.create({
          ...chat,
          messages: [{ role: "user", content: "FORBIDDEN" }],
        }),
      );
      return {
        badRequest: err instanceof lib.BadRequestError,
        code: err.error?.code,
        filtered: err.error?.innererror?.content_filter_result !== undefined,
      };
    });
    assert.deepEqual(sdk, {
      badRequest: true,
      code: "content_filter",
      filtered: true,
    });
    assert.deepEqual(edge, sdk);
  });

  // Our results carry no _request_id (defining it on every result cost 3–4 points of per-call
  // overhead): the request id comes from withResponse(), alike in both.
  test("withResponse() gives data, response, request_id", async () => {
    const [sdk, edge] = await both(async ({ AzureOpenAI }) => {
      const client = new AzureOpenAI({
        endpoint: server.url,
        apiKey: "switch-key",
        apiVersion: API_VERSION,
        maxRetries: 0,
      });
      const { data, response, request_id } = await client.embeddings
        .create({ model: "text-embedding-3-small", input: "a" })
        .withResponse();
      return {
        keys: Object.keys(
          await client.chat.completions.create(chat).withResponse(),
        ).sort(),
        sameId: ["apim-request-id", "x-request-id"].some((h) =>
          request_id === response.headers.get(h)
        ),
        vectors: data.data.length,
      };
    });
    assert.deepEqual(sdk, {
      keys: ["data", "request_id", "response"],
      sameId: true,
      vectors: 1,
    });
    assert.deepEqual(edge, sdk);
  });

  test("a stream is read with for await and can be stopped with stream.controller.abort()", async () => {
    const [sdk, edge] = await both(async ({ AzureOpenAI }) => {
      const client = new AzureOpenAI({
        endpoint: server.url,
        apiKey: "switch-key",
        apiVersion: API_VERSION,
        maxRetries: 0,
      });
      const stream = await client.chat.completions.create({
        ...chat,
        stream: true,
      });
      let text = "";
      for await (const chunk of stream) {
        text += chunk.choices[0]?.delta?.content ?? "";
      }
      const second = await client.chat.completions.create({
        ...chat,
        stream: true,
      });
      second.controller.abort();
      return { text, aborted: second.controller.signal.aborted };
    });
    assert.deepEqual(sdk, { text: "You said: hello switch", aborted: true });
    assert.deepEqual(edge, sdk);
  });

  test("stream.tee() gives two streams that each read the whole reply", async () => {
    const [sdk, edge] = await both(async ({ AzureOpenAI }) => {
      const client = new AzureOpenAI({
        endpoint: server.url,
        apiKey: "switch-key",
        apiVersion: API_VERSION,
        maxRetries: 0,
      });
      const [left, right] = (await client.chat.completions.create({ ...chat, stream: true })).tee();
      const texts = ["", ""];
      for await (const chunk of left) {
        texts[0] += chunk.choices[0]?.delta?.content ?? "";
      }
      for await (const chunk of right) {
        texts[1] += chunk.choices[0]?.delta?.content ?? "";
      }
      return texts;
    });
    assert.deepEqual(sdk, ["You said: hello switch", "You said: hello switch"]);
    assert.deepEqual(edge, sdk);
  });

  // A server relays toReadableStream() and the page rebuilds the stream with the same library's
  // fromReadableStream() (the SDK's Stream from "openai/streaming", ours from the core). The wire
  // format differs (the SDK: JSON lines, ours: server-sent events), each reads its own back.
  test("toReadableStream() read back with fromReadableStream() gives the same chunks", async () => {
    const [sdk, edge] = await both(async (lib) => {
      const client = new lib.AzureOpenAI({
        endpoint: server.url,
        apiKey: "switch-key",
        apiVersion: API_VERSION,
        maxRetries: 0,
      });
      const stream = await client.chat.completions.create({
        ...chat,
        stream: true,
      });
      const relayed = new Response(stream.toReadableStream()); // what the server sends
      const Rebuilt = lib === openai ? SdkStream : lib.ChatCompletionStream;
      const controller = new AbortController();
      const again = Rebuilt.fromReadableStream(relayed.body, controller);
      let text = "";
      for await (const chunk of again) {
        text += chunk.choices[0]?.delta?.content ?? "";
      }
      return { text, controller: again.controller === controller };
    });
    assert.deepEqual(sdk, { text: "You said: hello switch", controller: true });
    assert.deepEqual(edge, sdk);
  });

  test("a second loop over a stream read to its end throws an OpenAIError", async () => {
    const [sdk, edge] = await both(async (lib) => {
      const client = new lib.AzureOpenAI({
        endpoint: server.url,
        apiKey: "switch-key",
        apiVersion: API_VERSION,
        maxRetries: 0,
      });
      const stream = await client.chat.completions.create({
        ...chat,
        stream: true,
      });
      let chunks = 0;
      for await (const _ of stream) chunks++;
      const err = await rejection((async () => {
        for await (const _ of stream) chunks = -1;
      })());
      return { read: chunks > 0, openAIError: err instanceof lib.OpenAIError };
    });
    assert.deepEqual(sdk, { read: true, openAIError: true });
    assert.deepEqual(edge, sdk);
  });

  // The SDK's branches (and its relay body) throw once the stream was read: they would miss the
  // chunks read before. Ours throws at tee() / toReadableStream(); both reject, neither reads.
  test("tee() after reading began or a second time, and a relay of a stream read, throw an OpenAIError", async () => {
    const [sdk, edge] = await both(async (lib) => {
      const client = new lib.AzureOpenAI({
        endpoint: server.url,
        apiKey: "switch-key",
        apiVersion: API_VERSION,
        maxRetries: 0,
      });
      const create = () => client.chat.completions.create({ ...chat, stream: true });
      const readBranch = (stream) =>
        rejection((async () => {
          const [branch] = stream.tee();
          for await (const _ of branch);
        })());
      const started = await create();
      await started[Symbol.asyncIterator]().next();
      const teed = await create();
      const [left, right] = teed.tee();
      let text = "";
      for await (const chunk of left) {
        text += chunk.choices[0]?.delta?.content ?? "";
      }
      for await (const _ of right);
      const looped = await create();
      for await (const _ of looped);
      const relay = await rejection((async () => {
        await new Response(looped.toReadableStream()).text();
      })());
      return {
        text,
        started: (await readBranch(started)) instanceof lib.OpenAIError,
        twice: (await readBranch(teed)) instanceof lib.OpenAIError,
        relay: relay instanceof lib.OpenAIError,
      };
    });
    assert.deepEqual(sdk, {
      text: "You said: hello switch",
      started: true,
      twice: true,
      relay: true,
    });
    assert.deepEqual(edge, sdk);
  });

  // asResponse() of a stream call that a loop read gives the read response, as the SDK's does
  // (ours threw TypeError "ReadableStream is locked" with streamIdleTimeoutMs); after
  // asResponse(), withResponse() gives that same response.
  test("asResponse() after a loop read the stream gives its response, the body used", async () => {
    const [sdk, edge] = await both(async ({ AzureOpenAI }) => {
      const client = new AzureOpenAI({
        endpoint: server.url,
        apiKey: "switch-key",
        apiVersion: API_VERSION,
        maxRetries: 0,
        streamIdleTimeoutMs: 60_000, // ours only: the SDK ignores it
      });
      const call = client.chat.completions.create({ ...chat, stream: true });
      let text = "";
      for await (const chunk of await call) {
        text += chunk.choices[0]?.delta?.content ?? "";
      }
      const response = await call.asResponse();
      const relayed = client.chat.completions.create({ ...chat, stream: true });
      const first = await relayed.asResponse();
      const same = (await relayed.withResponse()).response === first;
      return { text, status: response.status, used: response.bodyUsed, same };
    });
    assert.deepEqual(sdk, {
      text: "You said: hello switch",
      status: 200,
      used: true,
      same: true,
    });
    assert.deepEqual(edge, sdk);
  });

  // A stream's error payload: an APIError in both with the same code, type and error object.
  // Ours is the typed InternalServerError (status 500) for a server_error code or type; the SDK's
  // is a plain APIError without status.
  test("an `event: error` or data error in a stream throws an APIError with the same code, type and error", async () => {
    const error = { code: "server_error", message: "The server had an error" };
    // The n-th stream request gets an `event: error` block (even n) or a data one (odd n).
    const blocks = [
      `event: error\ndata: ${JSON.stringify({ error })}\n\n`,
      `data: ${JSON.stringify({ error })}\n\n`,
    ];
    let n = 0;
    const failing = await serve(() =>
      new Response(blocks[n++ % 2], {
        headers: { "content-type": "text/event-stream" },
      })
    );
    const [sdk, edge] = await both(async (lib) => {
      const client = new lib.AzureOpenAI({
        endpoint: failing.url,
        apiKey: "switch-key",
        apiVersion: API_VERSION,
        maxRetries: 0,
      });
      const seen = [];
      for (let i = 0; i < 2; i++) {
        const stream = await client.chat.completions.create({
          ...chat,
          stream: true,
        });
        const err = await rejection((async () => {
          for await (const _ of stream);
        })());
        seen.push({
          apiError: err instanceof lib.APIError,
          code: err.code,
          type: err.type,
          error: err.error,
          server: lib === openai ? undefined : err instanceof lib.InternalServerError,
        });
      }
      return seen;
    });
    await failing.close();
    const expected = {
      apiError: true,
      code: "server_error",
      type: undefined,
      error,
    };
    assert.deepEqual(
      sdk,
      [expected, expected].map((e) => ({ ...e, server: undefined })),
    );
    assert.deepEqual(
      edge,
      [expected, expected].map((e) => ({ ...e, server: true })),
    );
  });

  test("breaking out of for await cancels the HTTP body", async () => {
    const [sdk, edge] = await both(async ({ AzureOpenAI }) => {
      let cancelled = false;
      const client = new AzureOpenAI({
        endpoint: server.url,
        apiKey: "switch-key",
        apiVersion: API_VERSION,
        maxRetries: 0,
        // The real fetch, its body wrapped to see the cancel.
        fetch: async (input, init) => {
          const response = await fetch(input, init);
          const reader = response.body.getReader();
          const body = new ReadableStream({
            async pull(controller) {
              const { done, value } = await reader.read();
              if (done) controller.close();
              else controller.enqueue(value);
            },
            cancel(reason) {
              cancelled = true;
              return reader.cancel(reason);
            },
          }, { highWaterMark: 0 });
          return new Response(body, response);
        },
      });
      const stream = await client.chat.completions.create({
        ...chat,
        stream: true,
      });
      for await (const _ of stream) break;
      return cancelled;
    });
    assert.equal(sdk, true);
    assert.equal(edge, sdk);
  });

  // Documented difference (README "Switching from the openai SDK"): an abort during the loop ends
  // the SDK's loop quietly, as if the reply were whole; ours throws APIUserAbortError.
  test("stream.controller.abort() during the loop: the SDK's loop ends, ours throws APIUserAbortError", async () => {
    // Chunks 20 ms apart: the abort at the first chunk comes before the reply is whole.
    const slow = createEmulator({ apiKeys: ["switch-key"], chunkDelayMs: 20 });
    const slowServer = await serve((request) => slow.fetch(request));
    const [sdk, edge] = await both(async (lib) => {
      const client = new lib.AzureOpenAI({
        endpoint: slowServer.url,
        apiKey: "switch-key",
        apiVersion: API_VERSION,
        maxRetries: 0,
      });
      const stream = await client.chat.completions.create({
        ...chat,
        stream: true,
      });
      try {
        for await (const _ of stream) stream.controller.abort();
        return "ended";
      } catch (err) {
        return err instanceof lib.APIUserAbortError ? "APIUserAbortError" : String(err);
      }
    });
    await slowServer.close();
    assert.equal(sdk, "ended");
    assert.equal(edge, "APIUserAbortError");
  });
});
