/**
 * The upstreams of the edge app, primary first, and their cooldowns: an upstream that answered
 * 429 for a deployment is skipped for that deployment (while another one is available) until its
 * `retry-after` has passed, capped at a minute; one that could not be reached or timed out is
 * skipped for every deployment for {@link UNREACHABLE_COOLDOWN_MS}. State lives in this isolate's
 * memory.
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

/** The upstreams, primary first, with their cooldowns. */
export class Upstreams {
  /** The upstreams, primary (index 0) first. */
  readonly list: readonly Upstream[];
  #now: () => number;
  /** Per upstream: deployment (`""` for none) → time (ms) its cooldown ends. */
  #until: Map<string, number>[];
  /** Per upstream: time (ms) until which it counts as unreachable, for every deployment. */
  #down: number[];

  /** Wraps `clients` (at least one); `now` is the clock in ms. */
  constructor(clients: readonly AzureOpenAI[], now: () => number) {
    this.list = clients.map((client) => ({ client, host: hostOf(client.endpoint) }));
    this.#now = now;
    this.#until = clients.map(() => new Map());
    this.#down = clients.map(() => 0);
  }

  /** The primary upstream. */
  get primary(): Upstream {
    return this.list[0];
  }

  /**
   * The indexes to try for `deployment`, in order: those not cooling down, or, when every one
   * is, all of them (the app never refuses a request because of cooldowns).
   */
  order(deployment: string | undefined): number[] {
    const all = this.list.map((_, i) => i);
    if (all.length === 1) return all;
    const now = this.#now();
    const ready = all.filter((i) =>
      !((this.#until[i].get(deployment ?? "") ?? 0) > now) && !(this.#down[i] > now)
    );
    return ready.length ? ready : all;
  }

  /** Records the 429 upstream `index` answered for `deployment`, with its headers. */
  coolDown(index: number, deployment: string | undefined, headers: Headers): void {
    if (this.list.length === 1) return;
    const now = this.#now();
    const wait = Math.min(MAX_COOLDOWN_MS, parseRetryAfterMs(headers, now) ?? DEFAULT_COOLDOWN_MS);
    const until = this.#until[index];
    for (const [name, end] of until) if (end <= now) until.delete(name);
    const key = deployment ?? "";
    until.delete(key);
    if (wait <= 0) return;
    if (until.size >= MAX_TRACKED) until.delete(until.keys().next().value as string);
    until.set(key, now + wait);
  }

  /** Records that upstream `index` could not be reached or timed out (for every deployment). */
  markDown(index: number): void {
    if (this.list.length > 1) this.#down[index] = this.#now() + UNREACHABLE_COOLDOWN_MS;
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
