/**
 * `createEdgeApp()`: the edge app (a Hono app inside) serving the Azure OpenAI API to clients
 * that present a client key, with cached embeddings, streaming chat and a pass-through for the
 * rest.
 *
 * @module
 */
import { Hono } from "hono";
import type { Context } from "hono";
import {
  deploymentNotAllowedForKey,
  deploymentNotFound,
  errorResponse,
  methodNotAllowed,
  notFound,
  unauthorized,
} from "./_errors.ts";
import { clientGone, clientRequestId, forward, OUTLIVE, UNSENT } from "./_forward.ts";
import {
  apiVersionOf,
  bodyProblem,
  jsonContentTypeProblem,
  OPERATIONS,
  prepareCall,
  uploadTokens,
} from "./_operations.ts";
import { clientIdOf, holdsClientKey, matchClientKey } from "./auth.ts";
import { createCors } from "./cors.ts";
import { type EdgeAppOptions, type EdgeExecutionContext, resolveOptions } from "./options.ts";
import type { RateLimitDecision } from "./rate_limit.ts";
import { playgroundRoute } from "./playground.ts";
import { createCaching } from "./_caching.ts";
import { handleChat } from "./_chat.ts";
import { checkImagesBody, parseJsonObject } from "./validation/mod.ts";
import { readBodyLimited } from "./body_limit.ts";
import { invalidRequest } from "./_errors.ts";
import {
  type ChargeTo,
  estimateTokens,
  type EventSource,
  type Hold,
  observeResponse,
  type RequestRecord,
} from "./_events.ts";
import type { TokenQuotaDecision, TokenQuotaLimiter } from "./token_quota.ts";
import type { EdgeRequestRoute } from "./options.ts";
import { doneTracker, endsWithDone } from "./_sse_done.ts";
import { REPORTED } from "./_reported.ts";

/**
 * The edge app: a fetch handler for `Deno.serve`, Workers (`export default app`) and tests.
 *
 * @example Call the app directly, as a test would
 * ```ts
 * import { createEdgeApp, type EdgeApp } from "@aoai/edge/edge";
 * const app: EdgeApp = createEdgeApp({
 *   upstream: { endpoint: "https://my-res.openai.azure.com", apiKey: "<azure key>" },
 *   clientKeys: ["a-long-client-key"],
 * });
 * const health = await app.fetch(new Request("https://edge.example/health"));
 * console.log(health.status, await health.json()); // 200 { status: "ok" }
 * const noKey = await app.fetch(new Request("https://edge.example/openai/v1/models"));
 * console.log(noKey.status); // 401
 * await noKey.body?.cancel();
 * ```
 */
export interface EdgeApp {
  /**
   * Serves one request. `env` is ignored (Workers passes its bindings); `ctx.waitUntil`, when
   * given, keeps cache writes, `onRequest` events and token charges alive after the response
   * is sent.
   */
  fetch(request: Request, env?: unknown, ctx?: EdgeExecutionContext): Promise<Response>;
}

type Env = {
  Bindings: {
    ctx: EdgeExecutionContext | undefined;
    /** Filled for the `onRequest` event and the token charge; undefined without either. */
    record: RequestRecord | undefined;
  };
  Variables: {
    /** Index of the client key the request presented. */
    key: number;
    /**
     * For a body that declared no length, under a token budget or quota: once it is read and its
     * estimate held, asks the limiter and the quota again; the 429 (403) to answer when the budget
     * (quota) less what the client's other requests hold is used up.
     */
    recheck?: () => Promise<Response | undefined>;
    /**
     * For a transcription, under a token budget or quota: once its form says it is token-billed
     * and its estimate is held (`own`), asks the limiter and the quota, as a chat is asked before
     * its body is read; the 429 (403) to answer (its estimate let go) when the budget (quota) less
     * what the client's other requests hold is used up.
     */
    billedCheck?: (own: Hold) => Promise<Response | undefined>;
  };
};

const DEPLOYMENT_PATH = /^\/openai\/deployments\/([^/]+)\/(.+?)\/?$/;
const V1_PATH = /^(?:\/openai)?\/v1\/(.+?)\/?$/;

const OPERATION_PATH = /^\/openai\/operations\/images\/[^/]+$/;

/**
 * The methods this app serves `path` with (GET routes answer HEAD too), or none for a path it does
 * not serve: a known path asked with another method gets 405, not 404.
 */
function allowedMethods(path: string, playground: boolean): string[] {
  const op = DEPLOYMENT_PATH.exec(path)?.[2] ?? V1_PATH.exec(path)?.[1];
  if (
    (op !== undefined && Object.hasOwn(OPERATIONS, op)) ||
    path === "/openai/images/generations:submit"
  ) return ["POST"];
  if (OPERATION_PATH.test(path)) return ["GET", "HEAD", "DELETE"];
  return path === "/health" || (path === "/" && playground) ? ["GET", "HEAD"] : [];
}

/** The kind of route of `path`, for `onRequest` events. */
function routeOf(path: string, playground: boolean): EdgeRequestRoute {
  const op = DEPLOYMENT_PATH.exec(path)?.[2] ?? V1_PATH.exec(path)?.[1];
  if (op !== undefined && Object.hasOwn(OPERATIONS, op)) {
    if (op === "chat/completions") return "chat";
    if (op === "completions" || op === "embeddings") return op;
    return op.startsWith("audio/") ? "audio" : "images";
  }
  if (path === "/openai/images/generations:submit" || OPERATION_PATH.test(path)) return "images";
  if (path === "/health") return "health";
  return path === "/" && playground ? "playground" : "other";
}

/** A held estimate that, once its request is charged, holds the charge until the stores have it. */
interface ChargedHold extends Hold {
  /**
   * `tokens` are being charged to one store (the token limiter, the quota): held instead of the
   * estimate until, for each store charged with promises, the first of its `settled` settles (its
   * write, or its time limit).
   */
  charging(tokens: number, ...settled: Promise<unknown>[]): void;
}

/** The routes a token budget is checked and charged for. */
const CHARGED_ROUTES: EdgeRequestRoute[] = ["chat", "completions", "embeddings"];

/** `answer`, or a rejection once `ms` have passed without it (a limiter that hangs). */
function answerWithin<T>(answer: T | Promise<T>, ms: number): T | Promise<T> {
  if (!(answer instanceof Promise)) return answer;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([answer, late]).finally(() => clearTimeout(timer));
}

/** The name an allowlist uses for the DALL-E 2 operations (which name no deployment). */
const DALL_E_2 = "dall-e-2";

/**
 * Creates the edge app. Routes:
 *
 * - `POST /openai/deployments/{deployment}/{op}?api-version=…` (Azure style: what the official
 *   SDK's `AzureOpenAI` sends with `endpoint` = this app's URL), `op` one of `chat/completions`,
 *   `completions`, `embeddings`, `images/generations`, `audio/transcriptions`,
 *   `audio/translations`, `audio/speech`;
 * - `POST /v1/{op}` and `/openai/v1/{op}` (OpenAI style, body or form `model` naming the
 *   deployment: the SDK's `OpenAI` with `baseURL` = this app's URL + `/v1`);
 * - `POST /openai/images/generations:submit`, `GET|DELETE /openai/operations/images/{id}`
 *   (DALL-E 2 async; these name no deployment, so with `deployments` or `models` set they are
 *   served only when the list allows `dall-e-2`);
 * - `GET /health` and, unless disabled, the playground at `GET /`.
 *
 * API routes need a client key (`api-key` or `Authorization: Bearer`); bodies are validated
 * before anything goes upstream; errors use the service's shape. A path served here asked with
 * another method gets 405 with `Allow`, and `OPTIONS` gets 204 with `Allow` (plus the CORS
 * preflight headers for an allowed origin); any other path 404.
 *
 * @example Serve the app with Deno
 * ```ts
 * import { createEdgeApp, MemoryCache } from "@aoai/edge/edge";
 * const app = createEdgeApp({
 *   upstream: { endpoint: "https://my-res.openai.azure.com", apiKey: "<azure key>" },
 *   clientKeys: ["a-long-random-client-key"],
 *   cache: new MemoryCache(),
 * });
 * const res = await app.fetch(new Request("http://localhost/health"));
 * console.log(res.status); // 200
 * ```
 */
export function createEdgeApp(options: EdgeAppOptions): EdgeApp {
  const opts = resolveOptions(options);
  const cors = createCors(opts.cors);
  /** Some client key has a token budget or quota: responses are observed to charge it. */
  const anyTokenLimiter = opts.keyLimits.some((limits) =>
    limits.tokenLimiter !== undefined || limits.tokenQuota !== undefined
  );
  const upstreamIsV1 = opts.client.apiVersion === "v1";
  const cachingOf = createCaching(opts);
  const app = new Hono<Env>();
  /** The limiter's id of each client key, by index: hashed once, on its first request. */
  const clientIds: Promise<string>[] = [];
  /**
   * Per client key, by index: the prompt tokens estimated for its requests in flight in this
   * isolate (`held`, not yet charged), and all the tokens its let-go holds were charged
   * (`charged`, to tell which charges a check that was under way may not have seen; a hold let go
   * uncharged, a refusal, an error or a cache hit, adds nothing), and the holds of its requests
   * whose answers ended, each until it is let go (`ending`: charged a task later).
   */
  const inFlight: { held: number; charged: number; ending: Set<Promise<void>> }[] = [];
  /**
   * Per request, the answer to come of a call its client left once it was sent upstream (see
   * OUTLIVE): observed and charged when it comes.
   */
  const outlived = new WeakMap<RequestRecord, Promise<Response>>();
  /**
   * Holds `tokens` of key `index`'s budget until its request is charged: `charging()` turns the
   * hold into the tokens being charged, kept until the limiter has them (a shared one, Deno KV,
   * counts them once written: before that, a check there does not see them).
   */
  const hold = (index: number, tokens: number): ChargedHold => {
    const flight = inFlight[index] ??= { held: 0, charged: 0, ending: new Set() };
    flight.held += tokens;
    let done = false;
    /** Per store charged with promises: its write and its time limit. */
    const writes: Promise<unknown>[][] = [];
    let gone = false;
    /** Tokens charged for this request (none until `charging()`). */
    let charged = 0;
    /** Resolves the promise in `flight.ending` once ended (on `release()`). */
    let ended: (() => void) | undefined;
    const letGo = () => {
      if (gone) return;
      gone = true;
      flight.held -= tokens;
      flight.charged += charged;
    };
    return {
      get tokens() {
        return tokens;
      },
      set(n) {
        if (done) return;
        flight.held += n - tokens;
        tokens = n;
      },
      charging(n, ...settled) {
        this.set(n);
        charged = n;
        if (settled.length) writes.push(settled);
      },
      end() {
        if (done || ended) return;
        const charging = new Promise<void>((resolve) => ended = resolve);
        flight.ending.add(charging);
        charging.then(() => flight.ending.delete(charging));
      },
      release() {
        if (done) return;
        done = true;
        ended?.();
        let left = writes.length;
        if (!left) return letGo();
        for (const settled of writes) {
          let seen = false;
          const one = () => {
            if (seen) return;
            seen = true;
            if (--left === 0) letGo();
          };
          for (const p of settled) p.then(one, one);
        }
      },
    };
  };

  if (opts.playground) app.get("/", playgroundRoute(opts.playground));
  app.get("/health", () => Response.json({ status: "ok" }));

  /**
   * Asks a limiter about `client` within `ms`: its decision, or undefined when it failed or hung
   * (fail open: a limiter outage, Deno KV or the Workers binding, must not take the API down).
   */
  const ask = async <D extends { ok: boolean }>(
    what: "rate" | "token" | "quota",
    client: Promise<string>,
    decide: (client: string) => D | Promise<D>,
    ms: number,
  ): Promise<D | undefined> => {
    try {
      const decision = await answerWithin(client.then(decide), ms);
      if (typeof decision?.ok !== "boolean") {
        throw new TypeError(
          `${what === "rate" ? "take" : "check"}() answered without a boolean \`ok\``,
        );
      }
      return decision;
    } catch (err) {
      opts.onError(
        `${what === "quota" ? "token quota" : `${what} limiter`} failed, request let through: ${
          err instanceof Error ? err.message : String(err)
        }`,
      );
    }
  };

  /** The 429 of a refused client: `retry-after` in whole seconds from 1 to a day. */
  const refuse = (decision: RateLimitDecision, over: string): Response => {
    // Infinity or 1e22 would go out as "Infinity", "1e+22".
    const wait = Math.min(86_400, Math.max(1, Math.ceil(Number(decision.retryAfterSeconds) || 1)));
    return errorResponse(429, {
      code: "429",
      message: `This client key ${over} to this edge app; retry after ${wait} seconds.`,
    }, { "retry-after": String(wait) });
  };

  /**
   * The 403 of a client whose token quota is used up (as API Management answers an exceeded
   * quota: not retried by SDKs, unlike a 429), saying when it resets; no `retry-after`.
   */
  const overQuota = (quota: TokenQuotaLimiter, decision: TokenQuotaDecision): Response => {
    const resetAt = Number(decision.resetAt);
    // A custom limiter's date out of range would throw in toISOString().
    const reset = Number.isFinite(resetAt) && Math.abs(resetAt) <= 8.64e15
      ? `; it resets at ${new Date(resetAt).toISOString()}`
      : "";
    const { tokens, period } = quota;
    const of = typeof tokens === "number" && typeof period === "string"
      ? ` of ${tokens} tokens per ${period}`
      : "";
    return errorResponse(403, {
      code: "TokenQuotaExceeded",
      message: `This client key used up its token quota${of} on this edge app${reset}.`,
    });
  };

  app.use("*", async (c, next) => {
    const index = matchClientKey(c.req.raw, opts.clientKeys);
    if (index === -1) return unauthorized();
    c.set("key", index);
    if (c.env.record) c.env.record.key = index;
    // A deployment in the path that the key may not use is refused before anything else: its
    // body is not read, and it uses up none of the key's requests or tokens.
    const scope = opts.keyDeployments[index];
    const inPath = scope && c.req.method === "POST" &&
      DEPLOYMENT_PATH.exec(new URL(c.req.url).pathname)?.[1];
    if (inPath) {
      let name: string | undefined;
      try {
        name = decodeURIComponent(inPath);
      } catch { /* answered by the route: not valid percent-encoding */ }
      const target = name === undefined ? undefined : opts.resolveDeployment(name);
      if (name !== undefined && (target === undefined || !scope.has(target))) {
        return deploymentNotAllowedForKey(name);
      }
    }
    // The id of the key, not its index: the index changes when keys are reordered.
    const id = () => clientIds[index] ??= clientIdOf(opts.clientKeys[index]);
    // Only the routes a budget is charged for: a client over it may still poll its DALL-E 2
    // operations, make images or transcribe with Whisper (`rateLimit` bounds those). Asked before
    // the rate limiter, which counts the request as it answers (and cannot give it back): a
    // request refused for tokens does not use up one of the client's requests. A transcription
    // is asked once its form tells it is token-billed (gpt-4o-transcribe), after the rate limiter.
    const {
      rateLimiter: limiter,
      tokenLimiter,
      rateLimitTimeoutMs,
      tokenLimitTimeoutMs,
      tokenQuota,
      tokenQuotaTimeoutMs,
    } = opts.keyLimits[index];
    let held: Hold | undefined;
    const path = new URL(c.req.url).pathname;
    // Known to be token-billed (gpt-4o-transcribe) or not once its form is read: asked then.
    const transcription =
      (DEPLOYMENT_PATH.exec(path)?.[2] ?? V1_PATH.exec(path)?.[1]) === "audio/transcriptions";
    // Only a POST is an operation there: another method gets its 405, not a budget's 429.
    if (
      (tokenLimiter || tokenQuota) && c.req.method === "POST" &&
      (transcription || CHARGED_ROUTES.includes(routeOf(path, false)))
    ) {
      const flight = inFlight[index] ??= { held: 0, charged: 0, ending: new Set() };
      const tpm = tokenLimiter?.tokensPerMinute;
      const over = typeof tpm === "number"
        ? `used more than ${tpm} tokens per minute`
        : "used up its token budget";
      /** Asks the budget and the quota (those the key has), at once. */
      const check = () =>
        Promise.all([
          tokenLimiter &&
          ask("token", id(), (client) => tokenLimiter.check(client), tokenLimitTimeoutMs),
          tokenQuota &&
          ask("quota", id(), (client) => tokenQuota.check(client), tokenQuotaTimeoutMs),
        ]);
      /**
       * The 403 when the quota is used up, else the 429 when the budget is: by their decisions,
       * or when what either has left is used up by `pending` tokens of the client's other requests
       * in this isolate (let through again once what is left less them is positive).
       */
      const judge = (
        [decision, quota]: [RateLimitDecision | undefined, TokenQuotaDecision | undefined],
        pending: number,
      ) => {
        const spent = (left: unknown) => typeof left === "number" && pending > 0 && left <= pending;
        if (quota && !quota.ok) return overQuota(tokenQuota!, quota);
        // Tokens are left but the key's own requests in flight may use them: that passes once
        // they are charged (often less than held), so a 429 to retry, not a 403 for the window.
        if (quota && spent(quota.remaining)) {
          return errorResponse(429, {
            code: "429",
            message: "This client key's requests in flight may use up what is left of its token " +
              "quota on this edge app; retry after 1 second.",
          }, { "retry-after": "1" });
        }
        if (decision && !decision.ok) return refuse(decision, over);
        const left = decision?.remaining;
        if (typeof left !== "number" || !spent(left)) return undefined;
        return refuse({
          ok: false,
          retryAfterSeconds: typeof tpm === "number" ? (pending - left + 1) * 60 / tpm : 1,
        }, over);
      };
      /**
       * Asks the budget and the quota, counting as spent `others()` (the estimates the client's
       * other requests in this isolate hold) and the charges of those let go during the check,
       * which it may not have seen: the decisions, and the refusal if any, given to `then` at once
       * (before any other request is judged: it takes or lets go its own hold there).
       */
      const decide = async (
        others: () => number,
        then: (refused: Response | undefined) => unknown,
      ) => {
        let before = flight.charged;
        let decisions = await check();
        let refused = judge(decisions, others() + flight.charged - before);
        // Asked once more when refused for those charges, which the check may have counted
        // already (a key with tokens left refused), or while requests whose answers ended are
        // about to be charged: once charged, what they used tells a quota used up (403, not a 429
        // to retry), the budget's true wait, or tokens left (often less than held).
        if (
          refused &&
          (flight.ending.size || flight.charged !== before && !judge(decisions, others()))
        ) {
          await Promise.all(flight.ending);
          before = flight.charged;
          decisions = await check();
          refused = judge(decisions, others() + flight.charged - before);
        }
        then(refused);
        return { decisions, refused };
      };
      /**
       * For a request whose estimate `own` is held already: asks the budget and the quota again,
       * counting what the client's other requests hold then; the refusal, if any (its estimate
       * let go).
       */
      const recheck = (own: Hold) => async () =>
        (await decide(() => flight.held - own.tokens, (refused) => refused && own.release()))
          .refused;
      if (transcription) {
        c.set("billedCheck", (own) => recheck(own)());
      } else {
        // Held once let through, while the body is read: 4 bytes a token of its declared length
        // (the JSON's own estimate once read, when it declares none).
        const length = Number(c.req.header("content-length"));
        const declared = length > 0 && length <= opts.maxJsonBytes;
        const { decisions, refused } = await decide(
          () => flight.held,
          (refused) => refused || (held = hold(index, declared ? Math.ceil(length / 4) : 0)),
        );
        if (refused) return refused;
        const own = held!;
        if (c.env.record) c.env.record.hold = own;
        // A body without a length holds nothing while read: requests sent together that way all
        // pass the check above. Once read, the limiter is asked again (the body may have taken
        // minutes), counting what the others hold then (the first read goes through, as the
        // first checked does). Not when the check failed or told nothing left (fail open).
        if (
          !declared &&
          decisions.some((decision) => typeof decision?.remaining === "number")
        ) {
          c.set("recheck", recheck(own));
        }
      }
    }
    if (limiter) {
      const decision = await ask(
        "rate",
        id(),
        (client) => limiter.take(client),
        rateLimitTimeoutMs,
      );
      if (decision && !decision.ok) {
        held?.release();
        const rpm = limiter.requestsPerMinute;
        return refuse(
          decision,
          typeof rpm === "number"
            ? `sent more than ${rpm} requests per minute`
            : "is over its rate limit",
        );
      }
    }
    await next();
  });

  const runOperation = async (
    c: Context<Env>,
    opPath: string,
    pathDeployment: string | undefined,
    apiVersion: string | undefined,
  ): Promise<Response> => {
    // Own entries only: `constructor`, `toString`, ... are not operations.
    const op = Object.hasOwn(OPERATIONS, opPath) ? OPERATIONS[opPath] : undefined;
    const request = c.req.raw;
    if (!op) return notFound();
    const scope = opts.keyDeployments[c.get("key")];
    const call = await prepareCall(opts, request, op, pathDeployment, upstreamIsV1, scope);
    if (call instanceof Response) return call;
    const record = c.env.record;
    if (record) {
      // The name is the client's text: one holding a client key (a key pasted as the deployment)
      // must not reach the event, in any letter case.
      const name = call.deployment;
      if (!holdsClientKey(name, opts.clientKeys)) record.deployment = name;
      record.stream = call.stream;
      // What a stream without usage is charged for its prompt, with a token limit; also what its
      // client's budget holds for it when the body declared no length.
      const hold = record.hold;
      if (hold && call.json && (call.stream || hold.tokens === 0)) {
        const tokens = estimateTokens(JSON.stringify(call.json));
        if (call.stream) record.promptTokens = tokens;
        hold.set(tokens);
      }
    }
    // A token-billed transcription, under a token budget or quota: its upload's estimate is held
    // against the budget until it is charged, and is what it is charged for its input when its
    // reply tells no usage (a text format, a stream cut before its end).
    const limits = opts.keyLimits[c.get("key")];
    if (record && call.tokenBilled && call.form && (limits.tokenLimiter || limits.tokenQuota)) {
      const tokens = await uploadTokens(call.form);
      record.promptTokens = tokens;
      record.hold = hold(c.get("key"), tokens);
      // Checked as a chat is: refused while the budget or quota, less what the client's other
      // requests hold, is used up (Whisper, billed by the minute, is not checked).
      const refused = await c.get("billedCheck")?.(record.hold);
      if (refused) return refused;
    }
    const refused = await c.get("recheck")?.();
    if (refused) return refused;
    const waitUntil = c.env.ctx ? (p: Promise<unknown>) => c.env.ctx?.waitUntil(p) : undefined;
    // The client's id, for a cache per client key (`cacheScope: "client"`).
    const key = c.get("key");
    const caching = cachingOf(() => clientIds[key] ??= clientIdOf(opts.clientKeys[key]));
    // Under a token budget or quota, a non-streamed call the client drops once sent runs on: the
    // service finishes and bills it all the same, so it is charged its usage, not the estimate
    // (a stream is cut instead, which stops it). Without a budget it is aborted: nothing to count.
    if (record?.hold && !call.stream) {
      OUTLIVE.set(request, (answer) => outlived.set(record, answer));
    }
    const res = op.path === "chat/completions" && call.json
      ? await handleChat(
        opts,
        caching,
        request,
        call,
        apiVersion,
        waitUntil,
        record?.hold ? (usage) => record.usage = usage : undefined,
      )
      : await forward(opts, request, {
        path: op.path,
        deployment: call.deployment,
        method: "POST",
        json: call.json,
        sent: call.sent,
        form: call.form,
        stream: call.stream,
        operation: op.operation,
        apiVersion,
        middleware: op.path === "embeddings" ? caching.embeddings(waitUntil) : undefined,
      });
    // The client went away before the upstream answered; the upstream had the prompt (charged),
    // unless the client left during the cache lookup, before it was sent.
    if (record && res.status === 499 && !UNSENT.has(res)) record.abandoned = true;
    return res;
  };

  app.post("/openai/deployments/*", (c) => {
    const match = DEPLOYMENT_PATH.exec(new URL(c.req.url).pathname);
    if (!match) return notFound();
    const version = apiVersionOf(c.req.raw);
    if (version instanceof Response) return version;
    let deployment: string;
    try {
      deployment = decodeURIComponent(match[1]);
    } catch {
      return invalidRequest(null, "The deployment name in the URL is not valid percent-encoding.");
    }
    return runOperation(c, match[2], deployment, version);
  });

  const v1 = (c: Context<Env>) => {
    const match = V1_PATH.exec(new URL(c.req.url).pathname);
    if (!match) return notFound();
    return runOperation(c, match[1], undefined, undefined);
  };
  app.post("/v1/*", v1);
  app.post("/openai/v1/*", v1);

  // The DALL-E 2 operations name no deployment: an allowlist must allow "dall-e-2" for them, and
  // a key's scope what it resolves to (a `models` alias stands for its target, as elsewhere).
  const dallE2 = (c: Context<Env>) => {
    const target = opts.resolveDeployment(DALL_E_2);
    return target === undefined
      ? deploymentNotFound(DALL_E_2)
      : opts.keyDeployments[c.get("key")]?.has(target) === false
      ? deploymentNotAllowedForKey(DALL_E_2)
      : undefined;
  };
  // forward() rewrites an operation-location under the upstream's endpoint to this app; another
  // one (another host, a relative path) must not reach the client as it came, which would learn
  // that host or a URL carrying the upstream's secrets (a signature, a gateway key). It is
  // rewritten to this app's poll URL when its path names an operation id, else dropped.
  const ownLocation = (res: Response, request: Request, version: string, operation: string) => {
    const location = res.headers.get("operation-location");
    if (location === null) return res;
    const origin = new URL(request.url).origin;
    let url: URL | undefined;
    try {
      url = new URL(location, "http://upstream.invalid");
    } catch { /* dropped below */ }
    if (url?.origin === origin && location.startsWith(origin)) return res;
    const id = /\/operations\/images\/([A-Za-z0-9-]{1,100})$/.exec(url?.pathname ?? "")?.[1];
    if (id) {
      res.headers.set(
        "operation-location",
        `${origin}/openai/operations/images/${id}?api-version=${encodeURIComponent(version)}`,
      );
    } else {
      res.headers.delete("operation-location");
      const host = opts.upstreams.list[Number(res.headers.get("x-aoai-upstream") ?? 0)]?.host;
      // Not quoted: it may carry a secret.
      opts.onError(
        `${operation}: upstream ${host} answered an operation-location that is not under its ` +
          "endpoint and names no operation id; dropped",
      );
    }
    return res;
  };
  app.post("/openai/images/generations:submit", async (c) => {
    const refused = dallE2(c);
    if (refused) return refused;
    const version = apiVersionOf(c.req.raw);
    if (version instanceof Response) return version;
    // The content-type comes first, as on the other JSON routes (prepareCall()).
    const wrongType = jsonContentTypeProblem(c.req.raw);
    if (wrongType) return wrongType;
    const read = await readBodyLimited(c.req.raw, opts.maxJsonBytes);
    if (!read.ok) return bodyProblem(read.reason, opts.maxJsonBytes, null);
    const parsed = parseJsonObject(read.bytes);
    if (!parsed.ok) return invalidRequest(parsed.param, parsed.message, parsed.code);
    const checked = checkImagesBody(parsed.value);
    if (!checked.ok) {
      return invalidRequest(checked.problem.param, checked.problem.message, checked.problem.code);
    }
    const res = await forward(opts, c.req.raw, {
      path: "images/generations:submit",
      method: "POST",
      json: parsed.value,
      stream: false,
      operation: "images.submit",
      apiVersion: version,
      // An operation id belongs to the resource that made it: polls and deletes go to the
      // primary, so the submit does too (no failover for the DALL-E 2 operations).
      primaryOnly: true,
    });
    return ownLocation(res, c.req.raw, version, "images.submit");
  });

  const operationRoute = (method: "GET" | "DELETE") => async (c: Context<Env>) => {
    const refused = dallE2(c);
    if (refused) return refused;
    const version = apiVersionOf(c.req.raw);
    if (version instanceof Response) return version;
    const id = c.req.param("id") ?? "";
    if (!/^[A-Za-z0-9-]{1,100}$/.test(id)) {
      return invalidRequest("id", "Invalid operation id; pass the id returned by the submit call.");
    }
    const operation = method === "GET" ? "images.getOperation" : "images.deleteOperation";
    const res = ownLocation(
      await forward(opts, c.req.raw, {
        path: `operations/images/${id}`,
        method,
        stream: false,
        operation,
        apiVersion: version,
        primaryOnly: true,
      }),
      c.req.raw,
      version,
      operation,
    );
    // HEAD is served as GET; Hono then drops the body unread, which would hold the upstream
    // connection until garbage collection.
    if (c.req.method === "HEAD") await res.body?.cancel();
    return res;
  };
  app.get("/openai/operations/images/:id", operationRoute("GET"));
  app.delete("/openai/operations/images/:id", operationRoute("DELETE"));

  app.notFound((c) => {
    const path = new URL(c.req.url).pathname;
    const allow = allowedMethods(path, opts.playground !== false);
    return allow.length && !allow.includes(c.req.method)
      ? methodNotAllowed(c.req.method, allow)
      : notFound();
  });
  app.onError((err) => {
    opts.onError(`edge app error: ${err instanceof Error ? err.message : String(err)}`);
    return errorResponse(500, {
      code: "EdgeError",
      message: "The edge app failed to handle this request; see the server log.",
    });
  });

  const answer = async (
    request: Request,
    ctx: EdgeExecutionContext | undefined,
    record: RequestRecord | undefined,
  ): Promise<Response> => {
    if (request.method === "OPTIONS") {
      // A served path answers with what it allows (and, for an allowed origin, the CORS
      // preflight headers); another path is answered as any request to it (401, 404).
      const allow = allowedMethods(new URL(request.url).pathname, opts.playground !== false);
      const preflight = allow.length ? cors.preflight(request) : null;
      if (preflight) {
        preflight.headers.set("allow", [...allow, "OPTIONS"].join(", "));
        preflight.headers.set("x-content-type-options", "nosniff");
        return preflight;
      }
    }
    const response = await app.fetch(request, { ctx, record }, undefined);
    // A JSON or SSE answer may quote what a client or the upstream sent: never sniffed as HTML.
    response.headers.set("x-content-type-options", "nosniff");
    const extra = cors.headersFor(request);
    for (const [name, value] of Object.entries(extra)) {
      if (name === "vary") response.headers.append(name, value);
      else response.headers.set(name, value);
    }
    // The client's id comes back on the app's own answers too (401, 404, 400, 413, 429, 403).
    const id = clientRequestId(opts, request);
    if (id && !response.headers.has("x-ms-client-request-id")) {
      response.headers.set("x-ms-client-request-id", id);
    }
    return response;
  };

  const onRequest = opts.onRequest ?? (() => {});
  // Without onRequest or a token limit, responses go out as the app made them: nothing observes
  // them.
  if (opts.onRequest === undefined && !anyTokenLimiter) {
    return {
      fetch: async (request, _env, ctx) =>
        endingCleanly(await answer(request, ctx, undefined), request, opts.onError),
    };
  }
  return {
    async fetch(request, _env, ctx) {
      const start = opts.now();
      const record: RequestRecord = {};
      const response = await answer(request, ctx, record);
      const key = record.key;
      const limits = key === undefined ? undefined : opts.keyLimits[key];
      /** Charges one store, holding the tokens against the budget until it has them. */
      const chargeTo = (
        what: string,
        store: Pick<TokenQuotaLimiter, "charge"> | undefined,
        ms: number,
      ): ChargeTo[] =>
        store
          ? [{
            what,
            charge(client, tokens) {
              const written = store.charge(client, tokens);
              const charge = answerWithin(written, ms);
              // Counted against the budget here until the store has it (or is given up on).
              const held = record.hold as ChargedHold | undefined;
              if (written instanceof Promise) {
                held?.charging(tokens, written, charge as Promise<void>);
              } else held?.charging(tokens);
              return charge;
            },
          }]
          : [];
      const charges = limits && [
        ...chargeTo("token limiter", limits.tokenLimiter, limits.tokenLimitTimeoutMs),
        ...chargeTo("token quota", limits.tokenQuota, limits.tokenQuotaTimeoutMs),
      ];
      const observe = (response: Response, waitUntil: EventSource["waitUntil"]) =>
        observeResponse(response, request, {
          start,
          now: opts.now,
          method: request.method,
          route: routeOf(new URL(request.url).pathname, opts.playground !== false),
          record,
          client: key === undefined
            ? undefined
            : clientIds[key] ??= clientIdOf(opts.clientKeys[key]),
          clientName: key === undefined ? undefined : opts.keyNames[key],
          onRequest,
          // Bounded like the check: a store that hangs must not hold the delivery (and, on
          // Workers, ctx.waitUntil) open.
          charges: charges?.length ? charges : undefined,
          onError: opts.onError,
          waitUntil,
        });
      const late = outlived.get(record);
      if (late) {
        // The client has its 499; its call's answer is observed when it comes, as a reply dropped
        // after its headers is (a JSON one drained for its usage), and charged: its usage, or the
        // estimate (`abandoned`) when it failed or told none. On Workers, in ctx.waitUntil.
        const work = late.catch(() => clientGone()).then((answer) => {
          let delivered: Promise<unknown> | undefined;
          const observed = observe(answer, (p) => delivered = p);
          observed.body?.cancel().catch(() => {});
          return delivered;
        }).catch((err) => {
          record.hold?.release();
          opts.onError(`edge app error: ${err instanceof Error ? err.message : String(err)}`);
        });
        ctx?.waitUntil(work);
        return response;
      }
      return endingCleanly(
        observe(response, ctx ? (p) => ctx.waitUntil(p) : undefined),
        request,
        opts.onError,
      );
    },
  };
}

const LF = 10;
const CR = 13;

/** The event a stream the upstream broke (or stalled past its idle timeout) ends with. */
const CUT_EVENT = new TextEncoder().encode(`data: ${
  JSON.stringify({
    error: {
      code: "UpstreamStreamError",
      message: "The Azure OpenAI upstream's stream broke before its end; the reply is " +
        "incomplete. Retry the request.",
      param: null,
      type: "server_error",
    },
  })
}\n\n`);

/** Whether `tail`, the last bytes of an SSE body (up to 4), ends an event (a blank line). */
function endsEvent(tail: Uint8Array): boolean {
  let i = tail.length;
  const lineEnd = () => {
    if (tail[i - 1] === LF) i -= tail[i - 2] === CR ? 2 : 1;
    else if (tail[i - 1] === CR) i--;
    else return false;
    return true;
  };
  return lineEnd() && lineEnd();
}

/**
 * `response`, whose event stream, when its upstream breaks (a read that fails), ends with an error
 * event in the service's shape ({@link CUT_EVENT}) and a clean close, as the service ends a stream
 * that failed: an SDK then throws that error, instead of a bare network error (or nothing, for a
 * reader that takes the end of the body as the end of the reply). A chat or completions stream the
 * upstream closes before its `data: [DONE]` was cut as well; one that breaks after it was not (the
 * reply is whole): its body ends cleanly, the `[DONE]` event ended, unreported. Cut inside an
 * event, the body first ends that event (truncated JSON: no reader parses it). Each cut is
 * reported through `report` (the app's `onError`), once, naming the route and the cause; the body
 * is not failed besides (workerd ends a failed body cleanly, and Deno.serve would report it a
 * second time). After the client left, the body fails, unreported. Another body (a JSON reply)
 * goes through {@link failingReported}.
 */
function endingCleanly(
  response: Response,
  request: Request,
  report: (message: string) => void,
): Response {
  const body = response.body;
  if (!body) return response;
  const reader = body.getReader();
  const route = routeOf(new URL(request.url).pathname, false);
  const cause = (err: unknown) =>
    (err instanceof Error ? `${err.name}: ${err.message}` : String(err)).replace(/\s+/g, " ");
  if (
    response.status !== 200 ||
    !(response.headers.get("content-type") ?? "").startsWith("text/event-stream")
  ) {
    return failingReported(
      reader,
      response,
      request,
      (err) => report(`${route}: the upstream's reply broke before its end (${cause(err)})`),
    );
  }
  /** The last bytes passed on (up to 4); none yet counts as between events. */
  let tail = new Uint8Array([LF, LF]);
  // Chat and completions streams end with `data: [DONE]`: closed before it, the reply was cut
  // (others, such as transcriptions, end with an event of their own).
  const tracker = endsWithDone(route) ? doneTracker() : undefined;
  const cut = (controller: ReadableStreamDefaultController<Uint8Array>, why: string) => {
    report(`${route}: the upstream's stream broke before its end (${why})`);
    controller.enqueue(
      endsEvent(tail) ? CUT_EVENT.slice() : new Uint8Array([LF, LF, ...CUT_EVENT]),
    );
    controller.close();
  };
  return new Response(
    new ReadableStream<Uint8Array>({
      async pull(controller) {
        try {
          let next: ReadableStreamReadResult<Uint8Array>;
          try {
            next = await reader.read();
          } catch (err) {
            if (request.signal.aborted) return controller.error(err);
            // After its [DONE] the reply is whole: only the connection's end was unclean.
            if (tracker?.done) {
              if (!endsEvent(tail)) controller.enqueue(new Uint8Array([LF, LF]));
              return controller.close();
            }
            return cut(controller, cause(err));
          }
          if (next.done) {
            if (!tracker || tracker.done) return controller.close();
            return cut(controller, "closed before its data: [DONE]");
          }
          const chunk = next.value;
          tracker?.feed(chunk);
          if (chunk.length >= 4) tail = chunk.slice(-4);
          else if (chunk.length) {
            const joined = new Uint8Array(tail.length + chunk.length);
            joined.set(tail);
            joined.set(chunk, tail.length);
            tail = joined.slice(-4);
          }
          controller.enqueue(chunk);
        } catch {
          // Cancelled while the read was pending: the cancel went upstream already.
        }
      },
      cancel: (reason) => reader.cancel(reason),
    }),
    response,
  );
}

/**
 * `response` (a JSON reply, an image, audio, an error answer) read through `reader`, as it came,
 * except when its upstream breaks mid-body (a read that fails): the cut is reported through
 * `report`, once, then the body fails with that error (never a clean end, which a reader would
 * take for the whole reply; workerd ends a failed body cleanly all the same: the JSON it hands on
 * is cut, no reader parses it). The error is marked {@link REPORTED}: Deno.serve hands the failed
 * body to its `onError`, which (`denoOnError()`) then reports nothing more. After the client left,
 * the body fails, unreported.
 */
function failingReported(
  reader: ReadableStreamDefaultReader<Uint8Array>,
  response: Response,
  request: Request,
  report: (err: unknown) => void,
): Response {
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      let next: ReadableStreamReadResult<Uint8Array>;
      try {
        next = await reader.read();
      } catch (err) {
        if (!request.signal.aborted) {
          report(err);
          if (err instanceof Object) REPORTED.add(err);
        }
        return controller.error(err);
      }
      try {
        if (next.done) controller.close();
        else controller.enqueue(next.value);
      } catch {
        // Cancelled while the read was pending: the cancel went upstream already.
      }
    },
    cancel: (reason) => reader.cancel(reason),
  });
  // workerd sends a stream of ours chunked whatever its content-length says, and ends it cleanly
  // when it fails: through its FixedLengthStream the declared length is kept, and a body that
  // fails short of it fails the client's read.
  const length = response.headers.get("content-length");
  const Fixed = (globalThis as { FixedLengthStream?: typeof TransformStream }).FixedLengthStream;
  if (!Fixed || !length) return new Response(body, response);
  const fixed = new (Fixed as new (length: number) => TransformStream<Uint8Array>)(Number(length));
  body.pipeTo(fixed.writable).catch(() => {});
  return new Response(fixed.readable, response);
}
