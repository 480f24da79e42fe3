/**
 * {@link DenoKvTokenQuota}: the edge app's per-client token quota counted in Deno KV, so every
 * isolate and instance of a Deno Deploy project shares one quota.
 *
 * @module
 */
import {
  checkTokenQuota,
  quotaDecision,
  quotaWindow,
  type TokenQuotaDecision,
  type TokenQuotaLimiter,
  type TokenQuotaPeriod,
} from "./token_quota.ts";
import { kvBusy, kvPause, kvStale, kvStoreOptions } from "./_kv_key.ts";

/**
 * Options of {@link DenoKvTokenQuota}.
 *
 * @example 5 million tokens a month under your own key prefix
 * ```ts
 * import { DenoKvTokenQuota, type DenoKvTokenQuotaOptions } from "@aoai/edge/edge";
 * const kv = await Deno.openKv(":memory:");
 * const options: DenoKvTokenQuotaOptions = {
 *   tokens: 5_000_000,
 *   period: "month",
 *   prefix: ["my-app", "quota"],
 *   now: () => Date.UTC(2026, 2, 14),
 * };
 * const quota = new DenoKvTokenQuota(kv, options);
 * await quota.charge("client-a", 500);
 * const month = Date.UTC(2026, 2, 1);
 * const counter = await kv.get<Deno.KvU64>(["my-app", "quota", "client-a", "month", month]);
 * console.log(counter.value?.value); // 500n
 * kv.close();
 * ```
 */
export interface DenoKvTokenQuotaOptions {
  /** Tokens each client may use per window. A whole number of at least 1. */
  tokens: number;
  /** The window: `"hour"`, `"day"`, `"week"` (ISO, from Monday) or `"month"`, aligned to UTC. */
  period: TokenQuotaPeriod;
  /**
   * Key prefix of the counters (default `["aoai-edge-quota"]`); at most 1024 bytes as a Deno KV
   * key, leaving room for the client id, the period and the window under the 2 KiB key limit.
   */
  prefix?: readonly (string | number)[];
  /**
   * Tries a charge may make in all (default 32; at least 2 are made). The first few (at most 4)
   * read the counter and write it back conditionally; a charge that loses those races to other
   * isolates' writes then writes its tokens to an entry of its own, which no write can race, so
   * no charge is lost to contention. Further tries only follow KV errors (another process
   * holding the KV file's lock); a charge whose every try fails rejects (the app reports it).
   */
  maxAttempts?: number;
  /** Clock in ms (tests). Default `Date.now`. */
  now?: () => number;
}

const WHERE = "new DenoKvTokenQuota()";
/** A counter outlives its window by this much (ms), then Deno KV drops it. */
const EXPIRY_MARGIN = 3_600_000;
/** Conditional writes a charge tries before it writes its tokens aside (an overflow entry). */
const RACES = 4;
/** Overflow entries a charge folds into the counter at most (one delete each in its write). */
const FOLD = 100;
/**
 * Overflow entries `check()` adds at most (in reads of Deno KV's largest page, 1000 entries):
 * more are there only while that many charges lost their races since a charge last won.
 */
const READ = 10_000;

/** The tokens an entry (a counter or an overflow entry) holds. */
function tokensOf(entry: Deno.KvEntryMaybe<unknown>): bigint {
  return entry.value instanceof Deno.KvU64 ? entry.value.value : 0n;
}

/**
 * A token quota per client in Deno KV, shared by every isolate and instance: one counter per
 * client and window, key `[...prefix, client, period, start]` (`start`: the window's start, epoch
 * ms; with the period, an hourly and a daily quota on one prefix count apart, though their windows
 * start together at midnight), a `Deno.KvU64` of the tokens charged in it (no entry: none).
 * `check()` also adds the counter of `[...prefix, client, start]`, the key versions before the
 * period was in it wrote: during a rolling upgrade, instances of this version count what those of
 * the earlier one charged (such a counter, shared by quotas of different periods, counts to each);
 * the earlier ones, reading their own key only, do not see this version's charges until replaced.
 * Each charge adds to its counter atomically: a read, then a write conditional on the counter not
 * having changed (a versionstamp check), tried again when another isolate wrote first. A charge
 * that loses that race a few times (many isolates charging the client at once: one write wins
 * each round) writes its tokens instead to an overflow entry of its own under the counter,
 * `[...counter key, "o", random id]`, which no other write can make fail; `check()` adds the
 * overflow entries to the counter, and the next charge whose conditional write wins folds them
 * into the counter in that same write (adding them and deleting them, up to 100 at a time), so
 * they stay few. Concurrent charges from anywhere thus all count, with bounded work each. Every
 * write sets its entry to expire an hour past its window's end (Deno KV's `sum` mutation would
 * drop that expiry, leaving every window's counter behind forever). Versions before the overflow
 * entries read the counter alone: during a rolling upgrade they miss what this version wrote
 * aside until it is folded.
 *
 * A KV failure rejects `check()` or `charge()`; the edge app then lets the request through or
 * reports the lost charge through `onError` (fail open). The caller owns the `Deno.Kv` handle.
 *
 * @example Two quotas on one KV (two isolates, say) share one count
 * ```ts
 * import { DenoKvTokenQuota } from "@aoai/edge/edge";
 * const kv = await Deno.openKv(":memory:");
 * const now = () => Date.UTC(2026, 2, 14, 10);
 * const a = new DenoKvTokenQuota(kv, { tokens: 1000, period: "day", now });
 * const b = new DenoKvTokenQuota(kv, { tokens: 1000, period: "day", now });
 * await a.charge("client-a", 600);
 * await b.charge("client-a", 400);
 * const { ok, resetAt } = await b.check("client-a");
 * console.log(ok, new Date(resetAt).toISOString()); // false 2026-03-15T00:00:00.000Z
 * kv.close();
 * ```
 */
export class DenoKvTokenQuota implements TokenQuotaLimiter {
  readonly #kv: Deno.Kv;
  readonly #tokens: number;
  readonly #period: TokenQuotaPeriod;
  readonly #prefix: readonly (string | number)[];
  readonly #maxAttempts: number;
  readonly #now: () => number;
  /** Per counter (client and window): the charges not yet being written, added together. */
  readonly #waiting = new Map<string, { tokens: number; written: Promise<void> }>();
  /**
   * Per counter: the latest batch's write (settled, never rejected), which the next batch waits
   * for, and when that batch was made or its write began (ms).
   */
  readonly #writing = new Map<string, { settled: Promise<void>; since: number }>();
  /** Per counter: the tokens charged here whose writes have not settled. */
  readonly #unwritten = new Map<string, number>();

  /** Throws a TypeError naming the option at fault (never quoting it). */
  constructor(kv: Deno.Kv, options: DenoKvTokenQuotaOptions) {
    if (typeof kv?.atomic !== "function") {
      throw new TypeError(`${WHERE}: the first argument must be a Deno.Kv (Deno.openKv())`);
    }
    const { tokens, period } = checkTokenQuota(options?.tokens, options?.period, WHERE);
    const { prefix, attempts } = kvStoreOptions(options, ["aoai-edge-quota"], WHERE);
    this.#kv = kv;
    this.#tokens = tokens;
    this.#period = period;
    this.#prefix = prefix;
    this.#maxAttempts = attempts;
    this.#now = options.now ?? Date.now;
  }

  /** Tokens per window. */
  get tokens(): number {
    return this.#tokens;
  }

  /** The window's period. */
  get period(): TokenQuotaPeriod {
    return this.#period;
  }

  /**
   * Whether `client` has tokens left in the current window (strongly consistent reads: the
   * counter with up to 10 000 overflow entries, and the counter of the key without the period).
   * When this quota's own charges of `client` are still being written and would use up what the
   * read leaves, it waits for those writes (unless stuck for a second or more) and reads again:
   * the quota is then spent for certain, and the app answers 403 rather than a 429 to retry.
   */
  async check(client: string): Promise<TokenQuotaDecision> {
    const now = this.#now();
    const { start, end } = quotaWindow(this.#period, now);
    const id = JSON.stringify([client, start]);
    const mine = this.#unwritten.get(id) ?? 0;
    const writing = this.#writing.get(id);
    let used = await this.#used(client, start);
    // Charges made here and still being written, which the read may not show, use up what it
    // leaves: once they land the quota is spent (a 403), not merely held by requests in flight
    // (a 429 to retry). Read again once they settled (unless stuck), which also tells a charge the
    // read showed already.
    if (
      writing && mine > 0 && used < this.#tokens && used + mine >= this.#tokens &&
      !kvStale(writing.since, now)
    ) {
      await writing.settled;
      used = await this.#used(client, start);
    }
    return quotaDecision(used, this.#tokens, end);
  }

  /** The tokens `client` used in the window from `start`, as Deno KV has them. */
  async #used(client: string, start: number): Promise<number> {
    const key = [...this.#prefix, client, this.#period, start];
    // The counter, and the one versions without the period in the key wrote (rolling upgrade).
    // One range holds the counter and its overflow entries: one consistent read up to 999 of them
    // (more, in further reads).
    const range = this.#kv.list({ start: key, end: [...key, "p"] }, {
      limit: READ + 1,
      batchSize: 1000,
    });
    const [entries, legacy] = await Promise.all([
      Array.fromAsync(range),
      this.#kv.get([...this.#prefix, client, start]),
    ]);
    const used = entries
      .filter((entry) => entry.key.length === key.length || entry.key[key.length] === "o")
      .reduce((sum, entry) => sum + tokensOf(entry), tokensOf(legacy));
    return Number(used);
  }

  /**
   * Adds `tokens` to `client`'s counter of the current window (ignored unless a positive whole
   * number). Charges made here while a write of the same counter is under way are added together
   * and written once it is done: they do not race one another for the counter (only other
   * isolates' writes do), so many at once are not lost to the retries.
   */
  charge(client: string, tokens: number): Promise<void> {
    if (!Number.isSafeInteger(tokens) || tokens <= 0) return Promise.resolve();
    const now = this.#now();
    const { start, end } = quotaWindow(this.#period, now);
    const id = JSON.stringify([client, start]);
    this.#unwritten.set(id, (this.#unwritten.get(id) ?? 0) + tokens);
    const landed = (written: Promise<void>) => {
      const done = () => {
        const left = (this.#unwritten.get(id) ?? 0) - tokens;
        if (left > 0) this.#unwritten.set(id, left);
        else this.#unwritten.delete(id);
      };
      written.then(done, done);
      return written;
    };
    const writing = this.#writing.get(id);
    // Not behind a batch waiting or written for a second or more (a read that hangs): every later
    // charge of the counter would wait for it, and be lost to the app's time limit.
    const stuck = writing !== undefined && kvStale(writing.since, now);
    const waiting = this.#waiting.get(id);
    if (waiting && !stuck) {
      waiting.tokens += tokens;
      return landed(waiting.written);
    }
    const batch = { tokens, written: Promise.resolve() };
    this.#waiting.set(id, batch);
    const chain = { settled: Promise.resolve(), since: now };
    const before = (stuck ? undefined : writing?.settled) ?? Promise.resolve();
    const written = batch.written = before.then(() => {
      // From here on, charges wait for the next batch.
      if (this.#waiting.get(id) === batch) this.#waiting.delete(id);
      chain.since = this.#now();
      return this.#add([...this.#prefix, client, this.#period, start], batch.tokens, end);
    });
    const settled = chain.settled = written.catch(() => {});
    this.#writing.set(id, chain);
    settled.then(() => {
      if (this.#writing.get(id) === chain) this.#writing.delete(id);
    });
    return landed(written);
  }

  /**
   * Adds `tokens` to the counter `key` of the window ending at `end`: a read, then a conditional
   * write that also folds the overflow entries read; after RACES lost races, an overflow entry.
   */
  async #add(key: Deno.KvKey, tokens: number, end: number): Promise<void> {
    // Deno KV takes a whole number of ms only.
    const expireIn = Math.max(1, Math.ceil(end - this.#now() + EXPIRY_MARGIN));
    const tries = Math.max(2, this.#maxAttempts);
    for (let attempt = 0; attempt < tries; attempt++) {
      try {
        let op;
        if (attempt < Math.min(RACES, tries - 1)) {
          // The counter, then overflow entries: read after it, so the write, checking the counter,
          // fails if another folded any of them meanwhile.
          const counter = await this.#kv.get(key);
          const overflow = await Array.fromAsync(
            this.#kv.list({ prefix: [...key, "o"] }, { limit: FOLD, batchSize: FOLD }),
          );
          const used = overflow.reduce((sum, entry) => sum + tokensOf(entry), tokensOf(counter));
          op = this.#kv.atomic().check(counter)
            .set(key, new Deno.KvU64(used + BigInt(tokens)), { expireIn });
          for (const entry of overflow) op.delete(entry.key);
        } else {
          // Lost every race so far: written aside, under a key no other write uses.
          op = this.#kv.atomic()
            .set([...key, "o", crypto.randomUUID()], new Deno.KvU64(BigInt(tokens)), { expireIn });
        }
        if ((await op.commit()).ok) return;
      } catch (err) {
        // Another process writing the same KV file: tried again, as a lost race.
        if (!kvBusy(err) || attempt + 1 >= tries) throw err;
        await kvPause(attempt);
      }
    }
    throw new Error(`${WHERE}: ${tokens} tokens not counted, every write failed (${tries} tries)`);
  }
}
