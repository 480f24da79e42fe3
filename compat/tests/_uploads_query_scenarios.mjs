// Runtime matrix, the session's core additions: audio uploads from a fetched Response, a
// `new Response(bytes)`, an async generator, `toFile(...)` (and, where the runtime has node:fs, an
// fs.ReadStream), `defaultQuery` with a call's `query`, and `withOptions({ defaultHeaders })` on a
// derived client, with the bundled core (compat/.build/core.mjs) against the emulator bundle. Runs
// the same on Node, Bun, workerd and Chromium (runtime_*_uploads_query.test.mjs); no node:
// imports here. The server of createHandler() answers uploads with a transcript naming the file
// as it arrived ("name size type") and reports the query and x-matrix-* headers it saw at /seen.

import { runAll, wavBytes } from "../runtime/scenarios.mjs";

export const API_KEY = "uploads-query-key";
const API_VERSION = "2024-10-21";
/** 1 s of 24 kHz 16-bit mono silence. */
const WAV = wavBytes(1);
const SIZE = WAV.length;
const OCTETS = "application/octet-stream";
const EMBED = { model: "text-embedding-3-small", input: "matrix", dimensions: 4 };

function check(condition, message) {
  if (!condition) throw new Error(message);
}

/**
 * The file part of a multipart body as the client wrote it: `filename` and `content-type` read
 * from its part headers (not through the server runtime's formData(), which on Bun replaces a
 * part's type with one guessed from its filename).
 */
function filePart(bytes) {
  const text = new TextDecoder("latin1").decode(bytes);
  const head = text.match(/\r\n(content-disposition: form-data; name="file"[^]*?)\r\n\r\n/i)?.[1];
  return head &&
    `${head.match(/filename="([^"]*)"/)?.[1]} ${head.match(/\r\ncontent-type: *([^\r]*)/i)?.[1]}`;
}

/**
 * The test server's `fetch(request)` over an emulator made with `createEmulator` (the bundle's):
 * GET /media/<name> answers the WAV bytes, GET /seen answers (and forgets) what the emulator's
 * requests carried since the last /seen (query, x-matrix-* headers, a multipart upload's file
 * part as written); everything else goes to the emulator, whose transcript of an upload is the
 * file's "name size" as it parsed them.
 */
export function createHandler(createEmulator) {
  const emulator = createEmulator({
    apiKeys: [API_KEY],
    transcript: (file) => `${file.name} ${file.size}`,
  });
  const seen = [];
  return async (request) => {
    const url = new URL(request.url);
    if (url.pathname.startsWith("/media/")) {
      return new Response(WAV, { headers: { "content-type": "audio/wav" } });
    }
    if (url.pathname === "/seen") return Response.json(seen.splice(0));
    const entry = {
      query: [...url.searchParams].map((pair) => pair.join("=")).sort(),
      headers: [...request.headers].filter(([name]) => name.startsWith("x-matrix-"))
        .map((pair) => pair.join(": ")).sort(),
    };
    seen.push(entry);
    if (!request.headers.get("content-type")?.startsWith("multipart/")) {
      return emulator.fetch(request);
    }
    const body = new Uint8Array(await request.arrayBuffer());
    entry.part = filePart(body);
    return emulator.fetch(
      new Request(request.url, { method: "POST", headers: request.headers, body }),
    );
  };
}

/** The bytes in three chunks, as a stream of a file hands them out. */
async function* chunks() {
  yield WAV.subarray(0, 1000);
  yield WAV.subarray(1000, 30_000);
  yield WAV.subarray(30_000);
}

const UPLOADS = [
  ["a fetched Response (named by its URL)", ({ media }) => fetch(media("fetched.wav")), null, [
    "fetched.wav",
    OCTETS,
  ]],
  ["new Response(bytes) with filename", () => new Response(WAV), "bytes.wav", [
    "bytes.wav",
    OCTETS,
  ]],
  ["an async generator with filename", () => chunks(), "generated.wav", [
    "generated.wav",
    OCTETS,
  ]],
  [
    'toFile(bytes, "to-file.wav", { type: "audio/wav" })',
    ({ core }) => core.toFile(WAV, "to-file.wav", { type: "audio/wav" }),
    null,
    ["to-file.wav", "audio/wav"],
  ],
  [
    "toFile(await fetch(url))",
    async ({ core, media }) => core.toFile(await fetch(media("fetched-to-file.wav"))),
    null,
    ["fetched-to-file.wav", OCTETS],
  ],
  [
    'toFile(an async generator, "gen-to-file.wav")',
    ({ core }) => core.toFile(chunks(), "gen-to-file.wav"),
    null,
    ["gen-to-file.wav", OCTETS],
  ],
];

/** Uploads of a Node-style fs.ReadStream of a file named `matrix.wav` (`readStream()`). */
const READ_STREAM_UPLOADS = [
  ["fs.createReadStream(path) (named by its path)", ({ readStream }) => readStream(), null, [
    "matrix.wav",
    OCTETS,
  ]],
  [
    "toFile(fs.createReadStream(path))",
    ({ core, readStream }) => core.toFile(readStream()),
    null,
    ["matrix.wav", OCTETS],
  ],
];

const upload = ([what, file, filename, [name, type]]) => [
  `audio.transcriptions.create() uploads ${what}`,
  async (env) => {
    await env.seen();
    const res = await env.client().audio.transcriptions.create({
      model: "whisper",
      file: await file(env),
      ...(filename ? { filename } : {}),
    });
    check(res.text === `${name} ${SIZE}`, `the server got "${res.text}", not "${name} ${SIZE}"`);
    const sent = (await env.seen()).map((r) => r.part);
    const want = `${name} ${type}`;
    check(sent.length === 1 && sent[0] === want, `the client wrote ${sent}, not "${want}"`);
  },
];

const CALLS = [
  [
    "defaultQuery and a call's query reach the server, the call's winning",
    async ({ client, seen }) => {
      await seen();
      const c = client({ defaultQuery: { gw: "matrix", keep: "1", gone: undefined } });
      await c.embeddings.create(EMBED);
      await c.embeddings.create(EMBED, { query: { gw: "call", extra: "x y", keep: undefined } });
      const got = JSON.stringify((await seen()).map((r) => r.query));
      const want = JSON.stringify([
        [`api-version=${API_VERSION}`, "gw=matrix", "keep=1"],
        [`api-version=${API_VERSION}`, "extra=x y", "gw=call"],
      ]);
      check(got === want, `the server saw ${got}, not ${want}`);
    },
  ],
  [
    "withOptions({ defaultHeaders }): the derived client sends its headers, keeps the rest; " +
    "the first one is unchanged",
    async ({ client, seen }) => {
      await seen();
      const base = client({
        defaultHeaders: { "x-matrix-base": "1" },
        defaultQuery: { gw: "base" },
      });
      const derived = base.withOptions({ defaultHeaders: { "x-matrix-derived": "2" } });
      await derived.embeddings.create(EMBED);
      await base.embeddings.create(EMBED);
      const got = JSON.stringify(await seen());
      const query = [`api-version=${API_VERSION}`, "gw=base"];
      const want = JSON.stringify([
        { query, headers: ["x-matrix-derived: 2"] },
        { query, headers: ["x-matrix-base: 1"] },
      ]);
      check(got === want, `the server saw ${got}, not ${want}`);
    },
  ],
];

const scenarios = (readStreams) => [
  ...UPLOADS.map(upload),
  ...(readStreams ? READ_STREAM_UPLOADS.map(upload) : []),
  ...CALLS,
];

/** Names of the scenarios (with the fs.ReadStream ones or not), in the order they report. */
export const uploadQueryScenarioNames = (readStreams) =>
  scenarios(readStreams).map(([name]) => name);

/**
 * Runs every scenario against the server of {@link createHandler} at `endpoint`; never throws.
 * Resolves to one `{ name, ok, error? }` per scenario. `core` is the bundled core; `readStream`,
 * where the runtime has node:fs, opens an fs.ReadStream of a WAV file named matrix.wav.
 */
export async function runUploadQueryScenarios({ core, endpoint, readStream }) {
  const env = {
    core,
    readStream,
    client: (options) =>
      new core.AzureOpenAI({
        endpoint,
        apiKey: API_KEY,
        apiVersion: API_VERSION,
        maxRetries: 0,
        ...options,
      }),
    media: (name) => `${endpoint}/media/${name}`,
    seen: async () => (await fetch(`${endpoint}/seen`)).json(),
  };
  return await runAll(scenarios(!!readStream), env);
}

/** The WAV bytes behind every upload (for a file that fs.createReadStream reads). */
export const MATRIX_WAV = WAV;
