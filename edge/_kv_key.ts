/**
 * The size of a Deno KV key as Deno KV encodes it, for the stores that check a key prefix
 * against its 2048-byte key limit (a prefix too long fails every read and write later).
 *
 * @module
 */

const encoder = new TextEncoder();

/**
 * Bytes `parts` take in a Deno KV key: a string its UTF-8 with each 0x00 doubled, plus a tag and
 * an end byte; a number 9 bytes.
 */
export function kvKeyBytes(parts: readonly (string | number)[]): number {
  let size = 0;
  for (const part of parts) {
    if (typeof part === "number") {
      size += 9;
      continue;
    }
    const bytes = encoder.encode(part);
    size += bytes.length + 2;
    for (const byte of bytes) if (byte === 0) size++;
  }
  return size;
}

/**
 * The `prefix` (default `fallback`) and `maxAttempts` (default 32) of a Deno KV store's options,
 * checked: a TypeError naming `where` for a prefix that is not strings and numbers or is over
 * 1024 bytes as a key (keys are limited to 2 KiB), or attempts that are not a whole number ≥ 1.
 */
export function kvStoreOptions(
  options: { prefix?: readonly (string | number)[]; maxAttempts?: number },
  fallback: readonly (string | number)[],
  where: string,
): { prefix: readonly (string | number)[]; attempts: number } {
  const prefix = options.prefix ?? fallback;
  if (
    !Array.isArray(prefix) ||
    !prefix.every((p) => typeof p === "string" || typeof p === "number") ||
    kvKeyBytes(prefix) > 1024
  ) {
    throw new TypeError(
      `${where}: prefix must be an array of strings or numbers, ≤ 1024 bytes as a Deno KV key`,
    );
  }
  const attempts = options.maxAttempts ?? 32;
  if (!Number.isInteger(attempts) || attempts < 1) {
    throw new TypeError(`${where}: maxAttempts must be a whole number of at least 1`);
  }
  return { prefix, attempts };
}

/**
 * Whether `err` is SQLite's lock error: another process (a second local server on the same KV
 * file) was writing. A race lost, to be tried again like a failed versionstamp check, not a KV
 * failure.
 */
export function kvBusy(err: unknown): boolean {
  return err instanceof Error && /database (?:table )?is locked/i.test(err.message);
}

/** A short random wait, growing with `attempt`, before trying a locked KV file again. */
export function kvPause(attempt: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.random() * 2 ** Math.min(attempt, 6)));
}

/**
 * ms after which a batch of a Deno KV store's reads and writes for one client, still under way,
 * holds no more of its takes or charges (they start a batch of their own): a read that never
 * answers would hold them all, for good.
 */
export const KV_STALE_MS = 1_000;

/**
 * Whether a batch begun at `since` (ms) is stale at `now` (KV_STALE_MS): a second old, or from
 * after `now` (the clock was set back meanwhile: its age would stay negative for as long).
 */
export function kvStale(since: number, now: number): boolean {
  return Math.abs(now - since) >= KV_STALE_MS;
}

/**
 * A time (epoch ms) at which a client's budget is full again, as read from Deno KV, on this
 * isolate's clock (`now`): never before now, and at most `maxAheadMs` after it. Written by a clock
 * ahead of this one (another isolate's, or this one's before it was set back), it would otherwise
 * be owed for that much longer.
 */
export function kvFullAt(stored: number, now: number, maxAheadMs: number): number {
  return Math.min(Math.max(now, stored), now + maxAheadMs);
}
