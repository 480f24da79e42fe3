/**
 * Sending one validated request upstream through the core client, and relaying the upstream
 * response (status, body as a stream, the headers clients need).
 *
 * @module
 */
import { holdsClientKey, matchClientKey } from "./auth.ts";
import {
  APIConnectionError,
  APITimeoutError,
  APIUserAbortError,
  AuthenticationError,
  AzureOpenAIError,
} from "../src/errors/api_error.ts";
import type { Middleware } from "../src/middleware/types.ts";
import { DEADLINE_STATE_KEY } from "../src/middleware/_deadline.ts";
import { observeAttempts } from "../src/middleware/_state.ts";
import { RAW_SCRUB } from "../src/_internal/core.ts";
import { SPEECH_API_VERSION } from "../src/options.ts";
import { errorResponse } from "./_errors.ts";
import type { SentJson } from "./_operations.ts";
import type { ResolvedOptions } from "./options.ts";
import { type Refusal, UNREACHABLE_COOLDOWN_MS } from "./_upstreams.ts";
import { topMembers } from "./validation/_json_text.ts";

/** One upstream call. */
export interface ForwardInit {
  /** Operation path, e.g. `chat/completions` or `operations/images/{id}`. */
  path: string;
  /**
   * Deployment for deployment-scoped operations: the app's name (after `models` /
   * `deployments`). Each upstream is sent its own name for it (`deploymentNames`), in the path,
   * or in the JSON or form `model` when that holds the app's name (as on the v1 API).
   */
  deployment?: string;
  method: "GET" | "POST" | "DELETE";
  json?: Record<string, unknown>;
  /**
   * The client's body `json` was made from: its bytes go upstream, with the top-level members
   * `json` changed, added or left out spliced in (see {@link jsonText}).
   */
  sent?: SentJson;
  form?: FormData;
  /** The client asked for a stream: the body is passed through as it arrives. */
  stream: boolean;
  /** Operation id for middleware, e.g. `embeddings.create`. */
  operation: string;
  /** api-version to use upstream; default the client's. */
  apiVersion?: string;
  /** Per-call middleware (cache, state), outermost first. */
  middleware?: Middleware[];
  /** Send to the primary upstream only, without failover (the DALL-E 2 image operations). */
  primaryOnly?: boolean;
}

const RELAYED = [
  "content-type",
  "retry-after",
  "retry-after-ms",
  "x-ms-retry-after-ms",
  "apim-request-id",
  "x-request-id",
  "x-ms-region",
  "x-ms-client-request-id",
  "x-aoai-cache",
  "openai-processing-ms",
];

/**
 * Copies the upstream headers a client needs; an `operation-location` under the upstream's
 * endpoint becomes this app's poll URL (`/openai/operations/images/{id}`, the request's
 * api-version) or, naming no operation id, is dropped.
 */
export function relayHeaders(
  upstream: Response,
  request: Request,
  upstreamEndpoint: string,
): Headers {
  const headers = new Headers();
  for (const name of RELAYED) {
    const value = upstream.headers.get(name);
    if (value !== null) headers.set(name, value);
  }
  upstream.headers.forEach((value, name) => {
    if (name.startsWith("x-ratelimit-")) headers.set(name, value);
  });
  const location = upstream.headers.get("operation-location");
  const rest = location?.slice(upstreamEndpoint.length) ?? "";
  // Under the endpoint: its text followed by a path, query or nothing (not `….com.evil`).
  if (location !== null && location.startsWith(upstreamEndpoint) && /^([/?#]|$)/.test(rest)) {
    // This app's poll URL for the operation it names, never the upstream's path or query (a
    // gateway's key, a signature); one naming none is dropped (relay() reports it).
    const id = /^[^?#]*\/operations\/images\/([A-Za-z0-9-]{1,100})([?#]|$)/.exec(rest)?.[1];
    const url = new URL(request.url);
    const version = url.searchParams.get("api-version");
    if (id) {
      headers.set(
        "operation-location",
        `${url.origin}/openai/operations/images/${id}` +
          (version === null ? "" : `?api-version=${encodeURIComponent(version)}`),
      );
    }
  } else if (location !== null) {
    // Another host or a relative path: the DALL-E 2 routes rewrite or drop it (edge/app.ts).
    headers.set("operation-location", location);
  }
  if ((headers.get("content-type") ?? "").startsWith("text/event-stream")) {
    headers.set("cache-control", "no-cache");
    headers.set("x-accel-buffering", "no");
  }
  return headers;
}

/**
 * Statuses another upstream may answer better: throttled, the resource in trouble, or the app's
 * credential refused there (401).
 */
const FAILOVER_STATUSES = new Set([401, 429, 500, 502, 503, 504]);

/**
 * Sends the call and returns the response to give the client: the upstream response relayed
 * (any status; bodies stream through untouched), 502 when the upstream cannot be reached, 504
 * on upstream timeout, 499 when the client went away. With several upstreams, a 401, 429 or 5xx
 * gateway status, a redirect, an unreachable upstream, a timeout, or an event stream that breaks
 * or ends before its first byte (awaited under the upstream's stream idle timeout; not for the
 * last upstream, whose stream is relayed as it comes) moves on to the next one (in the order
 * `Upstreams.plan()` gives: those not cooling down, then the others as a last resort) before
 * anything is relayed; `x-aoai-upstream` names the index of the upstream that answered (none on
 * a cache hit). When the last one gives no answer (unreachable, timed out, sign-in failed), the
 * last 429 failed over from, if any, is the answer: its `retry-after` says when to come back.
 * With `upstreamMaxRetries`, a 429 fails over at once while an upstream not cooling
 * down is left, and is waited out (by retry()) on the upstream only when none is. When every
 * upstream cools down and had its last-resort try, the app answers 429 itself, with a
 * `retry-after` for the soonest cooldown end (the cache layers still answer a hit). Callers check
 * a JSON call's content-type first (`prepareCall()`, the DALL-E 2 submit route), and the app
 * echoes the client's `x-ms-client-request-id` on every answer (`clientRequestId()`). A 2xx
 * whose content-type is not what the operation answers (a proxy's HTML sign-in page: see
 * `answerKindLayer()`) is a 502 UpstreamError: not cached, failed over like a 5xx, never relayed.
 */
export async function forward(
  opts: ResolvedOptions,
  request: Request,
  init: ForwardInit,
): Promise<Response> {
  const outlive = OUTLIVE.get(request);
  OUTLIVE.delete(request);
  if (!outlive || request.signal.aborted) {
    return await forwardOn(opts, request, init, request.signal);
  }
  // Until the call is sent, the client leaving aborts it as any call; once sent, it runs on.
  const upstream = new AbortController();
  let sent = false;
  let gone!: () => void;
  const left = new Promise<undefined>((resolve) => gone = () => resolve(undefined));
  const onAbort = () => sent ? gone() : upstream.abort(request.signal.reason);
  request.signal.addEventListener("abort", onAbort, { once: true });
  const answer = forwardOn(opts, request, init, upstream.signal, () => sent = true);
  try {
    const first = await Promise.race([answer, left]);
    if (first) return first;
  } finally {
    request.signal.removeEventListener("abort", onAbort);
  }
  outlive(answer);
  return clientGone();
}

const REQUEST_ID = "x-ms-client-request-id";

/**
 * The client's `x-ms-client-request-id` (Azure SDKs send one), when it is sent upstream and echoed
 * back: visible ASCII, up to 256 characters, holding no client key (tooling that reuses the key as
 * an id). Only for a caller with a valid client key: to another, whether its id was echoed would
 * tell whether the id held a key (every run of it tried as one, case folded).
 */
export function clientRequestId(opts: ResolvedOptions, request: Request): string | undefined {
  const id = request.headers.get(REQUEST_ID);
  // The caller's key first: for another caller the id is not even compared with the keys.
  return id !== null && /^[\x21-\x7e]{1,256}$/.test(id) &&
      matchClientKey(request, opts.clientKeys) >= 0 && !holdsClientKey(id, opts.clientKeys)
    ? id
    : undefined;
}

/**
 * {@link forward}, the upstream call aborted by `signal`; `onSent` is called when a try gets past
 * the cache layers, towards the upstream (while `signal` is not aborted).
 */
async function forwardOn(
  opts: ResolvedOptions,
  request: Request,
  init: ForwardInit,
  signal: AbortSignal,
  onSent?: () => void,
): Promise<Response> {
  const pool = opts.upstreams;
  // The client's correlation id goes upstream, which echoes it back.
  const requestId = clientRequestId(opts, request);
  const headers = requestId ? { [REQUEST_ID]: requestId } : undefined;
  // What the client accepts, as a call straight to Azure would send it; without an Accept, what
  // such a call sends (fetch: */*), or text/event-stream for a stream. Never application/json
  // alone: speech answers audio, the text formats of transcriptions text/plain.
  const asked = request.headers.get("accept")?.trim();
  const accept = asked && asked.length <= 1024 && !holdsClientKey(asked, opts.clientKeys)
    ? asked
    : init.stream
    ? "text/event-stream"
    : "*/*";
  const sentLayer: Middleware[] = onSent
    ? [(ctx, next) => (ctx.signal?.aborted || onSent(), next())]
    : [];
  const send = (index: number, middleware: Middleware[] | undefined) => {
    const { deployment, json, form } = ownNames(init, pool.deploymentOf(index, init.deployment));
    const text = init.sent && json ? jsonText(init.sent, json) : undefined;
    return pool.list[index].client.request(
      {
        path: init.path,
        deployment,
        method: init.method,
        json: text === undefined ? json : undefined,
        body: text ?? form,
        contentType: text === undefined ? undefined : "application/json",
        stream: init.stream,
        accept,
        operation: init.operation,
        params: json,
      },
      {
        signal,
        apiVersion: init.apiVersion ?? ownVersion(init.path, pool.list[index].client.apiVersion),
        maxRetries: opts.upstreamMaxRetries,
        // Innermost: an answer of the wrong kind is a 502 to the cache layers and the failover.
        middleware: [
          ...middleware ?? [],
          ...sentLayer,
          answerKindLayer(init, pool.list[index].host),
        ],
        headers,
      },
    );
  };
  const { order, ready, retryAfterMs, refused, giveBack, forget } = init.primaryOnly
    ? { order: [0], ready: 1, retryAfterMs: 0, refused: undefined, giveBack: undefined }
    : pool.plan(init.deployment);
  if (!order.length) return await coolingDown(opts, request, init, retryAfterMs, send, refused);
  // Whether a try may have sent the prompt upstream (a try through the cache layers tells; one
  // without them always may).
  let sentAny = false;
  // The last 429 failed over from: the answer when the last upstream gives none (see hold()).
  let held: Held | undefined;
  try {
    for (let n = 0; n < order.length; n++) {
      const index = order[n];
      const { host } = pool.list[index];
      let middleware = init.middleware;
      if (middleware?.length && index !== 0) {
        const { before, after } = pool.asPrimary(
          index,
          init.apiVersion !== undefined,
          init.deployment,
          init.json?.model,
        );
        middleware = [...before, ...middleware, ...after];
      }
      const lastResort = n >= ready;
      const gate: Gate = {
        lastResort,
        handOff: opts.upstreamMaxRetries > 0 && n + 1 < ready,
        sent: false,
      };
      // Round-robin: a first try that the cache layers answered (a hit, a lookup, a write) gives
      // its turn back, so what goes upstream takes turns.
      const unturn = n === 0 && middleware?.length ? giveBack : undefined;
      // With cache layers, the gate also tells whether the try got past them (see UNSENT).
      if (gate.lastResort || gate.handOff || unturn || middleware?.length) {
        middleware = [
          ...middleware ?? [],
          gateLayer(gate, () => pool.lastResort(index, init.deployment)),
        ];
      }
      let upstream: Response;
      try {
        upstream = await send(index, middleware).finally(() => gate.sent || unturn?.());
        sentAny = true;
      } catch (err) {
        if (gate.sent || !middleware?.length) sentAny = true;
        const throttled = throttledAnswer(err);
        if (throttled) upstream = throttled;
        else {
          // The app's sign-in to it failed (its tokenProvider; also when a 401 asked for a fresh
          // token): like an unreachable one, as another upstream may sign in otherwise.
          const signIn = isSignInFailure(err);
          const down = signIn || err instanceof APIConnectionError;
          if (down) pool.markDown(index, signIn ? "sign-in" : undefined);
          const next = nextOf(order, n, request);
          if (next !== undefined && down) {
            const kind = signIn
              ? `could not sign in (${(err as Error).message})`
              : err instanceof APITimeoutError
              ? "timed out"
              : "unreachable";
            opts.onError(`${init.operation}: upstream ${host} ${kind}; trying upstream ${next}`);
            continue;
          }
          const answer = failure(opts, init, err, index);
          // A 429 says when to come back; "unreachable" or "timed out" says nothing of it.
          const kept = down ? await held?.answer : undefined;
          if (kept) {
            opts.onError(`${init.operation}: answered upstream ${held!.index}'s 429 instead`);
            return relay(kept, request, opts, init, held!.index);
          }
          if (!sentAny) UNSENT.add(answer);
          return answer;
        }
      }
      // A 2xx of the wrong kind (a proxy's sign-in page): failed over like a 5xx, never relayed.
      const wrong = WRONG_KIND.get(upstream);
      if (wrong) {
        const next = nextOf(order, n, request);
        opts.onError(
          `${init.operation}: upstream ${host} answered ${wrong}` +
            (next === undefined ? "; answered 502" : `; trying upstream ${next}`),
        );
        // Its body is the app's own 502 (answerKindLayer() cancelled the upstream's).
        if (next !== undefined) continue;
        return relay(upstream, request, opts, init, index);
      }
      if (upstream.status === 429) pool.coolDown(index, init.deployment, upstream.headers);
      // The app's credential refused there (a wrong key, a principal without a role on that
      // resource): skipped like an unreachable one, for every deployment.
      if (upstream.status === 401) pool.markDown(index, "401");
      const next = nextOf(order, n, request);
      // A redirect is never followed (the key would go along): another upstream may answer.
      const redirect = REDIRECTS.has(upstream.status);
      const failed = redirect || FAILOVER_STATUSES.has(upstream.status);
      if (next !== undefined && failed) {
        if (upstream.status === 429) {
          held?.drop();
          held = hold(upstream, index);
        } else {
          // Not awaited: a body slow to cancel must not hold up the next upstream.
          upstream.body?.cancel().catch(() => {});
        }
        opts.onError(
          `${init.operation}: upstream ${host} answered ${upstream.status}${
            redirect ? " (a redirect, not followed)" : ""
          }; trying upstream ${next}`,
        );
        continue;
      }
      // A stream that breaks (or ends) before its first byte relayed nothing: it fails over like an
      // unreachable upstream. The last upstream's stream is relayed as it comes.
      if (
        next !== undefined && init.stream && upstream.ok && upstream.body &&
        (upstream.headers.get("content-type") ?? "").startsWith("text/event-stream")
      ) {
        const first = await firstBytes(upstream);
        if (first instanceof Response) upstream = first;
        else {
          // The client left during the wait (the read was aborted): answered as any client gone.
          const after = nextOf(order, n, request);
          if (first.err instanceof APIUserAbortError || after === undefined) return clientGone();
          pool.markDown(index);
          opts.onError(
            `${init.operation}: upstream ${host} ${
              first.err instanceof APITimeoutError ? "timed out" : "broke its stream"
            } before the first byte; trying upstream ${after}`,
          );
          continue;
        }
      }
      // A cooling upstream that answered is no longer cooling down.
      if (lastResort && gate.sent && !failed) pool.answered(index, init.deployment);
      // A name no upstream has keeps no turns (see Plan.forget).
      if (upstream.status === 404) forget?.();
      return relay(upstream, request, opts, init, index);
    }
  } finally {
    // Read to its end by now when it was the answer.
    held?.drop();
  }
  // Not reached: the last upstream's answer or failure is returned above.
  throw new Error("no upstream to try");
}

/**
 * The 502s made of 2xx answers of the wrong kind (see {@link answerKindLayer}), with what was
 * answered and expected, for the log.
 */
const WRONG_KIND = new WeakMap<Response, string>();

/**
 * What a 2xx answer of `init`'s call must be, by its content-type: an event stream for a stream;
 * audio for speech; JSON or text for a transcription or translation in a text format
 * (`response_format` text, srt or vtt); JSON otherwise.
 */
function expectedKind(init: ForwardInit): [string, RegExp] {
  if (init.stream) return ["an event stream", /^text\/event-stream\b/];
  if (init.path === "audio/speech") return ["audio", /^(audio\/|application\/octet-stream\b)/];
  const format = init.form?.get("response_format");
  if (typeof format === "string" && /^(text|srt|vtt)$/.test(format)) {
    return ["text", /^(text\/(plain|vtt|srt)\b|application\/([\w.+-]*\+)?(json|x-subrip)\b)/];
  }
  return ["JSON", /^application\/([\w.+-]*\+)?json\b/];
}

/**
 * The layer that turns a 2xx answer (with a body) of upstream `host` whose content-type is not
 * what `init`'s call answers ({@link expectedKind}: a proxy's HTML sign-in page, a misconfigured
 * endpoint's text) into a 502 UpstreamError, its body cancelled: no cache stores it, the failover
 * moves on, the client never gets it. One without a content-type is left as it is.
 */
function answerKindLayer(init: ForwardInit, host: string): Middleware {
  const [kind, pattern] = expectedKind(init);
  return async (_ctx, next) => {
    const res = await next();
    // Without a content-type (an empty 200), nothing says it is of the wrong kind; without a
    // body (a 204, 205 or an empty 200), nothing of the wrong kind reached the app.
    const type = res.headers.get("content-type")?.trim().toLowerCase() || undefined;
    if (!res.ok || !res.body || !type || pattern.test(type)) {
      return res;
    }
    // Not awaited: a body slow to cancel must not hold up the answer.
    res.body.cancel().catch(() => {});
    // The upstream's media type, tame (no parameters, no control characters, short).
    const shown = type.split(";")[0].trim().replace(/[^\w.+\/-]/g, "?").slice(0, 60) || "?";
    const headers = new Headers(res.headers);
    for (const name of ["content-length", "content-encoding", "content-type"]) headers.delete(name);
    const wrong = errorResponse(502, {
      code: "UpstreamError",
      message: `The Azure OpenAI upstream (${host}) answered ${res.status} with ${shown}, not ` +
        `${kind} (e.g. a proxy's sign-in page); see the server log.`,
    }, Object.fromEntries(headers));
    WRONG_KIND.set(
      wrong,
      `${res.status} ${shown}, not ${kind} (a proxy's sign-in page, a misconfigured endpoint?)`,
    );
    return wrong;
  };
}

/** A 429 failed over from, kept to answer with: see {@link hold}. */
interface Held {
  index: number;
  /** The 429 again, its body read; undefined when the read failed. */
  answer: Promise<Response | undefined>;
  /** Cancels the read, when still running. */
  drop: () => void;
}

/**
 * `upstream` (a 429 of upstream `index`), its body read in the background (up to what relay()
 * reads) while the next upstreams are tried: the answer to give when the last one gives none
 * (unreachable, timed out, its sign-in failed). Read now, not then: its call's deadline runs on.
 */
function hold(upstream: Response, index: number): Held {
  const reader = upstream.body?.getReader();
  const scrub = RAW_SCRUB.get(upstream);
  const answer = (reader ? textUpTo(reader, MAX_ERROR_BODY_BYTES) : Promise.resolve("")).then(
    (text) => {
      const again = new Response(text, upstream);
      if (scrub) RAW_SCRUB.set(again, scrub);
      return again;
    },
    () => undefined,
  );
  return { index, answer, drop: () => void reader?.cancel().catch(() => {}) };
}

/**
 * The api-version for a call that brought none (the v1 routes) to an upstream whose own is
 * `version`: that one, except for speech, which dated versions have only in previews from
 * 2024-02-15-preview on (as the core client's `audio.speech.create()` picks).
 */
function ownVersion(path: string, version: string): string | undefined {
  return path !== "audio/speech" || version === "v1" ||
      /-preview$/.test(version) && version >= "2024-02-15-preview"
    ? undefined
    : SPEECH_API_VERSION;
}

/**
 * The deployment, JSON and form of `init` for an upstream that calls its deployment `own`: the
 * JSON or form `model` that holds the app's name gets `own` too (copies; `init` is untouched).
 */
function ownNames(
  init: ForwardInit,
  own: string | undefined,
): { deployment?: string; json?: Record<string, unknown>; form?: FormData } {
  const { deployment, json, form } = init;
  if (own === deployment) return { deployment, json, form };
  let copy: FormData | undefined;
  if (form?.get("model") === deployment) {
    copy = new FormData();
    form!.forEach((value, key) => copy!.append(key, key === "model" ? own! : value));
  }
  return {
    deployment: own,
    json: json?.model === deployment ? { ...json, model: own } : json,
    form: copy ?? form,
  };
}

/**
 * The body to send for `json`, made from the client's `sent`: its bytes when `json` has the same
 * top-level members (by identity), else its text with each member `json` changed, added or left
 * out spliced in (written as JSON.stringify writes it; every duplicate of its name), every
 * other byte kept. JSON.stringify(json) would round integers past 2^53 anywhere in the body.
 */
export function jsonText(sent: SentJson, json: Record<string, unknown>): BodyInit {
  const { parsed } = sent;
  let bytes = sent.bytes;
  // TextDecoder drops a byte order mark: JSON.parse never saw it, nor does the upstream.
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) bytes = bytes.subarray(3);
  const edits = new Map<string, unknown>();
  for (const key in json) {
    if (Object.hasOwn(json, key) && (!Object.hasOwn(parsed, key) || parsed[key] !== json[key])) {
      edits.set(key, json[key]);
    }
  }
  for (const key in parsed) {
    if (Object.hasOwn(parsed, key) && !Object.hasOwn(json, key)) edits.set(key, undefined);
  }
  if (!edits.size) return bytes as Uint8Array<ArrayBuffer>;
  return spliceMembers(new TextDecoder().decode(bytes), edits);
}

/**
 * `text` (a JSON object, valid) with its top-level members named in `edits` set to their value
 * (`undefined`: removed), and those it lacks added at its end.
 */
export function spliceMembers(text: string, edits: Map<string, unknown>): string {
  const { members, close } = topMembers(text);
  const names = new Set(members.map((m) => m.name));
  let out = members.length ? text.slice(0, members[0].at) : text.slice(0, close);
  let first = true;
  members.forEach((m, i) => {
    const value = edits.has(m.name) ? edits.get(m.name) : m;
    if (value === undefined) return;
    // The spaces and comma that came before it; none before the first one written.
    if (!first) out += text.slice(members[i - 1].end, m.at);
    first = false;
    out += text.slice(m.at, m.value) +
      (value === m ? text.slice(m.value, m.end) : JSON.stringify(value));
  });
  for (const [name, value] of edits) {
    if (value !== undefined && !names.has(name)) {
      out += `${first ? "" : ","}${JSON.stringify(name)}:${JSON.stringify(value)}`;
      first = false;
    }
  }
  return out + text.slice(members.length ? members[members.length - 1].end : close);
}

/**
 * Requests whose upstream call outlives their client (a non-streamed call under a token budget or
 * quota: the service finishes, and bills, such a reply after its client left). Once the call was
 * sent upstream, the client going away no longer aborts it (nor does it fail over): `forward()`
 * answers 499 at once and hands the function set here the answer to come, relayed as any (its
 * upstream timeout still applies). Before it was sent (a cache lookup), the client leaving aborts
 * it as for any call. Read once, by the request's next `forward()`.
 */
export const OUTLIVE: WeakMap<Request, (answer: Promise<Response>) => void> = new WeakMap();

/**
 * The 499s of calls whose client went away before anything was sent upstream (during the cache
 * lookup): no prompt reached the service, so a token budget has nothing to charge for them.
 */
export const UNSENT: WeakSet<Response> = new WeakSet();

/** The 499 for a client that went away; `unsent`: before anything was sent (see UNSENT). */
export function clientGone(unsent = false): Response {
  const gone = errorResponse(499, {
    code: "ClientClosedRequest",
    message: "The client went away.",
  });
  if (unsent) UNSENT.add(gone);
  return gone;
}

/** What the per-try gate layer does and saw. */
interface Gate {
  /** A cooling upstream's last-resort try. */
  lastResort: boolean;
  /** On a 429, hand it back at once rather than let retry() wait (another upstream is ready). */
  handOff: boolean;
  /** The call got past the cache layers, towards the upstream. */
  sent: boolean;
}

/**
 * The innermost per-call layer of a try: it runs only when the call goes upstream (a cache hit,
 * or the streamed chat's cache lookup, stops before it), so `tried` spends a cooling upstream's
 * last-resort try only on a real request. With `handOff`, it has retry() return a 429 instead of
 * waiting it out: the call's total deadline is set as passed, which makes retry() hand back the
 * response it has rather than sleep (a 429 asking for more than a minute is thrown as before).
 */
function gateLayer(gate: Gate, tried: () => void): Middleware {
  return (ctx, next) => {
    // A call aborted by now is not sent (fetch refuses an aborted signal at once).
    if (!gate.sent && !ctx.signal?.aborted) {
      gate.sent = true;
      if (gate.lastResort) tried();
      if (gate.handOff) {
        observeAttempts(ctx.state, (response) => {
          if (response.status === 429) ctx.state[DEADLINE_STATE_KEY] = 0;
        });
      }
    }
    return next();
  };
}

/** Thrown by the layer that stops a call every upstream of which cools down. */
class CoolingDown extends Error {}

/**
 * The answer when every upstream cools down and had its last-resort try: the cache layers run
 * (on the primary's pipeline) and answer a hit; what would go upstream gets a 429 with the
 * soonest cooldown end as `retry-after` (ceil seconds) and `retry-after-ms`, and no
 * `x-aoai-upstream` (the app answered). When every upstream is skipped for the app's credential
 * (`refused`), it gets the 401 they answered, or the 502 of a failed sign-in, instead: no wait
 * mends that, and a 429 tells the client's SDK to wait and retry.
 */
async function coolingDown(
  opts: ResolvedOptions,
  request: Request,
  init: ForwardInit,
  ms: number,
  send: (index: number, middleware: Middleware[] | undefined) => Promise<Response>,
  refused?: Refusal,
): Promise<Response> {
  if (init.middleware?.length) {
    const stop: Middleware = () => Promise.reject(new CoolingDown());
    try {
      return relay(await send(0, [...init.middleware, stop]), request, opts, init, 0);
    } catch (err) {
      if (!(err instanceof CoolingDown)) return failure(opts, init, err, 0);
    }
  }
  if (refused) {
    const what = refused === "401"
      ? "refused the app's credential (401)"
      : "failed the app's sign-in";
    opts.onError(
      `${init.operation}: every upstream ${what} in the last ${
        UNREACHABLE_COOLDOWN_MS / 1000
      } s; ` +
        `answered ${refused === "401" ? 401 : 502} without asking them`,
    );
    return refused === "401"
      ? credentialRefused(opts, "Every Azure OpenAI upstream of this edge app")
      : signInFailed();
  }
  const seconds = Math.max(1, Math.ceil(ms / 1000));
  opts.onError(
    `${init.operation}: every upstream is cooling down; answered 429 (retry after ${seconds} s)`,
  );
  return errorResponse(429, {
    code: "UpstreamsCoolingDown",
    message: "Every Azure OpenAI upstream of this edge app is throttled or unreachable for this " +
      `deployment; retry after ${seconds} seconds.`,
  }, { "retry-after": String(seconds), "retry-after-ms": String(Math.max(0, Math.ceil(ms))) });
}

/**
 * The 429 answer behind `err`, when `err` is the error `retry()` (`upstreamMaxRetries` > 0)
 * throws for a 429 asking to wait longer than it waits: rebuilt from the error (already scrubbed
 * of the client's credentials) so it cools down, fails over or is relayed like any 429.
 */
function throttledAnswer(err: unknown): Response | undefined {
  if (!(err instanceof AzureOpenAIError) || err.status !== 429 || !err.headers) return undefined;
  // Its headers as they came: relay() copies only those a client needs (no content-length).
  const headers = new Headers(err.headers);
  const body = err.body;
  const answer = new Response(typeof body === "string" ? body : JSON.stringify(body ?? null), {
    status: 429,
    headers,
  });
  // Relayed as an upstream error (a page that is no JSON error becomes one); already scrubbed.
  RAW_SCRUB.set(answer, (text) => text);
  return answer;
}

/**
 * Waits for the first bytes of `upstream`'s body (a read like any: under the call's signal and its
 * stream idle timeout): the response again, its body those bytes then the rest, or `{ err }` when
 * the body failed (or ended, `err` undefined) before any. Its body is cancelled then.
 */
async function firstBytes(upstream: Response): Promise<Response | { err: unknown }> {
  const reader = upstream.body!.getReader();
  let head: Uint8Array | undefined;
  try {
    while (!head) {
      const next = await reader.read();
      if (next.done) break;
      if (next.value.length) head = next.value;
    }
  } catch (err) {
    reader.cancel().catch(() => {});
    return { err };
  }
  if (!head) return { err: undefined };
  return new Response(
    new ReadableStream<Uint8Array>({
      async pull(controller) {
        try {
          if (head) {
            controller.enqueue(head);
            head = undefined;
            return;
          }
          let next: ReadableStreamReadResult<Uint8Array>;
          try {
            next = await reader.read();
          } catch (err) {
            return controller.error(err);
          }
          if (next.done) controller.close();
          else controller.enqueue(next.value);
        } catch {
          // Cancelled while the read was pending: the cancel went upstream already.
        }
      },
      cancel: (reason) => reader.cancel(reason),
    }, { highWaterMark: 0 }),
    upstream,
  );
}

/** The upstream to try after `order[n]`, unless it was the last or the client went away. */
function nextOf(order: number[], n: number, request: Request): number | undefined {
  // Past the end, order[n + 1] is undefined.
  return request.signal.aborted ? undefined : order[n + 1];
}

async function relay(
  upstream: Response,
  request: Request,
  opts: ResolvedOptions,
  init: ForwardInit,
  index: number,
): Promise<Response> {
  const headers = relayHeaders(upstream, request, opts.upstreams.list[index].client.endpoint);
  if (upstream.headers.has("operation-location") && !headers.has("operation-location")) {
    // Not quoted: it may carry a secret.
    opts.onError(
      `${init.operation}: upstream ${opts.upstreams.list[index].host} answered an ` +
        "operation-location under its endpoint that names no operation id; dropped",
    );
  }
  if (REDIRECTS.has(upstream.status)) {
    // Not followed (the client sends redirect: "manual"); its Location may carry a secret: only its origin is logged.
    await upstream.body?.cancel();
    const host = opts.upstreams.list[index].host;
    let to = "";
    try {
      to = ` to ${new URL(upstream.headers.get("location") ?? "").origin}`;
    } catch { /* no usable Location */ }
    opts.onError(
      `${init.operation}: upstream ${host} answered ${upstream.status} (a redirect${to}); ` +
        "not followed: set the endpoint the service answers at",
    );
    return errorResponse(502, {
      code: "UpstreamRedirect",
      message: `The Azure OpenAI upstream (${host}) answered with a redirect, which the edge app ` +
        "does not follow; see the server log.",
    }, { "x-aoai-upstream": String(index) });
  }
  // Served by the cache, not by an upstream: no upstream to name.
  if (headers.get("x-aoai-cache") !== "hit") headers.set("x-aoai-upstream", String(index));
  let body: BodyInit | null;
  // An error may echo the upstream credential (a gateway reflecting request headers, say): it is
  // scrubbed, body and headers, with what the client knows of its credentials.
  const scrub = upstream.ok ? undefined : RAW_SCRUB.get(upstream);
  if (scrub) {
    try {
      body = scrub(await textUpTo(upstream, MAX_ERROR_BODY_BYTES)) as string;
    } catch (err) {
      // The connection broke while the error was read (a timeout or an abort is classified;
      // the client reports a cut body as APIConnectionError).
      const cut = err instanceof APIConnectionError && !(err instanceof APITimeoutError);
      if ((err instanceof AzureOpenAIError && !cut) || request.signal.aborted) {
        return failure(opts, init, err, index);
      }
      const host = opts.upstreams.list[index].host;
      opts.onError(
        `${init.operation}: upstream ${host} answered ${upstream.status}, then its connection ` +
          `broke: ${err instanceof Error ? err.message : String(err)}`,
      );
      // The waits and request ids it sent still apply (scrubbed as below); not its content-type.
      headers.delete("content-type");
      headers.forEach((value, name) => headers.set(name, scrub(value) as string));
      return errorResponse(502, {
        code: "UpstreamConnectionLost",
        message: `The connection to the Azure OpenAI upstream (${host}) broke while it answered ` +
          `${upstream.status}; retry later.`,
      }, Object.fromEntries(headers));
    }
    headers.forEach((value, name) => headers.set(name, scrub(value) as string));
    // Not the service's JSON error (a gateway's or proxy's HTML page, a cut body): the client's
    // SDK could not read it, so it gets one in the service's shape, with the upstream's status
    // (a 401 gets its own answer below).
    if (
      !NULL_BODY.has(upstream.status) && upstream.status !== 401 && !isJsonObject(body as string)
    ) {
      const host = opts.upstreams.list[index].host;
      // Logged, not answered: a page may echo what the client sent (markup, a phishing line).
      const excerpt = (body as string).replace(/<[^>]*>/g, " ").replace(/[\s\p{C}]+/gu, " ")
        .trim().slice(0, 300);
      opts.onError(
        `${init.operation}: upstream ${host} answered ${upstream.status} without a JSON error` +
          (excerpt ? `: ${excerpt}` : ""),
      );
      headers.set("content-type", "application/json");
      body = await errorResponse(upstream.status, {
        code: "UpstreamError",
        message: `The Azure OpenAI upstream (${host}) answered ${upstream.status} without a JSON ` +
          "error (e.g. a gateway's error page); see the server log.",
      }).text();
    }
  } else body = upstream.body;
  // A 204 or 304 has no body (a Response refuses one, even empty).
  if (NULL_BODY.has(upstream.status)) {
    if (typeof body !== "string") await upstream.body?.cancel();
    body = null;
  }
  if (upstream.status === 401) {
    // The app's own credential was refused (its key, or its token's role), not the client's
    // key: relayed as is, the 401 would send the client looking at its key. Still a 401, which
    // SDKs do not retry (a 5xx they would, three times over, for a setting only the operator
    // can fix); the message says whose credential it was.
    const host = opts.upstreams.list[index].host;
    if (typeof body !== "string") await upstream.body?.cancel();
    opts.onError(
      `${init.operation}: upstream ${host} refused the app's credential (401)` +
        // One line without control characters (an ANSI escape would rewrite a terminal's log).
        (typeof body === "string" ? `: ${body.replace(/[\s\p{Cc}]+/gu, " ").slice(0, 300)}` : ""),
    );
    headers.delete("content-type");
    return credentialRefused(
      opts,
      `The Azure OpenAI upstream (${host})`,
      Object.fromEntries(headers),
    );
  }
  // A body passed on as it came declares the upstream's length, so a reply cut short fails the
  // client's read: workerd ends a failed body of no declared length cleanly, the cut JSON looking
  // whole. Not when fetch decoded it (content-encoding: the length is the encoded one), nor for an
  // event stream (the app may leave events out).
  const length = upstream.headers.get("content-length");
  if (
    body && body === upstream.body && upstream.ok && length && /^\d+$/.test(length) &&
    /^(identity)?$/i.test(upstream.headers.get("content-encoding")?.trim() ?? "") &&
    !init.stream && !(headers.get("content-type") ?? "").startsWith("text/event-stream") &&
    headers.get("x-aoai-cache") !== "hit"
  ) headers.set("content-length", length);
  return new Response(body, {
    status: upstream.status,
    statusText: upstream.statusText,
    headers,
  });
}

/**
 * The 401 for the app's credential refused by `who` (an upstream, or every one), of `opts`'s
 * upstreams.
 */
function credentialRefused(
  opts: ResolvedOptions,
  who: string,
  headers?: Record<string, string>,
): Response {
  const several = opts.upstreams.list.length > 1;
  return errorResponse(401, {
    code: "UpstreamAuthenticationFailed",
    message: `${who} refused this edge app's credential (401); check AZURE_OPENAI_API_KEY` +
      (several
        ? " and AZURE_OPENAI_FALLBACK_API_KEYS (or the Entra ID principal's role on " +
          "each resource)"
        : " (or the Entra ID principal's role on the resource)") +
      ". Your client key was accepted.",
  }, headers);
}

/**
 * Statuses that point elsewhere: those fetch follows, and 300, which it hands back as it is (no
 * redirect status to it) with a Location as well.
 */
const REDIRECTS = new Set([300, 301, 302, 303, 307, 308]);

/** Statuses whose response has no body. */
const NULL_BODY = new Set([101, 103, 204, 205, 304]);

/** Whether `text` is a JSON object (the service's errors are). */
function isJsonObject(text: string): boolean {
  try {
    const value = JSON.parse(text);
    return typeof value === "object" && value !== null && !Array.isArray(value);
  } catch {
    return false;
  }
}

/** Most bytes of an upstream error body the app reads (to scrub) and relays; the rest is cut. */
export const MAX_ERROR_BODY_BYTES = 1024 * 1024;

/** The first `max` bytes of `source`'s body as text; the rest is cancelled, not read. */
async function textUpTo(
  source: Response | ReadableStreamDefaultReader<Uint8Array>,
  max: number,
): Promise<string> {
  const reader = source instanceof Response ? source.body?.getReader() : source;
  if (!reader) return "";
  const decoder = new TextDecoder();
  let text = "";
  for (let left = max; left > 0;) {
    const { done, value } = await reader.read();
    if (done) return text + decoder.decode();
    const piece = value.length > left ? value.subarray(0, left) : value;
    left -= piece.length;
    text += decoder.decode(piece, { stream: true });
  }
  await reader.cancel();
  return text + decoder.decode();
}

/** The 502 for the app's sign-in to Azure OpenAI failing. */
function signInFailed(headers?: Record<string, string>): Response {
  return errorResponse(502, {
    code: "UpstreamSignInFailed",
    message: "The edge app could not get a token to sign in to Azure OpenAI (e.g. Microsoft " +
      "Entra ID refused or did not answer its token request); see the server log.",
  }, headers);
}

/** Whether `err` is the upstream client's tokenProvider failing (no request was answered). */
function isSignInFailure(err: unknown): boolean {
  return err instanceof AuthenticationError && err.status === undefined;
}

function failure(opts: ResolvedOptions, init: ForwardInit, err: unknown, index: number): Response {
  const host = opts.upstreams.list[index].host;
  const several = opts.upstreams.list.length > 1;
  const detail = err instanceof Error ? err.message : String(err);
  const which = { "x-aoai-upstream": String(index) };
  if (err instanceof APIUserAbortError) return clientGone();
  if (err instanceof APITimeoutError) {
    opts.onError(`${init.operation}: upstream ${host} timed out`);
    return errorResponse(504, {
      code: "UpstreamTimeout",
      message: several
        ? `No Azure OpenAI upstream answered in time; the last one tried (${host}) timed out; ` +
          "retry later."
        : `The Azure OpenAI upstream (${host}) did not answer in time; retry later.`,
    }, which);
  }
  if (err instanceof APIConnectionError) {
    opts.onError(`${init.operation}: upstream ${host} unreachable: ${detail}`);
    return errorResponse(502, {
      code: "UpstreamUnreachable",
      message: several
        ? `The edge app could not get an answer from any Azure OpenAI upstream; the last one ` +
          `tried (${host}) could not be reached; check AZURE_OPENAI_ENDPOINT, ` +
          "AZURE_OPENAI_FALLBACK_ENDPOINTS and the network, then retry."
        : `The edge app could not reach the Azure OpenAI upstream (${host}); check ` +
          "AZURE_OPENAI_ENDPOINT and the network, then retry.",
    }, which);
  }
  opts.onError(`${init.operation}: ${detail}`);
  // The upstream client's tokenProvider failed (e.g. Entra ID refused the app's client secret):
  // the app's own sign-in, not the client's, so not a 401, which would blame the client's key.
  if (isSignInFailure(err)) return signInFailed(which);
  return errorResponse(500, {
    code: "EdgeError",
    message: `The edge app failed while calling the upstream for ${init.operation}; see the ` +
      "server log.",
  }, which);
}
