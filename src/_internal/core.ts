import { apiKeyAuth, authSecrets, tokenAuth } from "../auth/auth_middleware.ts";
import { APIConnectionError, APIUserAbortError } from "../errors/api_error.ts";
import { messageOf } from "../errors/_message_of.ts";
import { isRecord } from "../errors/_is_record.ts";
import {
  describeSite,
  errorFromBody,
  errorFromResponse,
  requestIdOf,
} from "../errors/from_response.ts";
import { redactText, redactUrl, urlSecrets } from "../errors/redact.ts";
import { headerSecrets, SENSITIVE_HEADERS } from "../middleware/_redact.ts";
import { compose } from "../middleware/compose.ts";
import { builtinKind } from "../middleware/_kind.ts";
import type { TokenProvider } from "../auth/token_cache.ts";
import { retry } from "../middleware/retry.ts";
import { CallContext } from "../middleware/_replay.ts";
import { endParked, failParked, PARKED_STATE_KEY, pauseParked } from "../middleware/_deadline.ts";
import { CALL_OPTIONS_STATE_KEY, SECRETS_STATE_KEY } from "../middleware/_state.ts";
import { eachField } from "./each_field.ts";
import { onBodyEnd } from "./on_body_end.ts";
import { onAbort } from "../middleware/_abort.ts";
import { timeout } from "../middleware/timeout.ts";
import type { CallSettings, Middleware, MiddlewareContext, Terminal } from "../middleware/types.ts";
import {
  type AzureOpenAIOptions,
  checkApiVersion,
  checkCount,
  checkSignal,
  DEFAULT_API_VERSION,
  type RequestOptions,
} from "../options.ts";
import { createTerminal } from "../transport/send.ts";
import { buildUrl, normaliseEndpoint, type Scope } from "../transport/url.ts";

/** One call as a resource describes it. */
export interface CallSpec {
  operation: string;
  method: "GET" | "POST" | "DELETE";
  scope: Scope;
  path: string;
  /** Deployment (already resolved) for deployment-scoped calls. */
  deployment?: string;
  /** api-version to use when the call does not override it. */
  apiVersion?: string;
  /**
   * The full URL, when the service named it (an `operation-location`): sent as is, with its own
   * api-version. Only a URL under the client's endpoint may be given (the caller checks).
   */
  url?: string;
  /** JSON body (serialised here) or a ready body such as FormData. */
  json?: unknown;
  body?: BodyInit;
  params?: unknown;
  stream?: boolean;
  replayable?: boolean;
  accept?: string;
  /** Content type of a ready `body`. */
  contentType?: string;
  options?: RequestOptions;
  /**
   * Reads a successful non-stream body as JSON or text into {@link CallResult.data}, inside the
   * call's deadlines (`timeout()` keeps an attempt's deadline running until the body was read).
   */
  read?: "json" | "text";
}

/** What the pipeline returns for a successful call. */
export interface CallResult {
  /**
   * The response. With {@link CallSpec.read} its body was read into `data`; otherwise a body
   * still under a deadline ends it once read, ended or cancelled.
   */
  response: Response;
  /** The body read as {@link CallSpec.read} asked. */
  data?: unknown;
  /** The body's text, when {@link CallSpec.read} read it (what `asResponse()` gives back). */
  text?: string;
  /** Aborts the body of a stream call (its cancellation); none for other calls. */
  controller?: AbortController;
  idleTimeoutMs: number | undefined;
  /**
   * Unlinks `controller` from the caller's signal. A stream call must call it once its body is
   * done (or hand the link on): the listener would stay on a long-lived signal otherwise.
   */
  unlink: () => void;
  /** Scrubs the client's credentials from an error of the stream (read by stream calls only). */
  scrub?: (err: unknown) => unknown;
}

/**
 * An option key of the client: the auth layer (and so the token cache) of the client that
 * `withOptions()` derives a client with the same credential from.
 */
export const INHERITED_AUTH: unique symbol = Symbol();

/** The scrubber of each raw error response `sendRaw()` returned (see {@link ClientCore.scrub}). */
export const RAW_SCRUB: WeakMap<Response, (err: unknown) => unknown> = new WeakMap();

/** Shared state and request pipeline of one client; resources call `send()`. */
export class ClientCore {
  declare readonly endpoint: string;
  declare readonly apiVersion: string;
  declare readonly deployment: string | undefined;
  declare readonly maxRetries: number;
  declare readonly timeoutMs: number;
  declare readonly streamIdleTimeoutMs: number | undefined;
  readonly #headers: Record<string, string>;
  /** `defaultQuery`, or none. */
  readonly #query: Record<string, unknown> | undefined;
  readonly #middleware: Middleware[];
  /** The auth layer made of the credential option (or shared: {@link INHERITED_AUTH}). */
  declare readonly auth: Middleware;
  readonly #terminal: Terminal;
  /** The default stack and its composed pipeline (calls without per-call middleware). */
  readonly #layers: Middleware[];
  /** The client's credentials and its auth layers' (lists that grow), for logger(). */
  readonly #secretLists: string[][];
  readonly #run: (ctx: MiddlewareContext) => Promise<Response>;
  /**
   * Credentials to scrub from errors: the key or token, and those of `defaultHeaders`. Those of
   * the built-in auth layers of a call's stack (a token provider's latest tokens) are too.
   */
  readonly #secrets: string[] = [];

  /** `azureADTokenProvider`: the openai SDK's name for `tokenProvider`. */
  constructor(
    options: AzureOpenAIOptions & {
      azureADTokenProvider?: TokenProvider;
      [INHERITED_AUTH]?: Middleware;
    },
  ) {
    const fail = (problem: string) => new TypeError(`AzureOpenAI: ${problem}`);
    if (typeof options !== "object" || options === null) {
      throw fail("pass an options object with endpoint and apiKey or token");
    }
    const {
      apiKey,
      token,
      tokenProvider = options.azureADTokenProvider,
      middleware = [],
      fetch,
    } = options;
    this.endpoint = normaliseEndpoint(options.endpoint, options.resourceName);
    checkMiddleware(middleware, "AzureOpenAI");
    // Named as the caller wrote them (azureADTokenProvider: the openai SDK's tokenProvider).
    const kinds = (["apiKey", "token", "tokenProvider", "azureADTokenProvider"] as const).filter((
      k,
    ) => options[k] !== undefined);
    if (kinds.length > 1) {
      throw fail(`pass exactly one of apiKey, token or tokenProvider; got ${kinds.join(" and ")}`);
    }
    if (!kinds.length && !middleware.some((m) => builtinKind(m) === "auth")) {
      throw fail(
        "no credentials; pass apiKey (the resource's key), token or tokenProvider (Entra ID)",
      );
    }
    const secret = apiKey ?? token;
    // (null is refused here too, by the option's name.)
    if (apiKey !== undefined || token !== undefined) {
      if (typeof secret !== "string" || !secret.trim()) {
        throw fail(`${kinds[0]} must be a non-empty string`);
      }
      // Header values go out trimmed: that form is what an echo of the header would show.
      this.#secrets.push(secret, secret.trim());
    }
    if (tokenProvider !== undefined && typeof tokenProvider !== "function") {
      throw fail(`${kinds[0]} must be a function returning a token`);
    }
    this.auth = options[INHERITED_AUTH] ??
      (apiKey !== undefined ? apiKeyAuth(apiKey) : token !== undefined
        ? tokenAuth(token)
        // Without one, a middleware auth layer (required above) is the stack's: this one is unused.
        : tokenAuth(tokenProvider!));
    this.apiVersion = checkApiVersion(options.apiVersion ?? DEFAULT_API_VERSION, "AzureOpenAI");
    const deployment = this.deployment = options.deployment;
    if (deployment !== undefined && (typeof deployment !== "string" || !deployment)) {
      throw fail("deployment must be a non-empty string");
    }
    this.maxRetries = checkCount(options.maxRetries ?? 2, "maxRetries", "AzureOpenAI");
    this.timeoutMs = checkCount(options.timeoutMs ?? 600_000, "timeoutMs", "AzureOpenAI");
    const idle = options.streamIdleTimeoutMs;
    this.streamIdleTimeoutMs = idle === undefined
      ? idle
      : checkCount(idle, "streamIdleTimeoutMs", "AzureOpenAI");
    if (fetch !== undefined && typeof fetch !== "function") throw fail("fetch must be a function");
    this.#headers = headerRecord(options.defaultHeaders, "AzureOpenAI: defaultHeaders");
    this.#secrets.push(...headerSecrets(Object.entries(this.#headers)));
    this.#query = checkQuery(options.defaultQuery, "AzureOpenAI", "defaultQuery") &&
      { ...options.defaultQuery };
    this.#middleware = middleware.slice();
    this.#terminal = createTerminal(fetch);
    this.#run = compose(this.#layers = this.#stack(), this.#terminal);
    // The lists only: auth layers add the tokens they fetch to theirs.
    this.#secretLists = [this.#secrets, ...this.#layers.map(authSecrets)];
  }

  /** Resolves the deployment for a deployment-scoped call, or throws before any request. */
  resolveDeployment(model: unknown, operation: string): string {
    if (typeof model === "string" && model) return model;
    // "" names none, as in the openai SDK's Azure samples (the client's deployment then).
    if ((model ?? "") !== "") {
      throw new TypeError(`${operation}: params.model must be a deployment name (string)`);
    }
    if (this.deployment) return this.deployment;
    throw new TypeError(
      `${operation}: no deployment; pass params.model (the deployment name) or set ` +
        "`deployment` in the AzureOpenAI options",
    );
  }

  /**
   * A call's api-version, which every version-based choice follows: a dated `api-version` in its
   * query (the URL sends it; the openai SDK has no other per-call one), else its `apiVersion`,
   * else `fallback`. An undated one (`preview`) is a parameter of the v1 API: it chooses nothing.
   */
  version(opts?: RequestOptions, fallback: string = this.apiVersion): string {
    const named = opts?.query?.["api-version"];
    return typeof named == "string" && /^\d/.test(named) ? named : opts?.apiVersion ?? fallback;
  }

  /** Runs one call through the pipeline; resolves to a 2xx response or throws a typed error. */
  send(spec: CallSpec): Promise<CallResult> {
    return this.#send(spec, true);
  }

  /** Runs one call through the pipeline and resolves to the response, whatever its status. */
  sendRaw(spec: CallSpec): Promise<CallResult> {
    return this.#send(spec, false);
  }

  async #send(spec: CallSpec, throwOnError: boolean): Promise<CallResult> {
    const opts = spec.options ?? {};
    const { operation: where, method } = spec;
    // Credentials of the call's own headers are scrubbed from what it throws too.
    const own: string[] = [];
    const userSignal = opts.signal;
    checkSignal(userSignal, where);
    const stream = spec.stream ?? false;
    // Only a stream gets a controller of its own: an unused one still costs µs per call.
    const controller = stream ? new AbortController() : undefined;
    // Links the stream's controller to the caller's signal (none for other calls). A stream is
    // cancelled through `controller`; other calls pass the caller's signal as it is, or none:
    // fetch spends µs on every signal it gets.
    const unlink = onAbort(controller && userSignal, () => controller!.abort(userSignal!.reason));
    const parked: unknown[] = [];
    let layers = this.#layers;
    // For retry() / timeout(): what the call set itself wins over their options (`timeout`: the
    // openai SDK's name).
    const set: Partial<CallSettings> = {
      timeoutMs: opts.timeoutMs ?? opts.timeout,
      maxRetries: opts.maxRetries,
    };
    const state: Record<string, unknown> = {
      [PARKED_STATE_KEY]: parked,
      // For logger(): what a body it logs before auth ran must not show (a reference: no cost).
      [SECRETS_STATE_KEY]: this.#secretLists,
      [CALL_OPTIONS_STATE_KEY]: set,
    };
    try {
      if (opts.apiVersion !== undefined) checkApiVersion(opts.apiVersion, where);
      const apiVersion = this.version(opts, spec.apiVersion);
      const url = withQuery(
        spec.url ?? buildUrl(this.endpoint, apiVersion, spec.scope, spec.path, spec.deployment),
        own,
        this.#query,
        checkQuery(opts.query, where, "query"),
      );
      // A plain record, not Headers: it is cheaper to build and for fetch to read. The call's
      // headers come last, as in the openai SDK: its `accept` wins, `accept: null` removes it.
      const headers: Record<string, string> = {
        ...this.#headers,
        accept: spec.accept ?? "application/json",
      };
      if (opts.headers) {
        own.push(
          ...headerSecrets(
            Object.entries(headerRecord(opts.headers, `${where}: headers`, headers)),
          ),
        );
      }
      let body = spec.body;
      // A form sets its own multipart type (with its boundary): a content-type from
      // `defaultHeaders` or the call's headers would hide it.
      if (body instanceof FormData) delete headers["content-type"];
      if (spec.contentType) headers["content-type"] = spec.contentType;
      if (spec.json !== undefined) {
        body = JSON.stringify(spec.json);
        headers["content-type"] = "application/json";
      }
      // duplex: Node's and browsers' fetch refuse a stream body (or a Request with one) without it.
      // A redirect is not followed: fetch would send the api-key header along to wherever it points.
      const ctx = new CallContext({
        url,
        method,
        headers,
        body,
        duplex: "half",
        redirect: "manual",
      }, {
        // A request() path's parameters are in its default name: a credential-named one masked.
        operation: /[?#;&@]/.test(where) ? redactUrl(where) : where,
        deployment: spec.deployment,
        apiVersion,
        params: spec.params,
        attempt: 1,
        signal: controller ? controller.signal : userSignal,
        stream,
        replayable: spec.replayable ?? true,
        options: {
          timeoutMs: set.timeoutMs === undefined
            ? this.timeoutMs
            : checkCount(set.timeoutMs, "timeoutMs", where),
          maxRetries: set.maxRetries === undefined
            ? this.maxRetries
            : checkCount(set.maxRetries, "maxRetries", where),
        },
        state,
      });
      const run = opts.middleware && checkMiddleware(opts.middleware, where).length
        ? compose(layers = this.#stack(opts.middleware), this.#terminal)
        : this.#run;
      let response = await run(ctx);
      const site = { operation: where, method, url };
      if (!response.ok) {
        // The error body is read still linked to the caller's signal (and, for a stream too,
        // under timeout()'s deadline): a body that stalls must not hang the call.
        if (throwOnError) throw await errorFromResponse(response, site);
        // A raw error response may echo a credential: whoever relays it scrubs it with this.
        RAW_SCRUB.set(response, (e) => this.scrub(e, layers, own));
      } else if (stream && throwOnError && /json/.test(response.headers.get("content-type")!)) {
        // A gateway's error object in a 200, not an event stream: its code and message, as for
        // any error body. Anything else is left to the stream to report.
        const err = await errorFromResponse(response.clone(), site);
        // Its unread rest (past what an error reads) must not hold the connection open.
        if (err.code) throw (response.body!.cancel(), err);
      }
      let data: unknown;
      let text: string | undefined;
      if (spec.read && !stream) {
        try {
          data = text = await response.text();
        } catch (err) {
          const mapped = failParked(state, err);
          const requestId = requestIdOf(response.headers);
          // Without timeout() (timeoutMs 0) fetch had the caller's own signal. Any other failure
          // is the connection's (a reset, a body cut short).
          throw mapped !== err
            ? mapped
            : userSignal?.aborted
            ? new APIUserAbortError(`${where} was aborted by the caller`, { cause: err })
            : new APIConnectionError(
              `${describeSite(site)} lost the connection reading the response: ${messageOf(err)}${
                requestId ? ` [request id ${requestId}]` : ""
              }`,
              { cause: err, requestId },
            );
        }
        endParked(state);
        // A body that is not JSON (a proxy's page, a 204, a cut body) is a typed error that
        // names the call, its status and request id, not a bare SyntaxError.
        if (spec.read == "json") {
          try {
            data = JSON.parse(data as string);
          } catch {
            throw errorFromBody(response.status, data, site, response.headers);
          }
        }
      } else if (parked.length) {
        // timeout() left its deadline running for the body: end it once the body was read. Its
        // timer waits until the body is touched, so a body nobody reads holds no timer.
        pauseParked(state, true);
        response = onBodyEnd(
          response,
          (err) => err === undefined ? endParked(state) : failParked(state, err),
          () => pauseParked(state, false),
        );
      }
      return {
        response,
        data,
        text,
        controller,
        idleTimeoutMs: opts.streamIdleTimeoutMs ?? this.streamIdleTimeoutMs,
        unlink,
        // A stream's errors come after the call returned: it scrubs them with this (other calls
        // never read it).
        scrub: (err) => this.scrub(err, layers, own),
      };
    } catch (err) {
      endParked(state);
      unlink();
      throw this.scrub(err, layers, own);
    }
  }

  /**
   * `err` (fixed in place) without this client's credentials, those of the auth layers in
   * `layers` and `own` (a call's own credential headers).
   */
  scrub(err: unknown, layers: Middleware[] = this.#layers, own: string[] = []): unknown {
    const secrets = [...this.#secrets, ...layers.flatMap(authSecrets), ...own];
    return scrub(err, (text) => redactText(text, secrets), new Set());
  }

  #stack(callMiddleware: Middleware[] = []): Middleware[] {
    const kinds = ["retry", "timeout", "auth"];
    // A per-call retry(), timeout() or auth replaces the client's own of that kind: two nested
    // retry() layers would multiply the attempts, two auth layers would send both credentials.
    // It takes the client's one's place, so the nesting the client chose (timeout() inside
    // retry()) holds for the call too.
    const perCall = new Map(callMiddleware.map((m) => [builtinKind(m), m]));
    const replaced = new Set();
    const stack = [
      ...this.#middleware.map((m) => {
        const kind = builtinKind(m);
        return kind && perCall.has(kind) ? (replaced.add(kind), perCall.get(kind)!) : m;
      }),
      ...callMiddleware.filter((m) => !replaced.has(builtinKind(m))),
    ];
    const defaults = [DEFAULT_RETRY, DEFAULT_TIMEOUT, this.auth];
    kinds.forEach((kind, i) => {
      const at = stack.findIndex((m) => builtinKind(m) === kind);
      const j = callMiddleware.indexOf(stack[at]);
      // The client's own built-in stays where it is; a replacing per-call one took its place.
      if (at >= 0 && (j < 0 || replaced.has(kind))) return;
      // A missing default, or a per-call built-in the client lacks, goes outside the built-ins
      // that belong inside it (retry, timeout, auth from the outside in), so a timeout() or auth
      // of yours still runs per attempt. A per-call one only moves outward, and not ahead of a
      // layer the call's list puts before it.
      let to = stack.findIndex((m) => kinds.indexOf(builtinKind(m)!, i) > i);
      if (at < 0) stack.splice(to < 0 ? stack.length : to, 0, defaults[i]);
      else if (to >= 0 && to < at) {
        for (const m of callMiddleware.slice(0, j)) to = Math.max(to, stack.indexOf(m) + 1);
        stack.splice(to, 0, ...stack.splice(at, 1));
      }
    });
    return stack;
  }
}

/**
 * `err` with every secret removed (by `clean`) from its message, stack, name, body, inner
 * error, filter results, revised prompt, headers (credential headers masked) and, recursively,
 * its cause: fixed in place, so it keeps its class. Each error once (`seen`): a chain of causes
 * may loop.
 */
export function scrub(
  err: unknown,
  clean: (text: string) => string,
  seen: Set<unknown> = new Set(),
): unknown {
  if (typeof err === "string") return clean(err);
  if (!(err instanceof Error) || seen.has(err)) return err;
  seen.add(err);
  const fields = err as unknown as Record<PropertyKey, unknown>;
  const masked = (headers: Headers) => {
    const copy = new Headers();
    headers.forEach((v, name) => copy.append(name, SENSITIVE_HEADERS.has(name) ? "***" : clean(v)));
    return copy;
  };
  // Every own field: ours, and whatever a user's fetch put on what it threw (an AggregateError's
  // errors, the Request, a config of headers).
  const fix = (value: unknown): unknown => {
    if (typeof value === "string") return clean(value);
    if (value instanceof Error) return scrub(value, clean, seen);
    // In place: the field holding it may not be redefinable (zod's `issues`).
    if (Array.isArray(value)) return value.forEach((v, i) => value[i] = fix(v)), value;
    if (value instanceof Headers) return masked(value);
    if (value instanceof Request) {
      return new Request(clean(value.url), {
        method: value.method,
        headers: masked(value.headers),
      });
    }
    // With a Map's, a Set's or a Headers' entries (inspect shows them, JSON as `{}`); undefined
    // for `undefined`.
    const text = JSON.stringify(
      value,
      (_, v) => v instanceof Map || v instanceof Set || v instanceof Headers ? [...v] : v,
    );
    const cleaned = text && clean(text);
    return cleaned !== text ? JSON.parse(cleaned!) : value;
  };
  // Symbol-keyed fields too (inspect shows them).
  for (const key of Reflect.ownKeys(err).concat("name")) {
    let value, fixed;
    try {
      fixed = fix(value = fields[key]);
    } catch {
      // Neither readable nor JSON (a getter that throws, a cycle, a BigInt): not shown at all.
    }
    try {
      if (fixed !== value) {
        Object.defineProperty(err, key, { value: fixed, configurable: true, writable: true });
      }
    } catch {
      // A field that cannot be redefined (zod's `issues`, whose array was fixed in place).
    }
  }
  return err;
}

/**
 * `url` with `query`'s parameters replacing its own of the same name and those of `defaults` it
 * lacks, in the order of `{ ...defaults, ...query }`, written as the openai SDK writes them:
 * `undefined` left out, `null` empty, an array as `name[]` per item, an object as `name[key]`.
 * The values of the URL's parameters named like a credential (`subscription-key`, `sig`) are added
 * to `secrets`.
 */
function withQuery(
  url: string,
  secrets: string[],
  defaults?: Record<string, unknown>,
  query?: Record<string, unknown>,
): string {
  if (defaults || query) {
    const target = new URL(url);
    const params = target.searchParams;
    const add = (name: string, value: unknown) =>
      value !== undefined && params.append(name, value as string ?? "");
    const all: Record<string, unknown> = { ...defaults, ...query };
    for (const name in all) {
      const value = all[name];
      if (query && name in query || !params.has(name)) {
        params.delete(name);
        eachField(name, value, add);
      }
    }
    url = target.href;
  }
  // Not for a query of only the api-version (most calls): ~0.7 µs per call.
  if (/[?&](?!api-version=[^?&#]*$)/.test(url)) urlSecrets(url, secrets);
  return url;
}

/**
 * `query` (defaultQuery or a call's), or a TypeError naming it, `where`, when it is given but is
 * no object of parameters: a string (a key given as the whole option) went out char by char
 * (`0=s&1=k…`, readable in the URL of every error) or failed raw quoting it.
 */
function checkQuery<T>(query: T, where: string, name: string): T {
  // The message is built only when thrown: a call checks its query on every send.
  if (query != null && !isRecord(query)) {
    throw new TypeError(`${where}: ${name} must be an object`);
  }
  return query;
}

/** Throws a TypeError naming `where` unless `middleware` is an array of functions. */
function checkMiddleware(middleware: unknown, where: string): unknown[] {
  if (!Array.isArray(middleware) || middleware.some((m) => typeof m != "function")) {
    throw new TypeError(`${where}: middleware must be an array of functions`);
  }
  return middleware;
}

/**
 * Validated headers as a record with lower-case names (what `Headers` would send), so a bad name
 * or value fails here with a TypeError instead of inside fetch. As in the openai SDK, a name given
 * `undefined` is left out and one given `null` is also removed from `into` (the defaults); the rest
 * is added to `into`, which is returned.
 */
function headerRecord(
  init: Record<string, string | null | undefined> | undefined,
  where: string,
  into: Record<string, string> = {},
): Record<string, string> {
  try {
    const own = Object.fromEntries(new Headers(init as HeadersInit));
    for (const name in init) {
      if (init[name] == null) {
        delete own[name.toLowerCase()];
        if (init[name] === null) delete into[name.toLowerCase()];
      }
    }
    return Object.assign(into, own);
  } catch {
    // Not the engine's message: it quotes the value (a key read with a line break inside).
    throw new TypeError(`${where} must map header names to string values without line breaks`);
  }
}

const DEFAULT_RETRY = retry();
const DEFAULT_TIMEOUT = timeout();
