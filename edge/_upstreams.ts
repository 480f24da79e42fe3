/**
 * The upstreams of the edge app, primary first, and their cooldowns: an upstream that answered
 * 429 for a deployment cools down for that deployment until its `retry-after` has passed, capped
 * at a minute; one that could not be reached or timed out cools down for every deployment for
 * {@link UNREACHABLE_COOLDOWN_MS}. A cooling upstream is tried after the others, as a last resort,
 * once per cooldown: if it fails again (a 429 again, still unreachable), it is not tried again
 * before that new cooldown ends. An upstream that answers is no longer cooling down. State lives
 * in this isolate's memory.
 *
 * With `balance: "round-robin"`, the upstreams take turns in a fixed cycle in which each has as
 * many turns as its weight (1 by default), spread out as a smooth weighted round-robin does:
 * every turn, each upstream gains its weight in credit, the one with the most (the first of
 * equals) takes the turn and pays the weights' sum (weights 3 and 1 give the cycle 0, 0, 1, 0;
 * equal weights give 0, 1, 2, ...). Each plan starts at the upstream of the cycle's next turn,
 * per deployment, skipping the turns of upstreams that cool down (the others follow in list order
 * from there), so the upstreams share each deployment's traffic in proportion to their weights
 * instead of the primary taking it all; cooling upstreams stay last resorts. A plan whose call
 * did not go upstream gives its turn back.
 *
 * An upstream may know a deployment under its own name (`deploymentNames`): callers always pass
 * the app's name (what `models` / `deployments` resolved), and each upstream is sent, and keeps
 * its cooldowns under, its own name. A 429 is about the resource's quota for its own deployment,
 * so two app names that one upstream maps to the same deployment share that deployment's
 * cooldown there, while another upstream that keeps them apart cools each down on its own.
 *
 * @module
 */
import type { AzureOpenAI } from "../src/client.ts";
import { parseRetryAfterMs } from "../src/errors/retry_after.ts";
import type { Middleware } from "../src/middleware/types.ts";
import { spliceMembers } from "./_forward.ts";

/**
 * How the edge app spreads requests over its upstreams: `"primary-first"` sends every request to
 * the first upstream not cooling down (the others take over on its 429s and failures);
 * `"round-robin"` starts each request at the next ready upstream in turn, each upstream taking
 * as many turns as its `weight` (default 1) in every cycle of turns.
 *
 * @example Two resources taking turns
 * ```ts
 * import { createEdgeApp, type UpstreamBalance } from "@aoai/edge/edge";
 * import { createEmulator } from "@aoai/edge/emulator";
 * const [east, west] = [createEmulator(), createEmulator()]; // stand-ins for two resources
 * const upstreamBalance: UpstreamBalance = "round-robin";
 * const app = createEdgeApp({
 *   upstream: [
 *     { endpoint: "http://east.local", apiKey: east.apiKey, fetch: east.fetch },
 *     { endpoint: "http://west.local", apiKey: west.apiKey, fetch: west.fetch },
 *   ],
 *   upstreamBalance,
 *   clientKeys: ["a-long-client-key"],
 * });
 * for (let i = 0; i < 2; i++) {
 *   const res = await app.fetch(
 *     new Request("http://edge.local/openai/v1/embeddings", {
 *       method: "POST",
 *       headers: { "api-key": "a-long-client-key", "content-type": "application/json" },
 *       body: JSON.stringify({ model: "text-embedding-3-small", input: "hi" }),
 *     }),
 *   );
 *   console.log(res.headers.get("x-aoai-upstream")); // "0", then "1"
 *   await res.body?.cancel();
 * }
 * ```
 */
export type UpstreamBalance = "primary-first" | "round-robin";

/** Longest cooldown, in ms, whatever `retry-after` says. */
export const MAX_COOLDOWN_MS = 60_000;
/** Cooldown of a 429 without a usable `retry-after` / `retry-after-ms`, in ms. */
export const DEFAULT_COOLDOWN_MS = 1_000;
/** How long an upstream that could not be reached or timed out is skipped, in ms. */
export const UNREACHABLE_COOLDOWN_MS = 5_000;
/** Deployments tracked per upstream: names come from clients, so the map must not grow forever. */
const MAX_TRACKED = 1_000;
/** Most turns in a round-robin cycle (the weights' sum, once divided by their common divisor). */
export const MAX_CYCLE = 10_000;

/** `weights` (positive integers) divided by their greatest common divisor. */
function reduced(weights: readonly number[]): number[] {
  const gcd = (a: number, b: number): number => b ? gcd(b, a % b) : a;
  const divisor = weights.reduce(gcd);
  return weights.map((w) => w / divisor);
}

/** How many turns the round-robin cycle of `weights` has (see {@link roundRobinCycle}). */
export function cycleLength(weights: readonly number[]): number {
  return reduced(weights).reduce((a, b) => a + b, 0);
}

/**
 * The round-robin cycle of `weights` (positive integers, divided by their greatest common divisor
 * first): upstream indexes, each as many times as its weight, spread out (a smooth weighted
 * round-robin: each turn, every upstream gains its weight; the one with the most, the first of
 * equals, takes the turn and pays the weights' sum).
 */
export function roundRobinCycle(weights: readonly number[]): number[] {
  const own = reduced(weights);
  const total = cycleLength(own);
  const credit = own.map(() => 0);
  const cycle: number[] = [];
  for (let turn = 0; turn < total; turn++) {
    let best = 0;
    own.forEach((w, i) => {
      credit[i] += w;
      if (credit[i] > credit[best]) best = i;
    });
    credit[best] -= total;
    cycle.push(best);
  }
  return cycle;
}

/** One upstream: its client, for messages its host (never a key), and its own names. */
export interface Upstream {
  readonly client: AzureOpenAI;
  readonly host: string;
  /** The app's deployment name → this upstream's, for the names that differ. */
  readonly names: ReadonlyMap<string, string> | undefined;
}

/** What an upstream is made of: its client and its own deployment names (see {@link Upstream}). */
export interface UpstreamInit {
  readonly client: AzureOpenAI;
  readonly names?: ReadonlyMap<string, string>;
  /** Its turns per round-robin cycle (default 1; validated by the caller). */
  readonly weight?: number;
}

/**
 * Why an upstream refused the app's credential: it answered 401 (a wrong key, a principal without
 * a role there), or the app could not sign in to it (its tokenProvider failed).
 */
export type Refusal = "401" | "sign-in";

/** A cooldown: when it ends (ms), and whether the upstream had its last-resort try in it. */
interface Cooldown {
  end: number;
  tried: boolean;
  /** Skipped for the app's credential, not for being unreachable: see {@link Refusal}. */
  refused?: Refusal;
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
  /**
   * When `order` is empty and every upstream is skipped for the app's credential, which a wait
   * does not mend: `"401"` when each answered 401, else `"sign-in"` (the app could not sign in to
   * some).
   */
  refused?: Refusal;
  /**
   * Round-robin only: gives this plan's turn back (the call did not go upstream: a cache hit,
   * a cache lookup or write), unless a later plan took the next one since.
   */
  giveBack?: () => void;
  /**
   * Round-robin only, for a deployment name this plan is the first of: forgets the name's turns
   * (its call was answered 404, a name no upstream has), so that names made up by clients do not
   * push those of deployments in use out of the names kept.
   */
  forget?: () => void;
}

/** The upstreams, primary first, with their cooldowns. */
export class Upstreams {
  /** The upstreams, primary (index 0) first. */
  readonly list: readonly Upstream[];
  #now: () => number;
  /** Per upstream: its own deployment name (`""` for none) → its 429 cooldown. */
  #until: Map<string, Cooldown>[];
  /** Per upstream: its cooldown for every deployment (unreachable, timed out). */
  #down: Cooldown[];
  /**
   * Round-robin only: per app deployment name (`""` for none), the turn of the cycle its last
   * plan started at (the next starts at the next turn of a ready upstream). Per deployment: with
   * one counter for all, requests alternating between two deployments would each always get the
   * same upstream.
   */
  #last: Map<string, number> | undefined;
  /** Round-robin only: the upstream of each turn (see {@link roundRobinCycle}). */
  #cycle: number[] = [];

  /**
   * Wraps `upstreams` (at least one); `now` is the clock in ms; `balance` is how plans pick
   * the first upstream (see the module).
   */
  constructor(
    upstreams: readonly UpstreamInit[],
    now: () => number,
    balance: UpstreamBalance = "primary-first",
  ) {
    this.#last = balance === "round-robin" ? new Map() : undefined;
    if (this.#last) this.#cycle = roundRobinCycle(upstreams.map((u) => u.weight ?? 1));
    this.list = upstreams.map(({ client, names }) => ({
      client,
      host: hostOf(client.endpoint),
      names: names?.size ? names : undefined,
    }));
    this.#now = now;
    this.#until = upstreams.map(() => new Map());
    this.#down = upstreams.map(() => ({ end: 0, tried: false }));
  }

  /** The name upstream `index` knows the app's `deployment` by (its `deploymentNames`). */
  deploymentOf(index: number, deployment: string | undefined): string | undefined {
    return deployment === undefined ? undefined : this.list[index].names?.get(deployment) ??
      deployment;
  }

  /** The key of `deployment`'s cooldown on upstream `index`: its own name (`""` for none). */
  #key(index: number, deployment: string | undefined): string {
    return this.deploymentOf(index, deployment) ?? "";
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
    // Stable: equal ends stay in list order.
    cooling.sort((a, b) => a.end - b.end);
    let giveBack: (() => void) | undefined;
    let forget: (() => void) | undefined;
    const last = this.#last;
    if (last && ready.length && this.list.length > 1) {
      const key = deployment ?? "";
      const before = last.get(key);
      const cycle = this.#cycle;
      // The next turn of an upstream not cooling down (there is one: every upstream has turns).
      let start = before ?? -1;
      do start = (start + 1) % cycle.length; while (!ready.includes(cycle[start]));
      ready.push(...ready.splice(0, ready.indexOf(cycle[start])));
      last.delete(key);
      if (last.size >= MAX_TRACKED) last.delete(last.keys().next().value as string);
      last.set(key, start);
      giveBack = () => {
        if (last.get(key) !== start) return;
        if (before === undefined) last.delete(key);
        else last.set(key, before);
      };
      if (before === undefined) forget = () => last.get(key) === start && last.delete(key);
    }
    const order = [...ready, ...cooling.map((c) => c.index)];
    return {
      order,
      ready: ready.length,
      retryAfterMs: soonest - now,
      refused: order.length ? undefined : this.#refusal(now),
      giveBack,
      forget,
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
    const key = this.#key(index, deployment);
    // A 429 on its last-resort try: no other try before this new cooldown ends.
    const tried = (until.get(key)?.end ?? 0) > now && until.get(key)!.tried;
    for (const [name, span] of until) if (span.end <= now) until.delete(name);
    until.delete(key);
    if (wait <= 0) return;
    if (until.size >= MAX_TRACKED) until.delete(until.keys().next().value as string);
    until.set(key, { end: now + wait, tried });
  }

  /** Why every upstream is skipped for the app's credential, if they all are (see {@link Plan}). */
  #refusal(now: number): Refusal | undefined {
    const why = this.#down.map((c) => c.end > now ? c.refused : undefined);
    return why.every((r) => r === "401")
      ? "401"
      : why.every((r) => r !== undefined)
      ? "sign-in"
      : undefined;
  }

  /**
   * Records that upstream `index` could not be reached or timed out, or with `refused`, that it
   * refused the app's credential (see {@link Refusal}), for every deployment.
   */
  markDown(index: number, refused?: Refusal): void {
    if (this.list.length === 1) return;
    const now = this.#now();
    const down = this.#down[index];
    this.#down[index] = {
      end: now + UNREACHABLE_COOLDOWN_MS,
      tried: down.end > now && down.tried,
      refused,
    };
  }

  /** Records that upstream `index` answered for `deployment`: its cooldowns are over. */
  answered(index: number, deployment: string | undefined): void {
    this.#until[index].delete(this.#key(index, deployment));
    this.#down[index] = { end: 0, tried: false };
  }

  /** The cooldowns of upstream `index` running for `deployment`. */
  #spans(index: number, deployment: string | undefined, now: number): Cooldown[] {
    return [this.#until[index].get(this.#key(index, deployment)), this.#down[index]].filter(
      (c): c is Cooldown => c !== undefined && c.end > now,
    );
  }

  /**
   * Per-call middleware that makes a call through upstream `index` look, to the cache layers
   * between them, as if it went to the primary (its endpoint, api-version and name of
   * `deployment` in the URL; with `model` the app's `deployment`, also its name in the JSON
   * body's `model`), so cache keys do not depend on the upstream that answered. `before` shows
   * the primary's request to the layers after it; `after` turns what reaches it back into this
   * upstream's. Empty for the primary.
   */
  asPrimary(
    index: number,
    apiVersionGiven: boolean,
    deployment?: string,
    model?: unknown,
  ): { before: Middleware[]; after: Middleware[] } {
    const { client } = this.list[index];
    const primary = this.primary.client;
    if (index === 0) return { before: [], after: [] };
    const own = this.deploymentOf(index, deployment) ?? "";
    const primaryOwn = this.deploymentOf(0, deployment) ?? "";
    // The deployment in a dated-API URL, as buildUrl() writes it.
    const segment = (name: string) => `/openai/deployments/${encodeURIComponent(name)}/`;
    const renamed = own !== primaryOwn;
    const renameModel = renamed && deployment !== undefined && model === deployment;
    let sent = "";
    let shown = "";
    const before: Middleware = async (ctx, next) => {
      sent = ctx.request.url;
      if (!sent.startsWith(client.endpoint)) return next();
      let rest = sent.slice(client.endpoint.length);
      if (renamed && rest.startsWith(segment(own))) {
        rest = segment(primaryOwn) + rest.slice(segment(own).length);
      }
      const url = new URL(primary.endpoint + rest);
      if (!apiVersionGiven && url.searchParams.has("api-version")) {
        url.searchParams.set("api-version", primary.apiVersion);
      }
      shown = url.href;
      ctx.request = await moved(ctx.request, shown, renameModel ? primaryOwn : undefined);
      return next();
    };
    const after: Middleware = async (ctx, next) => {
      if (shown !== "" && ctx.request.url === shown) {
        ctx.request = await moved(ctx.request, sent, renameModel ? own : undefined);
      }
      return next();
    };
    return { before: [before], after: [after] };
  }
}

/**
 * `request` at `url`; with `model`, its JSON body's `model` set to it, spliced into the text
 * (every other byte kept: JSON.stringify would round integers past 2^53).
 */
async function moved(request: Request, url: string, model: string | undefined): Promise<Request> {
  if (model === undefined || !/json/i.test(request.headers.get("content-type") ?? "")) {
    return new Request(url, request);
  }
  let text = await request.text();
  try {
    const json = JSON.parse(text);
    if (typeof json === "object" && json !== null && !Array.isArray(json)) {
      text = spliceMembers(text, new Map([["model", model]]));
    }
  } catch {
    // Not JSON after all: sent as it was.
  }
  const headers = new Headers(request.headers);
  headers.delete("content-length");
  return new Request(url, {
    method: request.method,
    headers,
    body: text,
    redirect: request.redirect,
    signal: request.signal,
  });
}

function hostOf(endpoint: string): string {
  try {
    return new URL(endpoint).host;
  } catch {
    return "upstream";
  }
}
