import { siteParts } from "./_replay.ts";
import { DROPPED, onBodyEnd } from "../_internal/on_body_end.ts";
import {
  APIConnectionError,
  APITimeoutError,
  APIUserAbortError,
  RateLimitError,
} from "../errors/api_error.ts";
import { parseRetryAfterMs } from "../errors/retry_after.ts";
import { sleep as realSleep } from "../_internal/sleep.ts";
import { observeAttempts, SENT_PARAMS_STATE_KEY } from "./_state.ts";
import { callDeadline } from "./_deadline.ts";
import { QUEUED_MS_STATE_KEY } from "./timeout.ts";
import { TokenBucket } from "./_token_bucket.ts";
import { estimateRequestTokens } from "./_token_estimate.ts";
import type { Middleware, MiddlewareContext } from "./types.ts";
import { checkFns } from "../options.ts";

/**
 * Options of {@link rateLimit}.
 *
 * @example Stay within a deployment's quota
 * ```ts
 * import { AzureOpenAI } from "@aoai/edge";
 * import { rateLimit, type RateLimitOptions } from "@aoai/edge/middleware";
 * import { createEmulator } from "@aoai/edge/emulator";
 * const emulator = createEmulator(); // a local stand-in for your resource
 * const options: RateLimitOptions = {
 *   maxConcurrent: 4,
 *   requestsPerMinute: 60, // your deployment's quota
 *   tokensPerMinute: 10_000,
 * };
 * const client = new AzureOpenAI({
 *   endpoint: "http://emulator.local",
 *   apiKey: emulator.apiKey,
 *   fetch: emulator.fetch,
 *   middleware: [rateLimit(options)],
 * });
 * const res = await client.embeddings.create({ model: "text-embedding-3-small", input: "hi" });
 * console.log(res.data.length); // 1
 * ```
 */
export interface RateLimitOptions {
  /**
   * Most calls in flight at once, to all deployments (a call counts until its response body was
   * read, ended or cancelled: a stream until it ends; a response dropped unread until it is
   * garbage-collected, or the call's signal aborts). Default: no limit.
   */
  maxConcurrent?: number;
  /**
   * Requests-per-minute budget of this instance, shared by the calls to all deployments (your
   * deployment's RPM quota when it serves one). Default: none until learned, per deployment.
   */
  requestsPerMinute?: number;
  /**
   * Tokens-per-minute budget of this instance, shared by the calls to all deployments (your
   * deployment's TPM quota when it serves one). Default: none until learned, per deployment.
   */
  tokensPerMinute?: number;
  /**
   * Seconds of budget that may be spent at once (default 10: Azure enforces per-minute quotas
   * over 1–10 s windows). 60 lets a full minute's budget go in one burst.
   */
  burstSeconds?: number;
  /**
   * Learn, for the deployment that answered only (Azure's quotas are per deployment; its calls
   * then wait without holding up calls to others), from `x-ratelimit-limit-*` (adopt a budget you
   * did not set), `x-ratelimit-remaining-requests` / `-tokens` (with no budget set or sent, as
   * from Azure, which sends no limits, what remains is adopted as a per-minute budget, raised as
   * more remains later; lower what is left; at 0, pause its calls until its `x-ratelimit-reset-*`,
   * or 1 s when there is none and no budget of that kind) and 429s (pause its calls until the
   * retry-after, or 1 s when it is missing or reads as 0). Pauses last at most `maxPauseMs`.
   * A deployment is the request's origin with `ctx.deployment`, or the body's `model` when there
   * is none (the v1 API through `client.request()`). Default true.
   */
  learn?: boolean;
  /**
   * Longest pause, in ms, that one response may impose on its deployment's calls (default
   * 60 000, as `retry()`'s `maxRetryAfterMs`). A longer retry-after or reset pauses this long;
   * calls then go again, and a new 429 pauses again. `Infinity` waits out whatever the service
   * asks.
   */
  maxPauseMs?: number;
  /**
   * Token cost of a call (default {@link estimateRequestTokens} of the call's params, or of the
   * params `cache()` sends upstream when it runs before this layer).
   */
  estimateTokens?: (params: unknown, ctx: MiddlewareContext) => number;
  /**
   * Most calls waiting; one more that cannot go at once is refused with {@link RateLimitError}.
   * Default: no limit.
   */
  maxQueue?: number;
  /** Clock in ms, for tests (default `Date.now`). */
  now?: () => number;
  /** Sleep, for tests (default: abortable setTimeout). */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

/** When a queued call must give up (epoch ms), and the call's timeoutMs that sets it (else 0). */
interface QueueDeadline {
  at: number;
  perAttempt: number;
}

/** Frees a call's slot; with `unsent`, also gives back the budget it took (it never went out). */
type Release = (unsent?: boolean) => void;

/** What rateLimit() learned of one deployment: Azure's quotas are per deployment. */
interface Lane {
  /** Epoch ms until which its calls wait (a 429, or nothing remaining). */
  pausedUntil: number;
  /** Its budgets as the service tells them (see Limiter#adopt). */
  requests?: TokenBucket;
  tokens?: TokenBucket;
}

interface Waiter {
  /** Its deployment's key (see {@link laneKey}). */
  key: string;
  cost: number;
  /** Its deadline (epoch ms; Infinity for none). */
  at: number;
  /** What it waited for last, for the error should its deadline come as it could go. */
  why: string;
  resolve: (release: Release) => void;
  reject: (err: unknown) => void;
  detach: () => void;
  /** Leaves the queue with its deadline's APITimeoutError. */
  expire: () => void;
}

function checkLimit(value: unknown, name: string): void {
  if (value !== undefined && (typeof value !== "number" || !(value > 0))) {
    throw new TypeError(`rateLimit(): ${name} must be a positive number`);
  }
}

/** Parses `x-ratelimit-reset-*` values such as `"1s"`, `"6m0s"`, `"250ms"` or `"2"` (seconds). */
function parseDurationMs(raw: string | null): number | undefined {
  if (raw === null || raw.trim() === "") return undefined;
  const text = raw.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return Number(text) * 1000;
  let total = 0;
  let matched = "";
  for (const m of text.matchAll(/(\d+(?:\.\d+)?)(ms|h|m|s)/g)) {
    const n = Number(m[1]);
    total += m[2] === "ms"
      ? n
      : m[2] === "s"
      ? n * 1000
      : m[2] === "m"
      ? n * 60_000
      : n * 3_600_000;
    matched += m[0];
  }
  return matched === text ? total : undefined;
}

function headerNumber(headers: Headers, name: string): number | undefined {
  const raw = headers.get(name);
  if (raw === null || raw.trim() === "") return undefined;
  const n = Number(raw);
  return Number.isFinite(n) && n >= 0 ? n : undefined;
}

/**
 * The shared state of one rateLimit() instance: the budgets set (one for the instance), what was
 * learned per deployment (pause, budgets), and a queue that is FIFO per deployment and for the
 * instance's budgets: a call held by its deployment's pause or budget lets later calls to others
 * pass; one held by the instance's budgets or concurrency holds everyone after it.
 */
class Limiter {
  readonly #max: number;
  readonly #maxQueue: number;
  readonly #burstSeconds: number;
  readonly #learn: boolean;
  readonly #maxPause: number;
  readonly #now: () => number;
  readonly #sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  readonly #requests: TokenBucket | undefined;
  readonly #tokens: TokenBucket | undefined;
  /** Per deployment key, made when a response first tells something of it. */
  #lanes = new Map<string, Lane>();
  /** Budgets learned from what remained (none was set or sent): raised as more is seen. */
  #floors = new WeakSet<TokenBucket>();
  #active = 0;
  #queue: Waiter[] = [];
  #timer: AbortController | undefined;
  /** When the timer fires (epoch ms). */
  #timerAt = 0;

  constructor(options: RateLimitOptions) {
    this.#max = options.maxConcurrent ?? Infinity;
    this.#maxQueue = options.maxQueue ?? Infinity;
    this.#burstSeconds = options.burstSeconds ?? 10;
    this.#learn = options.learn ?? true;
    this.#maxPause = options.maxPauseMs ?? 60_000;
    this.#now = options.now ?? Date.now;
    this.#sleep = options.sleep ?? realSleep;
    const now = this.#now();
    if (options.requestsPerMinute) this.#requests = this.#bucket(options.requestsPerMinute, now);
    if (options.tokensPerMinute) this.#tokens = this.#bucket(options.tokensPerMinute, now);
  }

  countsTokens(key: string): boolean {
    return !!(this.#tokens ?? this.#lanes.get(key)?.tokens);
  }

  /** Takes one more request: an attempt of a call that already took its own reached the service. */
  charge(key: string): void {
    const now = this.#now();
    this.#requests?.take(1, now);
    this.#lanes.get(key)?.requests?.take(1, now);
  }

  #bucket(perMinute: number, now: number): TokenBucket {
    return new TokenBucket(perMinute, (perMinute * this.#burstSeconds) / 60, now);
  }

  /**
   * Resolves with a release function once a call to deployment `key` may go; rejects when `signal`
   * aborts, or with {@link APITimeoutError} when `deadline` passes first (the call took nothing).
   */
  acquire(
    key: string,
    cost: number,
    signal: AbortSignal | undefined,
    operation: string,
    deadline?: QueueDeadline,
  ): Promise<Release> {
    if (signal?.aborted) return Promise.reject(this.#aborted(operation, signal.reason));
    const now = this.#now();
    if (!this.#queue.length && !this.#laneWait(key, cost, now) && this.#wait(cost, now) === 0) {
      return Promise.resolve(this.#start(key, cost));
    }
    // A deadline past the longest timer is none (as for timeout()).
    const left = deadline ? deadline.at - now : Infinity;
    return new Promise((resolve, reject) => {
      /** Takes the waiter out of the queue and rejects it with `err()`, unless it went. */
      const leave = (err: () => unknown) => {
        const index = this.#queue.indexOf(waiter);
        if (index === -1) return;
        const why = err();
        this.#queue.splice(index, 1);
        waiter.detach();
        reject(why);
        this.#pump();
      };
      const onAbort = () => leave(() => this.#aborted(operation, signal?.reason));
      const expiry = new AbortController();
      const waiter: Waiter = {
        key,
        cost,
        at: left <= 0x7fffffff ? deadline!.at : Infinity,
        why: "its turn",
        resolve,
        reject,
        detach: () => {
          signal?.removeEventListener("abort", onAbort);
          expiry.abort();
        },
        expire: () =>
          leave(() =>
            this.#expired(
              operation,
              deadline!,
              this.#now() - now,
              this.#blocker(waiter) || waiter.why,
            )
          ),
      };
      this.#queue.push(waiter);
      this.#pump();
      // It went at once (past calls held by their deployments), or its deadline had come.
      if (!this.#queue.includes(waiter)) return;
      if (this.#queue.length > this.#maxQueue) {
        return leave(() =>
          new RateLimitError(
            `${operation} was refused by rateLimit(): ${this.#maxQueue} calls are already ` +
              "waiting (maxQueue); retry later or raise maxQueue",
          )
        );
      }
      if (left <= 0) return waiter.expire();
      signal?.addEventListener("abort", onAbort, { once: true });
      // Armed after the pump: a call that went at once holds no timer.
      if (waiter.at < Infinity) this.#sleep(left, expiry.signal).then(waiter.expire, () => {});
    });
  }

  /** Learns the budgets, what remains and a pause of deployment `key` from its response. */
  learnFrom(key: string, response: Response): void {
    if (!this.#learn) return;
    const now = this.#now();
    const h = response.headers;
    const leftRequests = headerNumber(h, "x-ratelimit-remaining-requests");
    const leftTokens = headerNumber(h, "x-ratelimit-remaining-tokens");
    const limitRequests = headerNumber(h, "x-ratelimit-limit-requests");
    const limitTokens = headerNumber(h, "x-ratelimit-limit-tokens");
    let pause: number | undefined;
    // A retry-after that reads as 0 (0, a past date) is no hint, as for retry(): 1 s too.
    if (response.status === 429) pause = parseRetryAfterMs(h, now) || 1_000;
    let lane = this.#lanes.get(key);
    if (!lane) {
      // Nothing told: no state is kept for the deployment (a name never answered for costs none).
      if ((pause ?? leftRequests ?? leftTokens ?? limitRequests ?? limitTokens) === undefined) {
        return;
      }
      this.#lanes.set(key, lane = { pausedUntil: 0 });
    }
    const requests = lane.requests = this.#adopt(
      lane.requests,
      this.#requests,
      limitRequests,
      leftRequests,
      now,
    );
    const tokens = lane.tokens = this.#adopt(
      lane.tokens,
      this.#tokens,
      limitTokens,
      leftTokens,
      now,
    );
    if (leftRequests !== undefined) requests?.clampTo(leftRequests, now);
    if (leftTokens !== undefined) tokens?.clampTo(leftTokens, now);
    for (
      const [left, reset, bucket] of [
        [leftRequests, "requests", requests],
        [leftTokens, "tokens", tokens],
      ] as const
    ) {
      if (left === 0) {
        // Nothing left: wait for the reset, or (with no budget that refills) a second.
        const ms = parseDurationMs(h.get(`x-ratelimit-reset-${reset}`)) ??
          (bucket ? undefined : 1_000);
        if (ms !== undefined) pause = Math.max(pause ?? 0, ms);
      }
    }
    if (pause !== undefined) {
      lane.pausedUntil = Math.max(lane.pausedUntil, now + Math.min(pause, this.#maxPause));
    }
    // What it learned may let a queued call go sooner, or later.
    if (this.#queue.length) this.#pump();
  }

  /**
   * A deployment's budget of one kind after its response. With a budget `set` for the instance,
   * the deployment keeps its own at that rate, only to be lowered to what the service says
   * remains. Else a limit the service sent is adopted; Azure sends none, only what remains: that
   * is a floor of the per-minute limit, adopted when there is no budget and raised as more is seen
   * (never above a limit sent).
   */
  #adopt(
    bucket: TokenBucket | undefined,
    set: TokenBucket | undefined,
    limit: number | undefined,
    left: number | undefined,
    now: number,
  ): TokenBucket | undefined {
    if (set) return bucket ?? (left === undefined ? undefined : this.#bucket(set.perMinute, now));
    if (limit && (!bucket || this.#floors.delete(bucket))) return this.#bucket(limit, now);
    if (!left) return bucket;
    if (!bucket) {
      bucket = this.#bucket(left, now);
      this.#floors.add(bucket);
    } else if (this.#floors.has(bucket) && left > bucket.perMinute) {
      bucket.raise(left, (left * this.#burstSeconds) / 60, now);
    }
    return bucket;
  }

  #expired(operation: string, deadline: QueueDeadline, waited: number, what: string) {
    return new APITimeoutError(
      `${operation} ran out of its ${
        deadline.perAttempt ? `timeoutMs (${deadline.perAttempt} ms)` : "totalTimeoutMs"
      } after ${waited} ms in rateLimit()'s queue, ` +
        `waiting for ${what}; raise it, or maxConcurrent / the per-minute budgets`,
    );
  }

  /** What queued `waiter` waits for, for an error message; "" for nothing. */
  #blocker(waiter: Waiter): string {
    const index = this.#queue.indexOf(waiter);
    const ahead = this.#queue.slice(0, index).filter((w) => w.key === waiter.key).length;
    const earlier = (n: number) => `${n} earlier call${n > 1 ? "s" : ""} to go`;
    if (ahead) return earlier(ahead);
    if (this.#active >= this.#max) return `a concurrency slot (maxConcurrent ${this.#max})`;
    const now = this.#now();
    const lane = this.#lanes.get(waiter.key);
    if (lane && lane.pausedUntil > now) return "the end of a pause the service asked for";
    if (this.#requests?.waitMs(1, now) || lane?.requests?.waitMs(1, now)) {
      return "the requests-per-minute budget";
    }
    if (this.#laneWait(waiter.key, waiter.cost, now) || this.#wait(waiter.cost, now)) {
      return `the tokens-per-minute budget (${waiter.cost} tokens estimated)`;
    }
    return index ? earlier(index) : "";
  }

  #aborted(operation: string, cause: unknown): APIUserAbortError {
    return new APIUserAbortError(`${operation} was aborted while queued by rateLimit()`, {
      cause,
    });
  }

  /** Ms until deployment `key`'s pause and learned budgets let a call of `cost` start. */
  #laneWait(key: string, cost: number, now: number): number {
    const lane = this.#lanes.get(key);
    return lane
      ? Math.max(
        lane.pausedUntil - now,
        lane.requests?.waitMs(1, now) ?? 0,
        (cost > 0 && lane.tokens?.waitMs(cost, now)) || 0,
      )
      : 0;
  }

  /** Ms until the budgets set let a call of `cost` start; undefined while all slots are taken. */
  #wait(cost: number, now: number): number | undefined {
    if (this.#active >= this.#max) return undefined;
    return Math.max(
      this.#requests?.waitMs(1, now) ?? 0,
      (cost > 0 && this.#tokens?.waitMs(cost, now)) || 0,
    );
  }

  #start(key: string, cost: number): Release {
    const now = this.#now();
    const lane = this.#lanes.get(key);
    this.#active++;
    const taken: [TokenBucket, number][] = [];
    for (const bucket of [this.#requests, lane?.requests]) {
      if (bucket) taken.push([bucket, bucket.take(1, now)]);
    }
    for (const bucket of cost > 0 ? [this.#tokens, lane?.tokens] : []) {
      if (bucket) taken.push([bucket, bucket.take(cost, now)]);
    }
    let released = false;
    return (unsent) => {
      if (released) return;
      released = true;
      this.#active--;
      if (unsent) {
        const now = this.#now();
        for (const [bucket, units] of taken) bucket.giveBack(units, now);
      }
      this.#pump();
    };
  }

  /**
   * Starts the queued calls that may go, in order; a call held by its deployment holds only the
   * later calls to that deployment, one held by the instance's budgets or slots holds all later.
   */
  #pump(): void {
    const now = this.#now();
    const held = new Set<string>();
    let wake = Infinity;
    for (let i = 0; i < this.#queue.length;) {
      const waiter = this.#queue[i];
      const lane = held.has(waiter.key) ? Infinity : this.#laneWait(waiter.key, waiter.cost, now);
      const wait = lane ? lane : this.#wait(waiter.cost, now);
      if (wait !== 0) {
        if (lane !== Infinity) waiter.why = this.#blocker(waiter);
        // (undefined: all slots are taken; a release() pumps again)
        if (wait! < Infinity) wake = Math.min(wake, wait!);
        if (!lane) break;
        held.add(waiter.key);
        i++;
        continue;
      }
      // Its deadline came as it could go: it must not go with no time left (an inner timeout()
      // would refuse it unsent); it leaves, and the next one may go.
      if (waiter.at <= now) return waiter.expire();
      this.#queue.splice(i, 1);
      waiter.detach();
      waiter.resolve(this.#start(waiter.key, waiter.cost));
    }
    if (wake < Infinity) this.#arm(now + wake);
    else this.#cancelTimer();
  }

  /** Pumps again at `at` (epoch ms), unless an earlier timer will. */
  #arm(at: number): void {
    if (this.#timer && this.#timerAt <= at) return;
    this.#cancelTimer();
    const timer = this.#timer = new AbortController();
    this.#timerAt = at;
    // A timer fires at once for more than 2^31 - 1 ms; a longer wait re-arms when it ends.
    this.#sleep(Math.min(at - this.#now(), 0x7fffffff), timer.signal).then(
      () => {
        if (this.#timer !== timer) return;
        this.#timer = undefined;
        this.#pump();
      },
      () => {},
    );
  }

  #cancelTimer(): void {
    this.#timer?.abort();
    this.#timer = undefined;
  }
}

/**
 * Client-side rate limiting: a concurrency limit plus requests- and tokens-per-minute budgets.
 * Calls over budget wait in a queue instead of running into 429s, in order per deployment and for
 * the budgets you set (a call held by its deployment's pause or learned budget lets calls to
 * others pass); a queued call whose signal aborts leaves the queue with
 * {@link APIUserAbortError}. The wait counts against the call's deadline: a call still queued when
 * its `timeoutMs` (counted from when it reached the queue) or a total deadline already running
 * passes leaves with {@link APITimeoutError}, having taken nothing;
 * an inner `timeout()` counts the wait against the first attempt and `totalTimeoutMs` (a call
 * whose `totalTimeoutMs` ran out in the queue is not sent and gives back what it took). A call
 * that fails before anything was sent (a token provider that failed, a deadline spent in the
 * queue) gives back the request and tokens it took. Budgets refill continuously;
 * token cost is estimated before the call (≈ prompt characters / 4 plus `max_tokens`, see
 * {@link estimateRequestTokens}), as Azure's own limiter counts. With `learn` (default) it also
 * follows the service, per deployment (Azure's quotas are per deployment): a deployment's
 * `x-ratelimit-remaining-requests` / `-tokens` lower what is left for its calls, and its 429
 * pauses its calls until the retry-after (at most `maxPauseMs`, default 60 s); calls to other
 * deployments go on. The budgets you set (`maxConcurrent`, `requestsPerMinute`,
 * `tokensPerMinute`) are the instance's, shared by all the deployments it serves: for a budget per
 * deployment, give each its own instance (a layer can pick one by `ctx.deployment`). It sees
 * every attempt's response, including those `retry()` retries; as Azure counts each, an attempt
 * of `retry()` inside it answered with anything but a 429 after the first takes one more request
 * (an attempt that got no answer, a connection error, is not charged). A call holds its
 * concurrency slot until its response body was read (a stream until it ends).
 * Share one instance between clients to share the budget. Put `cache()` before it
 * (`[cache(), rateLimit()]`) so cache hits never take a slot or tokens of the budget.
 *
 * @example At most 4 calls at once, within a 120 000 TPM deployment quota
 * ```ts
 * import { AzureOpenAI } from "@aoai/edge";
 * import { createEmulator } from "@aoai/edge/emulator";
 * import { rateLimit } from "@aoai/edge/middleware";
 * const emulator = createEmulator(); // a local stand-in for your resource
 * let inFlight = 0, peak = 0; // requests on the wire, counted around the emulator
 * const client = new AzureOpenAI({
 *   endpoint: "http://emulator.local",
 *   apiKey: emulator.apiKey,
 *   fetch: (input, init) => {
 *     peak = Math.max(peak, ++inFlight);
 *     return emulator.fetch(input, init).finally(() => inFlight--);
 *   },
 *   middleware: [rateLimit({ maxConcurrent: 4, tokensPerMinute: 120_000 })],
 * });
 * const model = "text-embedding-3-small";
 * const inputs = ["a", "b", "c", "d", "e", "f", "g", "h", "i", "j"];
 * await Promise.all(inputs.map((input) => client.embeddings.create({ model, input })));
 * console.log(emulator.stats.requests, peak); // 10 4
 * ```
 */
export function rateLimit(options: RateLimitOptions = {}): Middleware {
  checkLimit(options.maxConcurrent, "maxConcurrent");
  checkLimit(options.requestsPerMinute, "requestsPerMinute");
  checkLimit(options.tokensPerMinute, "tokensPerMinute");
  checkLimit(options.burstSeconds, "burstSeconds");
  checkLimit(options.maxQueue, "maxQueue");
  checkLimit(options.maxPauseMs, "maxPauseMs");
  checkFns(options, ["now", "sleep", "estimateTokens"], "rateLimit()");
  const limiter = new Limiter(options);
  const estimate = options.estimateTokens ??
    ((params: unknown) => estimateRequestTokens(params));
  const now = options.now ?? Date.now;
  return async function rateLimit(ctx, next) {
    const arrived = now();
    const key = laneKey(ctx);
    let cost = 0;
    if (limiter.countsTokens(key)) {
      try {
        // What goes upstream: only the uncached inputs when cache() runs before this layer.
        const params = ctx.state[SENT_PARAMS_STATE_KEY] ?? ctx.params;
        cost = Math.max(0, Number(estimate(params, ctx)) || 0);
      } catch {
        cost = 0;
      }
    }
    // Read before next(): an inner timeout() replaces ctx.signal with its own.
    const signal = ctx.signal;
    // The wait counts against the call's deadlines: the attempt's timeoutMs from now, and the
    // total deadline when one runs already (rateLimit() inside retry()).
    const perAttempt = ctx.options?.timeoutMs;
    const total = ctx.state && callDeadline(ctx);
    let deadline: QueueDeadline | undefined = perAttempt > 0
      ? { at: arrived + perAttempt, perAttempt }
      : undefined;
    if (total !== undefined && !(deadline && deadline.at <= total)) {
      deadline = { at: total, perAttempt: 0 };
    }
    const release = await limiter.acquire(key, cost, signal, ctx.operation, deadline);
    // The attempts of a retry() inside this layer; one outside it calls this after this layer
    // returned, which learnt from the response already.
    const attempt = ctx.attempt;
    let open = true;
    let counted = 0;
    observeAttempts(ctx.state, (res) => {
      if (!open) return;
      // A response reached the service, which counts it as a request, except a 429: the first
      // such is the request the call took, a retry's is one more (before what remains is read).
      if (res.status !== 429 && ++counted > 1) limiter.charge(key);
      limiter.learnFrom(key, res);
    });
    // An inner timeout() counts the wait against the first attempt's and the total deadline.
    const went = now();
    const queued = went - arrived;
    if (queued > 0) ctx.state[QUEUED_MS_STATE_KEY] = queued;
    let response: Response;
    try {
      response = await next();
    } catch (err) {
      // What the call took is given back when no attempt went: a total deadline had passed when
      // it left the queue (an inner timeout() set it from when the call arrived), or its only
      // attempt failed before it was sent (see unsent()) and no response came.
      const end = ctx.state && callDeadline(ctx);
      release(
        end !== undefined && end <= went || !counted && ctx.attempt === attempt && unsent(err),
      );
      throw err;
    } finally {
      open = false;
      // Not for a later attempt of a timeout() outside this layer.
      if (queued > 0) ctx.state[QUEUED_MS_STATE_KEY] = 0;
    }
    limiter.learnFrom(key, response);
    // The slot is held until the body ends, a stream's or not: inside the client, timeout()
    // leaves a non-stream body to be read after this returns (the client's hooks add to this one).
    if (!options.maxConcurrent) return onBodyEnd(response, () => release());
    const free = holdSlot(release, signal);
    // A body dropped unread never ends: the slot goes once the response is collected, or when
    // the call's signal aborts (nothing tells an unread body), whichever comes first.
    DROPPED.register(response, free);
    return onBodyEnd(response, free);
  };
}

/**
 * The deployment a call goes to, for what is learned per deployment (Azure's quotas are per
 * resource and deployment): the request's origin and `ctx.deployment`, else (the v1 API through
 * `client.request()`) the body's `model`, else "".
 */
function laneKey(ctx: MiddlewareContext): string {
  // Without building the client's Request (siteParts reads its unbuilt parts).
  const url = siteParts(ctx).url ?? "";
  const model = (ctx.params as { model?: unknown } | undefined)?.model;
  return `${url.slice(0, url.indexOf("/", 8))} ${
    ctx.deployment ?? (typeof model === "string" ? model : "")
  }`;
}

/**
 * Whether an attempt's failure says it was not sent. Only the transport sends: what it throws is
 * an {@link APIConnectionError} (an inner timeout()'s {@link APITimeoutError} has the transport's
 * abort as cause) or an {@link APIUserAbortError}, and an error made from a response has its
 * status. Anything else came from a layer before the transport: a token provider that failed
 * (AuthenticationError), a timeout() refusing an attempt for a deadline spent (no cause), a
 * layer's own error.
 */
function unsent(err: unknown): boolean {
  return err instanceof APITimeoutError
    ? err.cause === undefined
    : !(err instanceof APIConnectionError || err instanceof APIUserAbortError ||
      (err as { status?: unknown } | null)?.status !== undefined);
}

/**
 * `release`, also run when `signal` aborts; running it unhooks that. Outside the middleware's
 * scope, and holding the signal weakly: DROPPED holds what this returns until the response is
 * collected, and the signal's other listeners (a stream's) may reach the response.
 */
function holdSlot(release: Release, signal: AbortSignal | undefined): () => void {
  if (!signal) return () => release();
  const ref = new WeakRef(signal);
  const free = () => {
    ref.deref()?.removeEventListener("abort", free);
    release();
  };
  if (signal.aborted) free();
  else signal.addEventListener("abort", free, { once: true });
  return free;
}
