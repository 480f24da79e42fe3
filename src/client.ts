import { ClientCore, INHERITED_AUTH } from "./_internal/core.ts";
import { unlinkOnEnd } from "./_internal/on_body_end.ts";
import { isRecord } from "./errors/_is_record.ts";
import type { TokenProvider } from "./auth/token_cache.ts";
import type { AzureOpenAIOptions, RequestOptions } from "./options.ts";
import { Audio } from "./resources/audio.ts";
import { Chat } from "./resources/chat.ts";
import { Completions } from "./resources/completions.ts";
import { Embeddings } from "./resources/embeddings.ts";
import { Images } from "./resources/images.ts";

/**
 * The credential options and this client's auth layer made of them: one given to withOptions()
 * replaces them all.
 */
const CREDENTIALS = [INHERITED_AUTH, "apiKey", "token", "tokenProvider", "azureADTokenProvider"];

/**
 * What {@link AzureOpenAI.request} sends.
 *
 * @example Embed a text through the raw route
 * ```ts
 * import { AzureOpenAI, type RawRequestInit } from "@aoai/edge";
 * import { createEmulator } from "@aoai/edge/emulator";
 * const emulator = createEmulator(); // a local stand-in for your resource
 * const client = new AzureOpenAI({
 *   endpoint: "http://emulator.local",
 *   apiKey: emulator.apiKey,
 *   fetch: emulator.fetch,
 * });
 * const init: RawRequestInit = {
 *   path: "embeddings",
 *   deployment: "text-embedding-3-small",
 *   json: { input: "The food was delicious and the waiter was friendly." },
 * };
 * const res = await client.request(init);
 * console.log(res.status, (await res.json()).data.length); // 200 1
 * ```
 */
export interface RawRequestInit {
  /** Operation path after `/openai/deployments/{deployment}/` or `/openai/`, e.g. `embeddings`. */
  path: string;
  /** Deployment; makes the call deployment-scoped (on the v1 API: the JSON or form `model`). */
  deployment?: string;
  /** HTTP method (default POST with a body, GET without). */
  method?: "GET" | "POST" | "DELETE";
  /** A JSON body (serialised, content-type set). */
  json?: unknown;
  /** A ready body, e.g. FormData or bytes. */
  body?: BodyInit | null;
  /** Content type of `body`. */
  contentType?: string;
  /** The `accept` header (default application/json). */
  accept?: string;
  /** True when the response is a stream that must not be buffered. */
  stream?: boolean;
  /** Operation id for middleware and messages (default `request {path}`). */
  operation?: string;
  /** Parsed params for middleware (default: `json`). */
  params?: unknown;
}

/**
 * The Azure OpenAI client: fetch-only, no Node dependencies. Resources mirror the official
 * `openai` SDK (`chat.completions`, `completions`, `embeddings`, `images`, `audio`).
 *
 * @example Chat with an api-key
 * ```ts
 * import { AzureOpenAI } from "@aoai/edge";
 * const client = new AzureOpenAI({
 *   endpoint: "https://my-res.openai.azure.com",
 *   apiKey: "<key>",
 *   deployment: "gpt-4o",
 * });
 * console.log(client.apiVersion); // "2024-10-21"
 * ```
 */
export class AzureOpenAI {
  /** Chat completions. */
  declare readonly chat: Chat;
  /** Legacy text completions. */
  declare readonly completions: Completions;
  /** Embeddings. */
  declare readonly embeddings: Embeddings;
  /** Images (DALL-E 3 and the DALL-E 2 async operations). */
  declare readonly images: Images;
  /** Audio: transcriptions, translations, speech. */
  declare readonly audio: Audio;
  #core: ClientCore;
  /** The options as given (withOptions() merges over them). */
  #options: ConstructorParameters<typeof AzureOpenAI>[0];

  /**
   * Validates the options (throws a TypeError that says what to fix). Code written for the
   * `openai` SDK's `AzureOpenAI` may use its names: `timeout` (ms) for `timeoutMs` (which wins
   * when both are given) and `azureADTokenProvider` for `tokenProvider`;
   * `dangerouslyAllowBrowser` is accepted and ignored (this client runs in browsers as it is).
   */
  constructor(
    options: AzureOpenAIOptions & {
      timeout?: number;
      azureADTokenProvider?: TokenProvider;
      dangerouslyAllowBrowser?: boolean;
    },
  ) {
    const core = this.#core = new ClientCore(
      this.#options = typeof options == "object"
        ? options && { ...options, timeoutMs: options.timeoutMs ?? options.timeout }
        : options,
    );
    this.chat = new Chat(core);
    this.completions = new Completions(core);
    this.embeddings = new Embeddings(core);
    this.images = new Images(core);
    this.audio = new Audio(core);
  }

  /** The normalised endpoint, e.g. `https://my-res.openai.azure.com`. */
  get endpoint(): string {
    return this.#core.endpoint;
  }

  /** The api-version calls use unless they override it. */
  get apiVersion(): string {
    return this.#core.apiVersion;
  }

  /**
   * Sends any request through the client's pipeline (auth, retry, timeout, middleware) and
   * resolves to the raw `Response` whatever its status: for operations this client has no
   * method for, and for proxies. A `deployment` makes the call deployment-scoped.
   *
   * @example Call an operation by path
   * ```ts
   * import { AzureOpenAI } from "@aoai/edge";
   * import { createEmulator } from "@aoai/edge/emulator";
   * const emulator = createEmulator(); // a local stand-in for your resource
   * const client = new AzureOpenAI({
   *   endpoint: "http://emulator.local",
   *   apiKey: emulator.apiKey,
   *   fetch: emulator.fetch,
   * });
   * const res = await client.request({
   *   path: "chat/completions",
   *   deployment: "gpt-4o",
   *   json: { messages: [{ role: "user", content: "Hi" }] },
   * });
   * console.log(res.status, await res.json());
   * ```
   */
  async request(init: RawRequestInit, options?: RequestOptions): Promise<Response> {
    if (typeof init !== "object" || init === null || typeof init.path !== "string") {
      throw new TypeError('AzureOpenAI.request(): pass { path } (e.g. "chat/completions")');
    }
    const path = init.path.replace(/^\/+/, "");
    const { deployment, json } = init;
    let body = init.body ?? undefined;
    // On the v1 API the deployment goes in body `model` (unless the caller set one): a JSON
    // body's member, or a field of a copy of a multipart form.
    const v1 = deployment && this.#core.version(options) === "v1";
    if (v1 && body instanceof FormData && !body.has("model")) {
      const form = new FormData();
      body.forEach((value, key) => form.append(key, value));
      form.append("model", deployment);
      body = form;
    }
    const operation = init.operation ?? `request ${path}`;
    const bodied = json !== undefined || body !== undefined;
    const method = init.method ?? (bodied ? "POST" : "GET");
    // fetch refuses it on every attempt: not the network's failure, nothing to retry.
    if (bodied && method == "GET") throw new TypeError(`${operation}: a GET sends no body`);
    const { response, unlink, idleTimeoutMs: ms, controller } = await this.#core.sendRaw({
      ...init,
      json: v1 && isRecord(json) && json.model === undefined
        ? { ...json, model: deployment }
        : json,
      operation,
      method,
      scope: deployment ? "deployment" : "resource",
      path,
      body,
      params: init.params ?? json,
      replayable: !(init.body instanceof ReadableStream),
      options,
    });
    // A stream's deadline ended at the headers: streamIdleTimeoutMs bounds each wait for a chunk.
    // Any body's reads fail with the typed errors (a cut connection, the caller's abort).
    return unlinkOnEnd(
      response,
      options?.signal,
      unlink,
      operation,
      init.stream ? ms : 0,
      controller,
    );
  }

  /**
   * A new client with `options` over this client's, as the openai SDK's `withOptions()`: what
   * `options` does not name is this client's (`defaultHeaders`, `defaultQuery` and `middleware`
   * are replaced whole, its middleware instances shared). A credential (`apiKey`, `token`,
   * `tokenProvider`), `endpoint` / `resourceName` or `timeoutMs` / `timeout` given replaces this
   * client's of that kind. Without a credential of its own, the new client shares this client's,
   * with its token cache. This client is unchanged.
   *
   * @example A client with a longer timeout for one job
   * ```ts
   * import { AzureOpenAI } from "@aoai/edge";
   * const client = new AzureOpenAI({ endpoint: "https://my-res.openai.azure.com", apiKey: "<key>" });
   * const patient = client.withOptions({ timeoutMs: 120_000, maxRetries: 5 });
   * console.log(patient.endpoint); // "https://my-res.openai.azure.com"
   * ```
   */
  withOptions(
    options: AzureOpenAIOptions & {
      timeout?: number;
      azureADTokenProvider?: TokenProvider;
      dangerouslyAllowBrowser?: boolean;
    },
  ): AzureOpenAI {
    // Not `in` on a string: its error would quote it (a key passed as the options).
    if (!isRecord(options)) throw new TypeError("withOptions(): pass an options object");
    const own: Record<PropertyKey, unknown> = {
      ...this.#options,
      [INHERITED_AUTH]: this.#core.auth,
    };
    for (const kind of [CREDENTIALS, ["endpoint", "resourceName"], ["timeoutMs", "timeout"]]) {
      if (kind.some((k) => k in options)) { for (const k of kind) delete own[k]; }
    }
    return new AzureOpenAI({ ...own, ...options });
  }

  /** The default deployment, if one was set. */
  get deployment(): string | undefined {
    return this.#core.deployment;
  }
}
