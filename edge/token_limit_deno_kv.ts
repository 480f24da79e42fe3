/**
 * {@link DenoKvTokenLimiter}: the edge app's per-client token budget counted in Deno KV, so every
 * isolate of a Deno Deploy project shares one budget.
 *
 * @module
 */
import type { RateLimitDecision } from "./rate_limit.ts";
import {
  chargeable,
  chargedFullAt,
  checkTokensPerMinute,
  tokenDecision,
  type TokenLimiter,
} from "./token_limit.ts";
import { kvBusy, kvFullAt, kvPause, kvStale, kvStoreOptions } from "./_kv_key.ts";

/**
 * Options of {@link DenoKvTokenLimiter}.
 *
 * @example 60 000 tokens a minute under your own key prefix
 * ```ts
 * import { DenoKvTokenLimiter, type DenoKvTokenLimiterOptions } from "@aoai/edge/edge";
 * const kv = await Deno.openKv(":memory:");
 * const options: DenoKvTokenLimiterOptions = { tokensPerMinute: 60_000, prefix: ["my-app", "tpm"] };
 * const limiter = new DenoKvTokenLimiter(kv, options);
 * await limiter.charge("client-a", 500);
 * console.log((await kv.get(["my-app", "tpm", "client-a"])).value !== null); // true
 * kv.close();
 * ```
 */
export interface DenoKvTokenLimiterOptions {
  /** Tokens each client may use per minute (the budget; refills evenly). At least 1. */
  tokensPerMinute: number;
  /**
   * Key prefix of the budgets (default `["aoai-edge-tokens"]`); at most 1024 bytes as a Deno KV
   * key, leaving room for the client id under the 2 KiB key limit.
   */
  prefix?: readonly (string | number)[];
  /**
   * Tries a charge may make in all (default 32; at least 2 are made). The first few (at most 4)
   * read the client's entry and write it back conditionally; a charge that loses those races to
   * other isolates' writes then writes its tokens to a debt entry of its own, which no write can
   * race, so no charge is lost to contention. Further tries only follow KV errors (another
   * process holding the KV file's lock); a charge whose every try fails rejects (the app reports
   * it).
   */
  maxAttempts?: number;
  /** Clock in ms (tests). Default `Date.now`. */
  now?: () => number;
}

const WHERE = "new DenoKvTokenLimiter()";
/** Conditional writes a charge tries before it writes its tokens aside (a debt entry). */
const RACES = 4;
/** Debt entries a write folds into the client's entry at most (one delete each). */
const FOLD = 100;
/**
 * Debt entries `check()` reads at most (in reads of Deno KV's largest page, 1000 entries): more
 * are there only while that many charges lost their races since a write last won.
 */
const READ = 10_000;
/** A debt entry outlives the time its budget was seen full again by this much (ms). */
const DEBT_MARGIN = 3_600_000;

/** A charge written aside, `[tokens, at]` under `[...prefix, client, "o", id]`. */
interface Debt {
  key: Deno.KvKey;
  tokens: number;
  /** When it was charged (the writer's clock). */
  at: number;
}

/** The debt `entry` holds (one not of that form: no tokens, still folded away). */
function debtOf(entry: Deno.KvEntry<unknown>): Debt {
  const [tokens, at] = Array.isArray(entry.value) ? entry.value : [];
  return chargeable(tokens) && Number.isFinite(at)
    ? { key: entry.key, tokens, at }
    : { key: entry.key, tokens: 0, at: -Infinity };
}

/**
 * When the budget of a client whose entry holds `value`, with `debts` not yet folded into it, is
 * full again, on this clock (`now`). An entry is `[fullAt, at]`: that time, and when it was
 * written (both on the writer's clock); each debt is charged after it, in the order of their
 * times. What they owe is never more than they owed when last written, however far the writer's
 * clock was ahead of this one. An entry of the old format (`fullAt` alone, before the write time
 * was kept) is read as written: an upgrade frees no client and refuses none.
 */
function fullAtOf(value: unknown, debts: Debt[], now: number, tpm: number): number {
  let [fullAt, at] = typeof value === "number"
    ? [value, -Infinity]
    : Array.isArray(value) && typeof value[0] === "number" && typeof value[1] === "number"
    ? value
    : [-Infinity, -Infinity];
  for (const debt of [...debts].sort((x, y) => x.at - y.at)) {
    fullAt = chargedFullAt(fullAt, debt.at, debt.tokens, tpm);
    at = Math.max(at, debt.at);
  }
  return fullAt === -Infinity ? now : kvFullAt(fullAt, now, fullAt - at);
}

/** Charges of one client waiting to be written, and their callers. */
interface ChargeQueue {
  tokens: number;
  /** When its writer's attempt under way began (ms). */
  since: number;
  waiters: { tokens: number; resolve: () => void; reject: (err: unknown) => void }[];
}

/**
 * A token budget per client in Deno KV, shared by every isolate. Each client's budget is one
 * entry, key `[...prefix, client]`: `[fullAt, at]`, the time (epoch ms) at which the budget is
 * full again and when that was written (no entry means full); each token charged moves `fullAt`
 * `60 000 / tokensPerMinute` ms later. A request is let through while less than a minute's worth
 * is owed. Charges are atomic (a versionstamp check; those of one client in one isolate go in one
 * write), and the entry expires when the budget is full again. A charge that loses that race a
 * few times (many isolates charging the client at once: one write wins each round) writes its
 * tokens instead to a debt entry of its own, `[...prefix, client, "o", random id]`: `[tokens,
 * at]`, which no other write can make fail, expiring an hour after the budget it saw is full
 * again. Reads add the debts (charged at their times, after the entry), and the next write of the
 * entry that wins, a charge's or a check's, folds them into it (up to 100 at a time, deleted in
 * that same write), so they stay few. Concurrent charges from anywhere thus all count, with
 * bounded work each. Versions before the debt entries read the client's entry alone: during a
 * rolling upgrade they miss the debts until folded.
 *
 * Clocks: an entry written by a clock ahead of the reader's (an isolate whose clock runs ahead,
 * or this one's before it was set back) owes the reader no more than it owed when written, and is
 * written back on the reader's clock (by a check too), so the budget refills from there: a clock
 * set back, or another isolate's ahead, refuses no one for longer than the debt itself. An isolate
 * whose clock is ahead reads what the others wrote as refilled by that lead (lets through).
 *
 * A KV failure rejects `check()` or `charge()`; the edge app then lets the request through or
 * reports the lost charge through `onError` (fail open). The caller owns the `Deno.Kv` handle.
 *
 * @example Two limiters on one KV share one budget
 * ```ts
 * import { DenoKvTokenLimiter } from "@aoai/edge/edge";
 * const kv = await Deno.openKv(":memory:");
 * const a = new DenoKvTokenLimiter(kv, { tokensPerMinute: 1000, now: () => 0 });
 * const b = new DenoKvTokenLimiter(kv, { tokensPerMinute: 1000, now: () => 0 });
 * await a.charge("client-a", 1000);
 * console.log(await b.check("client-a")); // { ok: false, retryAfterSeconds: 1 }
 * kv.close();
 * ```
 */
export class DenoKvTokenLimiter implements TokenLimiter {
  readonly #kv: Deno.Kv;
  readonly #tpm: number;
  readonly #prefix: readonly (string | number)[];
  readonly #maxAttempts: number;
  readonly #now: () => number;
  /** Per client, the charges waiting for its writer. */
  readonly #queues = new Map<string, ChargeQueue>();

  /** Throws a TypeError naming the option at fault. */
  constructor(kv: Deno.Kv, options: DenoKvTokenLimiterOptions) {
    if (typeof kv?.atomic !== "function") {
      throw new TypeError(`${WHERE}: the first argument must be a Deno.Kv (Deno.openKv())`);
    }
    this.#tpm = checkTokensPerMinute(options?.tokensPerMinute, `${WHERE}: tokensPerMinute`);
    const { prefix, attempts } = kvStoreOptions(options, ["aoai-edge-tokens"], WHERE);
    this.#kv = kv;
    this.#prefix = prefix;
    this.#maxAttempts = attempts;
    this.#now = options.now ?? Date.now;
  }

  /** The configured tokens per minute. */
  get tokensPerMinute(): number {
    return this.#tpm;
  }

  /**
   * Whether `client` has budget left (strongly consistent reads: the entry with up to 10 000
   * debts, one read unless over 999).
   */
  async check(client: string): Promise<RateLimitDecision> {
    const key = [...this.#prefix, client];
    const listed = this.#kv.list({ start: key, end: [...key, "p"] }, {
      limit: READ + 1,
      batchSize: 1000,
    });
    let entry: Deno.KvEntryMaybe<unknown> = { key, value: null, versionstamp: null };
    const debts: Debt[] = [];
    for await (const read of listed) {
      if (read.key.length === key.length) entry = read;
      else if (read.key[key.length] === "o") debts.push(debtOf(read));
    }
    const now = this.#now();
    const fullAt = fullAtOf(entry.value, debts, now, this.#tpm);
    // Written by a clock ahead of this one: written back on this clock, or the budget of a client
    // refused (and so charged nothing) would not refill until this clock caught up. Debts are
    // folded in, when few enough for one write (else a charge folds them first).
    const ahead = Array.isArray(entry.value) && entry.value[1] > now;
    if ((ahead || debts.length) && debts.length <= FOLD) {
      await this.#set(entry, debts, fullAt, now).catch(() => {}); // tried again by the next check
    }
    return tokenDecision(fullAt, now, this.#tpm);
  }

  /**
   * Charges `tokens` to `client`'s budget (ignored unless a positive whole number). Charges of
   * one client overlapping in this isolate are written together, as one conditional write.
   */
  charge(client: string, tokens: number): Promise<void> {
    if (!chargeable(tokens)) return Promise.resolve();
    return new Promise((resolve, reject) => {
      let queue = this.#queues.get(client);
      // Not behind an attempt in KV for a second or more (a read that hangs): every later charge
      // of the client would wait for it, and be lost to the app's time limit.
      const idle = !queue || kvStale(queue.since, this.#now());
      if (!queue || idle) {
        this.#queues.set(client, queue = { tokens: 0, since: this.#now(), waiters: [] });
      }
      queue.tokens += tokens;
      queue.waiters.push({ tokens, resolve, reject });
      if (idle) void this.#write(client, queue);
    });
  }

  /**
   * Writes `[fullAt, now]` over `entry` unless it changed meanwhile, deleting `debts` (folded into
   * `fullAt`); expires when full again.
   */
  #set(entry: Deno.KvEntryMaybe<unknown>, debts: Debt[], fullAt: number, now: number) {
    const op = this.#kv.atomic().check(entry)
      .set(entry.key, [fullAt, now], { expireIn: Math.max(1, Math.ceil(fullAt - now)) });
    for (const debt of debts) op.delete(debt.key);
    return op.commit();
  }

  /**
   * `key`'s entry, then up to FOLD of its debts: read after it, so a write checking the entry
   * read fails if another folded any of them meanwhile.
   */
  async #read(key: Deno.KvKey): Promise<{ entry: Deno.KvEntryMaybe<unknown>; debts: Debt[] }> {
    const entry = await this.#kv.get(key);
    const listed = this.#kv.list({ prefix: [...key, "o"] }, { limit: FOLD, batchSize: FOLD });
    return { entry, debts: (await Array.fromAsync(listed)).map(debtOf) };
  }

  /** Writes `queue`'s charges until none is left (one writer per client in this isolate). */
  async #write(client: string, queue: ChargeQueue): Promise<void> {
    const key = [...this.#prefix, client];
    const tries = Math.max(2, this.#maxAttempts);
    let lost = 0;
    while (queue.waiters.length) {
      // The charges of this attempt: those waiting now, and those joining during the read.
      let count = queue.waiters.length;
      let failure: unknown;
      queue.since = this.#now();
      try {
        const { entry, debts } = await this.#read(key);
        const take = queue.tokens;
        count = queue.waiters.length;
        const now = this.#now();
        const fullAt = chargedFullAt(
          fullAtOf(entry.value, debts, now, this.#tpm),
          now,
          take,
          this.#tpm,
        );
        // Lost every race so far: written aside, as a debt under a key no other write uses.
        const { ok } = lost < Math.min(RACES, tries - 1)
          ? await this.#set(entry, debts, fullAt, now)
          : await this.#kv.atomic().set([...key, "o", crypto.randomUUID()], [take, now], {
            expireIn: Math.max(1, Math.ceil(fullAt - now + DEBT_MARGIN)),
          }).commit();
        if (ok) {
          lost = 0;
          queue.tokens -= take;
          for (const waiter of queue.waiters.splice(0, count)) waiter.resolve();
          continue;
        }
        // Another isolate changed the entry meanwhile: read it again.
        if (++lost < tries) continue;
        failure = new Error(
          `${WHERE}: ${take} tokens not counted, every write failed (${tries} tries)`,
        );
      } catch (err) {
        // Another process writing the same KV file: tried again, as a lost race.
        if (kvBusy(err) && ++lost < tries) {
          await kvPause(lost);
          continue;
        }
        failure = err;
      }
      // Only this attempt's charges fail: those that joined meanwhile get an attempt of their own.
      lost = 0;
      for (const waiter of queue.waiters.splice(0, count)) {
        queue.tokens -= waiter.tokens;
        waiter.reject(failure);
      }
    }
    if (this.#queues.get(client) === queue) this.#queues.delete(client);
  }
}
