/**
 * The upstreams of the edge app, primary first, and their cooldowns: an upstream that answered
 * 429 for a deployment cools down for that deployment until its `retry-after` has passed, capped
 * at a minute; one that could not be reached or timed out cools down for every deployment for
 * {@link UNREACHABLE_COOLDOWN_MS}. A cooling upstream is tried after the others, as a last resort,
 * once per cooldown: if it fails again (a 429 again, still unreachable), it is not tried again
 * before that new cooldown ends. An upstream that answers is no longer cooling down. State lives
 * in this isolate's memory.
 *
 * @module
 */
import type { AzureOpenAI } from "../src/client.ts";
import { parseRetryAfterMs } from "../src/errors/retry_after.ts";
import type { Middleware } from "../src/middleware/types.ts";

/** Longest cooldown, in ms, whatever `retry-after` says. */
export const MAX_COOLDOWN_MS = 60_000;
/** Cooldown of a 429 without a usable `retry-after` / `retry-after-ms`, in ms. */
export const DEFAULT_COOLDOWN_MS = 1_000;
/** How long an upstream that could not be reached or timed out is skipped, in ms. */
export const UNREACHABLE_COOLDOWN_MS = 5_000;
/** Deployments tracked per upstream: names come from clients, so the map must not grow forever. */
const MAX_TRACKED = 1_000;

/** One upstream: its client and, for messages, its host (never a key). */
export interface Upstream {
  readonly client: AzureOpenAI;
  readonly host: string;
}

/** A cooldown: when it ends (ms), and whether the upstream had its last-resort try in it. */
interface Cooldown {
  end: number;
  tried: boolean;
}

/** Which upstreams to try for a request, in order. */
export interface Plan {
  /**
   * Indexes to try: those not cooling down (primary first), then, as a last resort, those
   * cooling down that have not had their last-resort try yet, the soonest cooldown end first.
   * Empty when every upstream cools down and had its try.
   */
  order: number[];
  /** How many of `order` (its first ones) are not cooling down. */
  ready: number;
  /** When `order` is empty: ms until the soonest cooldown ends. */
  retryAfterMs: number;
}

/** The upstreams, primary first, with their cooldowns. */
export class Upstreams {
  /** The upstreams, primary (index 0) first. */
  readonly list: readonly Upstream[];
  #now: () => number;
  /** Per upstream: deployment (`""` for none) → its 429 cooldown. */
  #until: Map<string, Cooldown>[];
  /** Per upstream: its cooldown for every deployment (unreachable, timed out). */
  #down: Cooldown[];

  /** Wraps `clients` (at least one); `now` is the clock in ms. */
  constructor(clients: readonly AzureOpenAI[], now: () => number) {
    this.list = clients.map((client) => ({ client, host: hostOf(client.endpoint) }));
    this.#now = now;
    this.#until = clients.map(() => new Map());
    this.#down = clients.map(() => ({ end: 0, tried: false }));
  }

  /** The primary upstream. */
  get primary(): Upstream {
    return this.list[0];
  }

  /** The upstreams to try for `deployment` (a single upstream is always tried). */
  plan(deployment: string | undefined): Plan {
    const now = this.#now();
    const ready: number[] = [];
    const cooling: { index: number; end: number }[] = [];
    let soonest = Infinity;
    this.list.forEach((_, index) => {
      const spans = this.#spans(index, deployment, now);
      if (!spans.length || this.list.length === 1) return ready.push(index);
      const end = Math.max(...spans.map((c) => c.end));
      soonest = Math.min(soonest, end);
      if (!spans.some((c) => c.tried)) cooling.push({ index, end });
    });
    cooling.sort((a, b) => a.end - b.end || a.index - b.index);
    return {
      order: [...ready, ...cooling.map((c) => c.index)],
      ready: ready.length,
      retryAfterMs: soonest - now,
    };
  }

  /** Records that cooling upstream `index` gets its last-resort try for `deployment`. */
  lastResort(index: number, deployment: string | undefined): void {
    for (const span of this.#spans(index, deployment, this.#now())) span.tried = true;
  }

  /** Records the 429 upstream `index` answered for `deployment`, with its headers. */
  coolDown(index: number, deployment: string | undefined, headers: Headers): void {
    if (this.list.length === 1) return;
    const now = this.#now();
    const wait = Math.min(MAX_COOLDOWN_MS, parseRetryAfterMs(headers, now) ?? DEFAULT_COOLDOWN_MS);
    const until = this.#until[index];
    const key = deployment ?? "";
    // A 429 on its last-resort try: no other try before this new cooldown ends.
    const tried = (until.get(key)?.end ?? 0) > now && until.get(key)!.tried;
    for (const [name, span] of until) if (span.end <= now) until.delete(name);
    until.delete(key);
    if (wait <= 0) return;
    if (until.size >= MAX_TRACKED) until.delete(until.keys().next().value as string);
    until.set(key, { end: now + wait, tried });
  }

  /** Records that upstream `index` could not be reached or timed out (for every deployment). */
  markDown(index: number): void {
    if (this.list.length === 1) return;
    const now = this.#now();
    const down = this.#down[index];
    this.#down[index] = {
      end: now + UNREACHABLE_COOLDOWN_MS,
      tried: down.end > now && down.tried,
    };
  }

  /** Records that upstream `index` answered for `deployment`: its cooldowns are over. */
  answered(index: number, deployment: string | undefined): void {
    this.#until[index].delete(deployment ?? "");
    this.#down[index] = { end: 0, tried: false };
  }

  /** The cooldowns of upstream `index` running for `deployment`. */
  #spans(index: number, deployment: string | undefined, now: number): Cooldown[] {
    return [this.#until[index].get(deployment ?? ""), this.#down[index]].filter(
      (c): c is Cooldown => c !== undefined && c.end > now,
    );
  }

  /**
   * Per-call middleware that makes a call through upstream `index` look, to the cache layers
   * between them, as if it went to the primary (its endpoint and api-version in the URL), so
   * cache keys do not depend on the upstream that answered. Empty for the primary.
   */
  asPrimary(
    index: number,
    apiVersionGiven: boolean,
  ): { before: Middleware[]; after: Middleware[] } {
    const { client } = this.list[index];
    const primary = this.primary.client;
    if (index === 0) return { before: [], after: [] };
    let sent = "";
    let shown = "";
    const before: Middleware = (ctx, next) => {
      sent = ctx.request.url;
      if (!sent.startsWith(client.endpoint)) return next();
      const url = new URL(primary.endpoint + sent.slice(client.endpoint.length));
      if (!apiVersionGiven && url.searchParams.has("api-version")) {
        url.searchParams.set("api-version", primary.apiVersion);
      }
      shown = url.href;
      ctx.request = new Request(shown, ctx.request);
      return next();
    };
    const after: Middleware = (ctx, next) => {
      if (shown !== "" && ctx.request.url === shown) ctx.request = new Request(sent, ctx.request);
      return next();
    };
    return { before: [before], after: [after] };
  }
}

function hostOf(endpoint: string): string {
  try {
    return new URL(endpoint).host;
  } catch {
    return "upstream";
  }
}
