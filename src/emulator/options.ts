/**
 * Options of {@link createEmulator} and their normalisation.
 *
 * @module
 */

import type { EmulatorEntra } from "./entra.ts";

/**
 * What a deployment can do; derived from its `model` unless given.
 *
 * @example Serve embeddings from a model whose name does not say so
 * ```ts
 * import { createEmulator, type DeploymentKind } from "@aoai/edge/emulator";
 * const kind: DeploymentKind = "embeddings";
 * const emulator = createEmulator({
 *   deployments: [{ name: "embed", model: "custom-embedder", kind }],
 * });
 * console.log(emulator.deployments[0].kind); // embeddings
 * ```
 */
export type DeploymentKind =
  | "chat"
  | "completions"
  | "embeddings"
  | "images"
  | "transcription"
  | "speech";

/**
 * One emulated deployment: `name` is the path segment, `model` the underlying model.
 *
 * @example Call a deployment by its own name
 * ```ts
 * import { AzureOpenAI } from "@aoai/edge";
 * import { createEmulator, type EmulatorDeployment } from "@aoai/edge/emulator";
 * const deployment: EmulatorDeployment = { name: "prod-gpt4o", model: "gpt-4o" };
 * const emulator = createEmulator({ deployments: [deployment] });
 * const client = new AzureOpenAI({
 *   endpoint: "http://emulator.local",
 *   apiKey: emulator.apiKey,
 *   fetch: emulator.fetch,
 * });
 * const completion = await client.chat.completions.create({
 *   model: "prod-gpt4o",
 *   messages: [{ role: "user", content: "hi" }],
 * });
 * console.log(completion.model); // gpt-4o
 * ```
 */
export interface EmulatorDeployment {
  /** Deployment name, as in `/openai/deployments/{name}/…` or body `model` on v1 paths. */
  name: string;
  /** Model name, e.g. `gpt-4o`, `text-embedding-3-large`, `dall-e-3`, `whisper`, `tts-1`. */
  model: string;
  /** Overrides the kind derived from `model`. */
  kind?: DeploymentKind;
}

/**
 * A tool call the chat script asks for.
 *
 * @example Answer with a tool call
 * ```ts
 * import { AzureOpenAI } from "@aoai/edge";
 * import { createEmulator, type ScriptToolCall } from "@aoai/edge/emulator";
 * const call: ScriptToolCall = { name: "get_weather", arguments: { location: "Paris" } };
 * const emulator = createEmulator({ script: () => ({ toolCalls: [call] }) });
 * const client = new AzureOpenAI({
 *   endpoint: "http://emulator.local",
 *   apiKey: emulator.apiKey,
 *   fetch: emulator.fetch,
 * });
 * const completion = await client.chat.completions.create({
 *   model: "gpt-4o",
 *   messages: [{ role: "user", content: "What's the weather like in Paris today?" }],
 *   tools: [{ type: "function", function: { name: "get_weather", parameters: { type: "object" } } }],
 * });
 * const toolCall = completion.choices[0].message.tool_calls?.[0];
 * console.log(toolCall?.function.name, toolCall?.function.arguments); // get_weather {"location":"Paris"}
 * ```
 */
export interface ScriptToolCall {
  /** Function name; must be one of the request's tools. */
  name: string;
  /** Arguments as a JSON string or a value to serialise. */
  arguments?: string | Record<string, unknown>;
}

/**
 * What a script answers for one chat or completions request.
 *
 * @example A reply cut at the token limit
 * ```ts
 * import { AzureOpenAI } from "@aoai/edge";
 * import { createEmulator, type ScriptReply } from "@aoai/edge/emulator";
 * const reply: ScriptReply = { content: "Once upon a", finishReason: "length" };
 * const emulator = createEmulator({ script: () => reply });
 * const client = new AzureOpenAI({
 *   endpoint: "http://emulator.local",
 *   apiKey: emulator.apiKey,
 *   fetch: emulator.fetch,
 * });
 * const completion = await client.chat.completions.create({
 *   model: "gpt-4o",
 *   messages: [{ role: "user", content: "Tell me a story." }],
 *   max_tokens: 3,
 * });
 * console.log(completion.choices[0].finish_reason); // length
 * ```
 */
export interface ScriptReply {
  /** Reply text (chat `message.content`, completions `text`). */
  content?: string;
  /** Tool calls to return (chat only); used when the request passes `tools`. */
  toolCalls?: ScriptToolCall[];
  /** Forces a finish reason (`stop`, `length`, `tool_calls`, `content_filter`). */
  finishReason?: "stop" | "length" | "tool_calls" | "content_filter" | "function_call";
}

/**
 * What a script receives.
 *
 * @example Answer from the request
 * ```ts
 * import { AzureOpenAI } from "@aoai/edge";
 * import { createEmulator, type ScriptRequest } from "@aoai/edge/emulator";
 * const emulator = createEmulator({
 *   script: (req: ScriptRequest) => ({ content: `${req.model} heard: ${req.lastUserText}` }),
 * });
 * const client = new AzureOpenAI({
 *   endpoint: "http://emulator.local",
 *   apiKey: emulator.apiKey,
 *   fetch: emulator.fetch,
 * });
 * const completion = await client.chat.completions.create({
 *   model: "gpt-4o",
 *   messages: [{ role: "system", content: "Be brief." }, { role: "user", content: "Hello" }],
 * });
 * console.log(completion.choices[0].message.content); // gpt-4o heard: Hello
 * ```
 */
export interface ScriptRequest {
  /** `chat` for chat completions, `completions` for legacy completions. */
  operation: "chat" | "completions";
  /** The deployment name the request addressed. */
  deployment: string;
  /** The deployment's model. */
  model: string;
  /** The parsed JSON request body. */
  body: Record<string, unknown>;
  /** Text of the last `user` message (chat) or the prompt (completions, one per call). */
  lastUserText: string;
}

/**
 * A user-supplied reply generator. Returning `undefined` leaves the request to the emulator's
 * own reply (the echo, or JSON for a JSON `response_format`), so a script need only handle what
 * it cares about.
 *
 * @example Canned answers for a test, with an async script
 * ```ts
 * import { AzureOpenAI } from "@aoai/edge";
 * import { createEmulator, type EmulatorScript } from "@aoai/edge/emulator";
 * const answers: Record<string, string> = { "What is 2+2?": "4" };
 * const script: EmulatorScript = (req) =>
 *   Promise.resolve({ content: answers[req.lastUserText] ?? "I don't know." });
 * const emulator = createEmulator({ script });
 * const client = new AzureOpenAI({
 *   endpoint: "http://emulator.local",
 *   apiKey: emulator.apiKey,
 *   fetch: emulator.fetch,
 * });
 * const completion = await client.chat.completions.create({
 *   model: "gpt-4o",
 *   messages: [{ role: "user", content: "What is 2+2?" }],
 * });
 * console.log(completion.choices[0].message.content); // 4
 * ```
 */
export type EmulatorScript = (
  request: ScriptRequest,
) => ScriptReply | undefined | Promise<ScriptReply | undefined>;

/**
 * Per-deployment limits (applied to every deployment separately).
 *
 * @example One request a minute: the second one gets 429
 * ```ts
 * import { AzureOpenAI, RateLimitError } from "@aoai/edge";
 * import { createEmulator, type EmulatorRateLimits } from "@aoai/edge/emulator";
 * const rateLimits: EmulatorRateLimits = { requestsPerMinute: 1, tokensPerMinute: 1000 };
 * const emulator = createEmulator({ rateLimits });
 * const client = new AzureOpenAI({
 *   endpoint: "http://emulator.local",
 *   apiKey: emulator.apiKey,
 *   fetch: emulator.fetch,
 *   maxRetries: 0,
 * });
 * const input = { model: "text-embedding-3-small", input: "hello" };
 * await client.embeddings.create(input);
 * const err = await client.embeddings.create(input).catch((e) => e);
 * console.log(err instanceof RateLimitError, err.status, emulator.stats.rateLimited); // true 429 1
 * ```
 */
export interface EmulatorRateLimits {
  /** Requests accepted per sliding 60 s window. */
  requestsPerMinute?: number;
  /** Tokens (prompt + `max_tokens`) accepted per sliding 60 s window. */
  tokensPerMinute?: number;
}

/**
 * Injected failures.
 *
 * @example A stream that drops after two events
 * ```ts
 * import { APIConnectionError, AzureOpenAI } from "@aoai/edge";
 * import { createEmulator, type EmulatorFaults } from "@aoai/edge/emulator";
 * const faults: EmulatorFaults = { dropStreamAfterChunks: 2 };
 * const emulator = createEmulator({ faults });
 * const client = new AzureOpenAI({
 *   endpoint: "http://emulator.local",
 *   apiKey: emulator.apiKey,
 *   fetch: emulator.fetch,
 * });
 * const stream = await client.chat.completions.create({
 *   model: "gpt-4o",
 *   messages: [{ role: "user", content: "Count to ten." }],
 *   stream: true,
 * });
 * try {
 *   for await (const _chunk of stream);
 * } catch (err) {
 *   console.log(err instanceof APIConnectionError, emulator.stats.droppedStreams); // true 1
 * }
 * ```
 */
export interface EmulatorFaults {
  /** Delay before every response, in ms. */
  latencyMs?: number;
  /** Probability in [0, 1] that a request fails with `errorStatus` (uses `random`). */
  errorRate?: number;
  /** Status for `errorRate` failures: 500 (default) or 503 (or any 4xx/5xx: 400..599). */
  errorStatus?: number;
  /** Streams error out (connection drop) after this many SSE events. */
  dropStreamAfterChunks?: number;
  /** The SSE event with this 0-based index carries malformed JSON. */
  malformedChunkAt?: number;
  /** The next `count` requests fail with `status` (default 500). */
  failNext?: { count: number; status?: number };
  /** `retry-after-ms` of injected 429/503 failures (default 1000). */
  retryAfterMs?: number;
}

/**
 * A transcript generator for audio uploads.
 *
 * @example A transcript that names the upload
 * ```ts
 * import { AzureOpenAI } from "@aoai/edge";
 * import { createEmulator, type EmulatorTranscript } from "@aoai/edge/emulator";
 * const transcript: EmulatorTranscript = (file) => `${file.task}: ${file.name}, ${file.size} bytes`;
 * const emulator = createEmulator({ transcript });
 * const client = new AzureOpenAI({
 *   endpoint: "http://emulator.local",
 *   apiKey: emulator.apiKey,
 *   fetch: emulator.fetch,
 * });
 * const file = new File([new Uint8Array(16)], "memo.wav", { type: "audio/wav" });
 * const result = await client.audio.transcriptions.create({ model: "whisper", file });
 * console.log(result.text); // transcribe: memo.wav, 16 bytes
 * ```
 */
export type EmulatorTranscript =
  | string
  | ((
    file: { name: string; size: number; type: string; task: "transcribe" | "translate" },
  ) => string);

/**
 * Options of {@link createEmulator}; every field is optional.
 *
 * @example A fixed key, a scripted reply and bigger stream chunks
 * ```ts
 * import { AzureOpenAI } from "@aoai/edge";
 * import { createEmulator, type EmulatorOptions } from "@aoai/edge/emulator";
 * const options: EmulatorOptions = {
 *   apiKeys: ["test-key"],
 *   script: () => ({ content: "Hello! How can I help you today?" }),
 *   chunkSize: 4,
 * };
 * const emulator = createEmulator(options);
 * const client = new AzureOpenAI({
 *   endpoint: "http://emulator.local",
 *   apiKey: "test-key",
 *   fetch: emulator.fetch,
 * });
 * const completion = await client.chat.completions.create({
 *   model: "gpt-4o",
 *   messages: [{ role: "user", content: "hi" }],
 * });
 * console.log(completion.choices[0].message.content); // Hello! How can I help you today?
 * ```
 */
export interface EmulatorOptions {
  /**
   * Accepted keys (`api-key` header or `Authorization: Bearer`). Default: one random key. With
   * `disableLocalAuth` they are accepted only as bearer tokens, and only without `entra`.
   */
  apiKeys?: string[];
  /** Deployments. Default: gpt-4o, gpt-35-turbo-instruct, text-embedding-3-small, dall-e-3, whisper, tts. */
  deployments?: EmulatorDeployment[];
  /** Extra accepted `api-version` values besides the built-in list. */
  apiVersions?: string[];
  /**
   * Reply generator for chat and completions; default (and for what it returns `undefined`)
   * echoes the last user text.
   */
  script?: EmulatorScript;
  /** Content tokens per streamed chunk (default 1). */
  chunkSize?: number;
  /** Delay before each streamed chunk in ms (default 0). */
  chunkDelayMs?: number;
  /** A prompt containing this word gets a 400 `content_filter` (default `__content_filter__`). */
  contentFilterTrigger?: string;
  /** A reply containing this word is cut with `finish_reason: "content_filter"` (default `__filter_output__`). */
  contentFilterOutputTrigger?: string;
  /** Which error field names the 400 `content_filter` error uses (default `both`). */
  contentFilterErrorShape?: "service" | "spec" | "both";
  /** Rate limits per deployment. */
  rateLimits?: EmulatorRateLimits;
  /** Fault injection. */
  faults?: EmulatorFaults;
  /** `retry-after` seconds on non-final DALL-E 2 operation polls (default 1). */
  operationRetryAfter?: number;
  /** Non-final polls before an image operation succeeds (default 2: notRunning, running). */
  operationPolls?: number;
  /** Audio transcript (default derived from file name and size). */
  transcript?: EmulatorTranscript;
  /**
   * A Microsoft Entra ID token endpoint, so the client credentials flow can be tested offline:
   * `POST /{tenantId}/oauth2/v2.0/token` (form `grant_type=client_credentials`, `client_id`,
   * `client_secret`, `scope=https://cognitiveservices.azure.com/.default`) answers 200
   * `{ token_type: "Bearer", expires_in, ext_expires_in, access_token }`, and the OpenAI routes
   * accept that token as `Authorization: Bearer …` until it expires (by `now`; api keys still
   * work too, unless `disableLocalAuth`). Failures answer Entra's error body (`error`,
   * `error_description` starting with the AADSTS code, `error_codes`, `timestamp`, `trace_id`,
   * `correlation_id`, `error_uri`):
   * an unknown tenant 400 `invalid_tenant` (AADSTS90002), an unknown client 400
   * `unauthorized_client` (AADSTS700016), a missing secret 401 `invalid_client`
   * (AADSTS7000218), a wrong secret 401 `invalid_client` (AADSTS7000215). With `certificates`, a
   * signed client assertion (`client_assertion_type`, `client_assertion`) signs in too; refused
   * with 401 `invalid_client`: a certificate it does not know (AADSTS700027, "The certificate with
   * identifier used to sign the client assertion is not registered on application"), a signature
   * its key does not verify (AADSTS700027), `iss` / `sub` other than the client id
   * (AADSTS700021), `aud` other than the token URL (AADSTS700023), before `nbf` or after `exp`
   * (AADSTS700024), a JWT it cannot read (AADSTS50027); a missing or other
   * `client_assertion_type` 400 `invalid_request` (AADSTS900144). Another grant type 400
   * `unsupported_grant_type` (AADSTS70003), a scope without `/.default` 400 `invalid_scope`
   * (AADSTS1002012), another resource 400 `invalid_resource` (AADSTS500011), a missing
   * parameter 400 `invalid_request` (AADSTS900144), a method other than POST 400
   * `invalid_request` (AADSTS900561). Default: no token endpoint.
   */
  entra?: EmulatorEntra;
  /**
   * Emulates a resource with local (key) authentication disabled (`disableLocalAuth: true` on the
   * Azure resource): a request with an `api-key` header, right or wrong, is answered 403
   * `{"error":{"code":"AuthenticationTypeDisabled","message":"Key based authentication is
   * disabled for this resource."}}`, as the service answers it, and only bearer tokens are
   * accepted: with `entra`, only the tokens its endpoint issued; without it, `apiKeys` sent as
   * `Authorization: Bearer` stand in for Entra ID tokens. Default: false (keys work).
   */
  disableLocalAuth?: boolean;
  /**
   * The `x-ms-region` header of every answer, as Azure names the resource's region (default
   * `East US`); e.g. to tell apart two emulators behind a failover.
   */
  region?: string;
  /** Clock in ms since the epoch (default `Date.now`). */
  now?: () => number;
  /** Random source in [0, 1) for ids, keys of faults (default `Math.random`). */
  random?: () => number;
  /** Sleep used for latency and chunk delays (default `setTimeout`). */
  sleep?: (ms: number) => Promise<void>;
  /** Called when a client cancels a streaming response. */
  onStreamCancel?: (info: { requestId: string; deployment: string }) => void;
}

/** Options after defaults are applied. */
export interface NormalizedOptions {
  apiKeys: string[];
  deployments: Map<string, { name: string; model: string; kind: DeploymentKind }>;
  apiVersions: Set<string>;
  script?: EmulatorScript;
  chunkSize: number;
  chunkDelayMs: number;
  contentFilterTrigger: string;
  contentFilterOutputTrigger: string;
  contentFilterErrorShape: "service" | "spec" | "both";
  rateLimits: EmulatorRateLimits;
  faults: EmulatorFaults;
  operationRetryAfter: number;
  operationPolls: number;
  transcript?: EmulatorTranscript;
  entra?: EmulatorEntra;
  disableLocalAuth: boolean;
  region: string;
  now: () => number;
  random: () => number;
  sleep: (ms: number) => Promise<void>;
  onStreamCancel?: (info: { requestId: string; deployment: string }) => void;
}

/**
 * The deployments used when `options.deployments` is absent.
 *
 * @example Keep the defaults and add one
 * ```ts
 * import { createEmulator, DEFAULT_DEPLOYMENTS } from "@aoai/edge/emulator";
 * const emulator = createEmulator({
 *   deployments: [...DEFAULT_DEPLOYMENTS, { name: "gpt-4o-mini", model: "gpt-4o-mini" }],
 * });
 * console.log(DEFAULT_DEPLOYMENTS.length, emulator.deployments.length); // 6 7
 * ```
 */
export const DEFAULT_DEPLOYMENTS: readonly EmulatorDeployment[] = [
  { name: "gpt-4o", model: "gpt-4o" },
  { name: "gpt-35-turbo-instruct", model: "gpt-35-turbo-instruct" },
  { name: "text-embedding-3-small", model: "text-embedding-3-small" },
  { name: "dall-e-3", model: "dall-e-3" },
  { name: "whisper", model: "whisper" },
  { name: "tts", model: "tts" },
];

/**
 * The `api-version` values the emulator accepts on deployment paths.
 * Later GA and preview versions can be added with `options.apiVersions`.
 *
 * @example Check a version, and accept one more
 * ```ts
 * import { createEmulator, KNOWN_API_VERSIONS } from "@aoai/edge/emulator";
 * console.log(KNOWN_API_VERSIONS.includes("2024-10-21")); // true
 * const emulator = createEmulator({ apiVersions: ["2025-05-01-preview"] });
 * const path = "/openai/deployments/text-embedding-3-small/embeddings";
 * const res = await emulator.fetch(
 *   `http://emulator.local${path}?api-version=2025-05-01-preview`,
 *   {
 *     method: "POST",
 *     headers: { "api-key": emulator.apiKey, "content-type": "application/json" },
 *     body: JSON.stringify({ input: "hello" }),
 *   },
 * );
 * console.log(res.status); // 200
 * ```
 */
export const KNOWN_API_VERSIONS: readonly string[] = [
  "2022-12-01",
  "2023-03-15-preview",
  "2023-05-15",
  "2023-06-01-preview",
  "2023-07-01-preview",
  "2023-08-01-preview",
  "2023-09-01-preview",
  "2023-10-01-preview",
  "2023-12-01-preview",
  "2024-02-01",
  "2024-02-15-preview",
  "2024-03-01-preview",
  "2024-04-01-preview",
  "2024-05-01-preview",
  "2024-06-01",
  "2024-07-01-preview",
  "2024-08-01-preview",
  "2024-09-01-preview",
  "2024-10-01-preview",
  "2024-10-21",
  "2024-12-01-preview",
  "2025-01-01-preview",
  "2025-02-01-preview",
  "2025-03-01-preview",
  "2025-04-01-preview",
];

/**
 * Derives what a model does from its name.
 *
 * @example Kinds of a few model names
 * ```ts
 * import { kindOfModel } from "@aoai/edge/emulator";
 * console.log(kindOfModel("gpt-4o-mini"), kindOfModel("text-embedding-ada-002")); // chat embeddings
 * console.log(kindOfModel("dall-e-3"), kindOfModel("whisper")); // images transcription
 * ```
 */
export function kindOfModel(model: string): DeploymentKind {
  const m = model.toLowerCase();
  if (m.includes("embedding")) return "embeddings";
  if (m.startsWith("dall-e") || m.startsWith("gpt-image")) return "images";
  if (m.startsWith("whisper") || m.includes("transcribe")) return "transcription";
  // gpt-4o-mini-tts is text to speech, as tts and tts-hd are.
  if (m.startsWith("tts") || m.includes("-tts")) return "speech";
  if (m.includes("instruct") || m.startsWith("davinci") || m.startsWith("babbage")) {
    return "completions";
  }
  return "chat";
}

function randomKey(): string {
  const bytes = new Uint8Array(16);
  try {
    crypto.getRandomValues(bytes);
  } catch {
    // Workers refuse random values at global scope; a Math.random key is fine for a local emulator.
    for (let i = 0; i < bytes.length; i++) bytes[i] = Math.floor(Math.random() * 256);
  }
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

function defaultSleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Throws a TypeError naming `name` unless `value` is undefined or a finite number from `min` to
 * `max` (a whole one if `whole`). NaN and Infinity fail too.
 */
export function checkRange(
  name: string,
  value: number | undefined,
  min: number,
  max = Infinity,
  whole = false,
): void {
  if (
    value !== undefined &&
    !(Number[whole ? "isInteger" : "isFinite"](value) && value >= min && value <= max)
  ) {
    throw new TypeError(
      `${name} must be a ${whole ? "whole " : ""}number ${
        max < Infinity ? `from ${min} to ${max}` : `>= ${min}`
      }, got ${value}`,
    );
  }
}

const OPT = "createEmulator(): options.";

/**
 * Throws a TypeError naming `prefix` + the field unless every value of `faults` is in range;
 * shared by createEmulator() and emulator.setFaults(), so both refuse the same values.
 */
export function checkFaults(F: string, faults: EmulatorFaults): void {
  checkRange(F + "errorRate", faults.errorRate, 0, 1);
  checkRange(F + "errorStatus", faults.errorStatus, 400, 599, true);
  checkRange(F + "failNext.status", faults.failNext?.status, 400, 599, true);
  checkRange(F + "failNext.count", faults.failNext?.count, 0, Infinity, true);
  for (const key of ["latencyMs", "retryAfterMs"] as const) checkRange(F + key, faults[key], 0);
  for (const key of ["dropStreamAfterChunks", "malformedChunkAt"] as const) {
    checkRange(F + key, faults[key], 0, Infinity, true);
  }
}

function nonNegative(name: string, value: number | undefined, fallback: number, whole = false) {
  checkRange(OPT + name, value, 0, Infinity, whole);
  return value ?? fallback;
}

/** Applies defaults and checks option values; throws a TypeError naming the bad option. */
export function normalizeOptions(options: EmulatorOptions = {}): NormalizedOptions {
  const apiKeys = options.apiKeys ?? [randomKey()];
  if (apiKeys.length === 0 || apiKeys.some((k) => typeof k !== "string" || k === "")) {
    throw new TypeError("createEmulator(): options.apiKeys must list at least one non-empty key");
  }
  const deployments = new Map<string, { name: string; model: string; kind: DeploymentKind }>();
  for (const d of options.deployments ?? DEFAULT_DEPLOYMENTS) {
    if (!d.name || !d.model) {
      throw new TypeError("createEmulator(): each deployment needs a non-empty name and model");
    }
    deployments.set(d.name, { name: d.name, model: d.model, kind: d.kind ?? kindOfModel(d.model) });
  }
  if (options.disableLocalAuth !== undefined && typeof options.disableLocalAuth !== "boolean") {
    throw new TypeError("createEmulator(): options.disableLocalAuth must be a boolean");
  }
  const region = options.region ?? "East US";
  // Printable ASCII, words separated by single spaces: what a header value carries as sent.
  if (typeof region !== "string" || !/^[!-~]+( [!-~]+)*$/.test(region)) {
    throw new TypeError(
      `${OPT}region must be a region name such as "East US" (printable ASCII, no leading or trailing space)`,
    );
  }
  checkRange(OPT + "chunkSize", options.chunkSize, 1, Infinity, true);
  const { requestsPerMinute, tokensPerMinute } = options.rateLimits ?? {};
  checkRange(OPT + "rateLimits.requestsPerMinute", requestsPerMinute, 0, Infinity, true);
  checkRange(OPT + "rateLimits.tokensPerMinute", tokensPerMinute, 0, Infinity, true);
  checkFaults(OPT + "faults.", options.faults ?? {});
  return {
    apiKeys,
    deployments,
    apiVersions: new Set([...KNOWN_API_VERSIONS, ...(options.apiVersions ?? [])]),
    script: options.script,
    chunkSize: options.chunkSize ?? 1,
    chunkDelayMs: nonNegative("chunkDelayMs", options.chunkDelayMs, 0),
    contentFilterTrigger: options.contentFilterTrigger ?? "__content_filter__",
    contentFilterOutputTrigger: options.contentFilterOutputTrigger ?? "__filter_output__",
    contentFilterErrorShape: options.contentFilterErrorShape ?? "both",
    rateLimits: { ...options.rateLimits },
    faults: { ...options.faults },
    operationRetryAfter: nonNegative("operationRetryAfter", options.operationRetryAfter, 1),
    operationPolls: nonNegative("operationPolls", options.operationPolls, 2, true),
    transcript: options.transcript,
    entra: options.entra,
    disableLocalAuth: options.disableLocalAuth ?? false,
    region,
    now: options.now ?? Date.now,
    random: options.random ?? Math.random,
    sleep: options.sleep ?? defaultSleep,
    onStreamCancel: options.onStreamCancel,
  };
}
