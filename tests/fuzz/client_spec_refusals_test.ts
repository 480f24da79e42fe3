// The other half of client_spec_fuzz_test.ts: values the client documents refusing (its rule
// tables: the spec's ranges, required fields, MAX_SPEECH_INPUT, MAX_EMBEDDING_INPUTS) are
// refused before anything is sent, with a TypeError naming the param, on every spec version.
import assert from "node:assert/strict";
import { AzureOpenAI, MAX_EMBEDDING_INPUTS, MAX_SPEECH_INPUT } from "../../mod.ts";
import { SPEC_VERSIONS } from "../helpers/spec_schema.ts";

type Json = Record<string, unknown>;
const messages = [{ role: "user", content: "hi" }];
const file = new File([new Uint8Array(8)], "clip.wav");

/** [operation, base params, param, bad values] */
const CASES: [string, Json, string, unknown[]][] = [
  ["chat", { messages }, "temperature", [-0.001, 2.001, "1", NaN]],
  ["chat", { messages }, "top_p", [-0.001, 1.001]],
  ["chat", { messages }, "n", [0, 129, 1.5]],
  ["chat", { messages }, "top_logprobs", [-1, 21, 0.5]],
  ["chat", { messages }, "presence_penalty", [-2.001, 2.001]],
  ["chat", { messages }, "frequency_penalty", [-2.001, 2.001]],
  ["chat", {}, "messages", [undefined, [], "hi"]],
  ["chat", { messages: [{ content: "hi" }] }, "messages[0].role", [undefined]],
  ["completions", { prompt: "hi" }, "temperature", [2.001]],
  ["completions", { prompt: "hi" }, "top_p", [1.001]],
  ["completions", { prompt: "hi" }, "n", [0, 129]],
  ["completions", { prompt: "hi" }, "logprobs", [-1, 6]],
  ["completions", { prompt: "hi" }, "best_of", [-1, 129]],
  ["completions", {}, "prompt", [[], 5, { text: "hi" }]],
  ["embeddings", { input: "a" }, "dimensions", [0, 65537, 1.5]],
  [
    "embeddings",
    {},
    "input",
    ["", [], undefined, Array(MAX_EMBEDDING_INPUTS + 1).fill("a")],
  ],
  ["embeddings", {}, "input[1]", [["a", ""]]],
  ["images", {}, "prompt", ["", " \n", undefined, 5]],
  ["transcriptions", { file }, "temperature", [-0.001, 1.001]],
  ["transcriptions", { file }, "timestamp_granularities", ["word"]],
  ["transcriptions", {}, "file", [undefined, "clip.wav"]],
  ["transcriptions", { file: new Uint8Array(8) }, "filename", [undefined, ""]],
  ["translations", { file }, "temperature", [1.001]],
  ["translations", { file }, "stream", [true]],
  ["speech", { input: "hi", voice: "alloy" }, "speed", [0.249, 4.001]],
  [
    "speech",
    { voice: "alloy" },
    "input",
    ["", undefined, "🦊".repeat(MAX_SPEECH_INPUT + 1)],
  ],
  ["speech", { input: "hi" }, "voice", [undefined, ""]],
];

function call(client: AzureOpenAI, op: string, params: Json): Promise<unknown> {
  const p = params as never;
  switch (op) {
    case "chat":
      return client.chat.completions.create(p);
    case "completions":
      return client.completions.create(p);
    case "embeddings":
      return client.embeddings.create(p);
    case "images":
      return client.images.generate(p);
    case "transcriptions":
      return client.audio.transcriptions.create(p);
    case "translations":
      return client.audio.translations.create(p);
    default:
      return client.audio.speech.create(p);
  }
}

for (const version of SPEC_VERSIONS) {
  Deno.test(`client refuses the values it documents refusing, naming the param (${version})`, async () => {
    let sent = 0;
    const client = new AzureOpenAI({
      endpoint: "https://fuzz.openai.azure.com",
      apiKey: "sk-client-spec-refusals-01",
      apiVersion: version,
      deployment: "dep",
      fetch: () => (sent++, Promise.resolve(Response.json({}))),
    });
    let refused = 0;
    for (const [op, base, param, values] of CASES) {
      for (const value of values) {
        // A nested param (`input[1]`) takes the whole field, or the base's when undefined.
        const params = value === undefined && param.includes("[")
          ? base
          : { ...base, [param.split("[")[0]]: value };
        await assert.rejects(
          call(client, op, params),
          (err: Error) => err instanceof TypeError && err.message.includes(`params.${param} `),
          `${op} ${param} = ${JSON.stringify(value)?.slice(0, 40)}`,
        );
        refused++;
      }
    }
    assert.equal(sent, 0);
    assert.equal(refused, 59);
  });
}
