// Spec-driven acceptance fuzz of the client: for each operation and spec version, seeded request
// bodies valid against that version's request schema (client_spec_gen.ts, checked with
// validateRequestBody) are sent through the client (apiVersion = that version) to a fetch that
// records them and answers a canned 200. The client must send each one, and send it as given:
// the JSON equals the params minus `model` (the deployment goes in the path), plus what it
// documents adding (embeddings' `encoding_format: "base64"` from 2024-05-01 on, speech's `model`);
// an audio form carries each field as the spec names it. A few spec-valid values the client
// documents refusing (they are listed in `documented()`) must be refused naming the param, with
// nothing sent.
import assert from "node:assert/strict";
import { AzureOpenAI } from "../../mod.ts";
import { SPEC_VERSIONS, validateRequestBody } from "../helpers/spec_schema.ts";
import { SpecGen } from "./client_spec_gen.ts";

const KEY = "sk-client-spec-fuzz-0001";
const DEPLOYMENT = "dep";

type Json = Record<string, unknown>;
interface Sent {
  path: string;
  json?: unknown;
  form?: FormData;
}

/** A client whose fetch records each request and answers a canned 200 of the operation's shape. */
function recordingClient(apiVersion: string) {
  const sent: Sent[] = [];
  const client = new AzureOpenAI({
    endpoint: "https://fuzz.openai.azure.com",
    apiKey: KEY,
    apiVersion,
    deployment: DEPLOYMENT,
    maxRetries: 0,
    fetch: async (input, init) => {
      const request = new Request(input, init);
      const path = new URL(request.url).pathname;
      const type = request.headers.get("content-type") ?? "";
      sent.push({
        path,
        ...type.startsWith("application/json")
          ? { json: await request.json() }
          : { form: await request.formData() },
      });
      if (request.headers.get("accept") === "text/event-stream") {
        return new Response("data: [DONE]\n\n", {
          headers: { "content-type": "text/event-stream" },
        });
      }
      if (path.endsWith("/audio/speech")) return new Response(new Uint8Array([1, 2, 3]));
      if (path.includes("/audio/")) {
        return request.headers.get("accept")?.startsWith("text/plain")
          ? new Response("hello", { headers: { "content-type": "text/plain" } })
          : Response.json({ text: "hello" });
      }
      if (path.endsWith("/embeddings")) {
        return Response.json({
          object: "list",
          model: "m",
          data: [{ object: "embedding", index: 0, embedding: [0.5] }],
          usage: { prompt_tokens: 1, total_tokens: 1 },
        });
      }
      if (path.endsWith("/images/generations")) {
        return Response.json({ created: 0, data: [{ url: "https://fuzz.example/a.png" }] });
      }
      return Response.json({
        id: "x",
        object: "chat.completion",
        created: 0,
        model: "m",
        choices: [],
      });
    },
  });
  return { client, sent };
}

interface Op {
  name: string;
  /** The spec path template. */
  path: string;
  contentType?: string;
  /** Samples per spec version. */
  count: number;
  /** Calls the client; resolves when the answer is read. */
  run: (client: AzureOpenAI, params: Json) => Promise<unknown>;
}

const multipart = "multipart/form-data";
const OPS: Op[] = [
  {
    name: "chat.completions.create",
    path: "/deployments/{deployment-id}/chat/completions",
    count: 90,
    run: async (client, params) => {
      const res = await client.chat.completions.create(params as never);
      if (params.stream === true) { for await (const _ of res as AsyncIterable<unknown>); }
    },
  },
  {
    name: "completions.create",
    path: "/deployments/{deployment-id}/completions",
    count: 60,
    run: async (client, params) => {
      const res = await client.completions.create(params as never);
      if (params.stream === true) { for await (const _ of res as AsyncIterable<unknown>); }
    },
  },
  {
    name: "embeddings.create",
    path: "/deployments/{deployment-id}/embeddings",
    count: 40,
    run: (client, params) => client.embeddings.create(params as never),
  },
  {
    name: "images.generate",
    path: "/deployments/{deployment-id}/images/generations",
    count: 40,
    run: (client, params) => client.images.generate(params as never),
  },
  {
    name: "audio.transcriptions.create",
    path: "/deployments/{deployment-id}/audio/transcriptions",
    contentType: multipart,
    count: 30,
    run: (client, params) => client.audio.transcriptions.create(params as never),
  },
  {
    name: "audio.translations.create",
    path: "/deployments/{deployment-id}/audio/translations",
    contentType: multipart,
    count: 30,
    run: (client, params) => client.audio.translations.create(params as never),
  },
  {
    name: "audio.speech.create",
    // Declared as multipart in 2024-05-01-preview (the only version with it); sent as JSON.
    path: "/deployments/{deployment-id}/audio/speech",
    contentType: multipart,
    count: 30,
    run: async (client, params) => {
      await (await client.audio.speech.create(params as never)).arrayBuffer();
    },
  },
];

/**
 * The param a spec-valid body has that the client documents refusing, if any: an empty
 * embeddings input or speech input (the service has nothing to embed or say), a `null`
 * embeddings input (2024-10-21 marks the string branch nullable), an empty completions prompt list.
 */
function documented(op: string, body: Json): string | undefined {
  if (op === "embeddings.create" && (body.input === "" || body.input === null)) return "input";
  if (op === "audio.speech.create" && body.input === "") return "input";
  if (op === "completions.create" && Array.isArray(body.prompt) && !body.prompt.length) {
    return "prompt";
  }
}

/** An audio body's spec fields (`name[]` for arrays) as the client's params, with a file. */
function audioParams(body: Json, gen: SpecGen): Json {
  const params: Json = {};
  for (const [k, v] of Object.entries(body)) params[k.replace(/\[\]$/, "")] = v;
  const bytes = new Uint8Array([82, 73, 70, 70, 0, 1, 2, 3]);
  const name = gen.turn("file", ["File", "bytes", "blob"]);
  params.file = name === "File"
    ? new File([bytes], "clip.wav")
    : name === "bytes"
    ? bytes
    : new Blob([bytes], { type: "audio/wav" });
  if (name !== "File") params.filename = "clip.wav";
  return params;
}

/**
 * The form fields (but the file) an audio body's spec fields make: each array item by its name
 * (an empty array has no form encoding: no field).
 */
function expectedForm(body: Json): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [k, v] of Object.entries(body)) {
    if (k === "file" || v == null || (Array.isArray(v) && !v.length)) continue;
    out[k] = Array.isArray(v) ? v.map(String) : [String(v)];
  }
  return out;
}

function formFields(form: FormData): [Record<string, string[]>, File | undefined] {
  const out: Record<string, string[]> = {};
  let file: File | undefined;
  for (const [k, v] of form) {
    if (k === "file") file = v as File;
    else (out[k] ??= []).push(v as string);
  }
  return [out, file];
}

/** Counts per op and version, printed once at the end. */
const tally: string[] = [];

for (const version of SPEC_VERSIONS) {
  Deno.test(`client sends every spec-valid ${version} request as given`, async () => {
    const { client, sent } = recordingClient(version);
    for (const [index, op] of OPS.entries()) {
      let gen: SpecGen;
      try {
        gen = new SpecGen(version, 1000 + index);
        gen.requestSchema(op.path, op.contentType);
        gen.borrowBounds(op.path, SPEC_VERSIONS, op.contentType);
      } catch {
        continue; // the version has no such operation (speech before 2024-05-01-preview)
      }
      let sentCount = 0, refused = 0, redrawn = 0;
      for (let i = 0; i < op.count; i++) {
        // The validator takes no oneOf of discriminated subtypes but one (On Your Data's
        // authentication: the subtype without required fields matches every object of the base,
        // so another branch matches twice): such a sample is drawn again (the branches turn).
        let body: Json = {}, errors: string[] = ["none drawn"];
        for (let tries = 0; errors.length && tries < 40; tries++, redrawn++) {
          body = gen.value(gen.requestSchema(op.path, op.contentType), op.name) as Json;
          errors = validateRequestBody(version, op.path, "POST", body, op.contentType);
        }
        redrawn--;
        assert.deepEqual(
          errors,
          [],
          `${op.name} sample ${i} is not spec-valid: ${JSON.stringify(body)}`,
        );
        const audio = op.path.includes("/audio/") && !op.path.endsWith("/speech");
        const params = audio ? audioParams(body, gen) : { ...body };
        // params.model names the deployment, and is not sent on deployment routes.
        const deployment = gen.chance(0.5) ? (params.model = "fuzz-dep") : DEPLOYMENT;
        const label = `${version} ${op.name} #${i} ${JSON.stringify(body).slice(0, 400)}`;
        const before = sent.length;
        const bad = documented(op.name, body);
        if (bad) {
          await assert.rejects(
            op.run(client, params),
            (err: Error) => err instanceof TypeError && err.message.includes(`params.${bad} `),
            label,
          );
          assert.equal(sent.length, before, `${label}: sent though refused`);
          refused++;
          continue;
        }
        try {
          await op.run(client, params);
        } catch (err) {
          assert.fail(`${label}: the client refused or failed: ${err}`);
        }
        assert.equal(sent.length, before + 1, label);
        const request = sent[before];
        assert.equal(
          request.path,
          `/openai/deployments/${deployment}/${op.path.split("}/")[1]}`,
          label,
        );
        if (audio) {
          const [fields, file] = formFields(request.form!);
          assert.deepEqual(fields, expectedForm(body), label);
          assert.equal(file?.name, "clip.wav", label);
          assert.equal(file?.size, 8, label);
        } else {
          const expected: Json = structuredClone(body);
          if (op.name === "audio.speech.create") expected.model = deployment;
          if (
            op.name === "embeddings.create" && version !== "2024-02-01" &&
            body.encoding_format == null
          ) expected.encoding_format = "base64";
          assert.deepEqual(request.json, expected, label);
        }
        sentCount++;
      }
      tally.push(
        `${version} ${op.name}: ${op.count} generated, ${sentCount} sent as given, ${refused} refused as documented, ${redrawn} redrawn`,
      );
      assert.ok(sentCount >= op.count / 2, `${version} ${op.name}: only ${sentCount} sent`);
    }
  });
}

Deno.test("client spec fuzz counts", () => {
  console.log(tally.join("\n"));
  assert.ok(tally.length >= 19, tally.join("\n"));
});
