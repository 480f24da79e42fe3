/**
 * A per-minute budget for `rateLimit()`: refills continuously at `perMinute` units per 60 s and
 * holds at most `burst` units (Azure enforces per-minute quotas over 1–10 s windows, so a full
 * minute's worth at once would be refused).
 */
export class TokenBucket {
  #capacity: number;
  #rate: number;
  #level: number;
  #updated: number;

  /** A full bucket at time `now` (ms). */
  constructor(perMinute: number, burst: number, now: number) {
    this.#rate = perMinute / 60_000;
    this.#capacity = Math.max(1, Math.min(burst, perMinute));
    this.#level = this.#capacity;
    this.#updated = now;
  }

  /** Most units available at once. */
  get capacity(): number {
    return this.#capacity;
  }

  /** Units available at `now`. */
  level(now: number): number {
    this.#refill(now);
    return this.#level;
  }

  /** Ms until `cost` units (capped at the capacity) are available; 0 when they are. */
  waitMs(cost: number, now: number): number {
    this.#refill(now);
    const need = Math.min(cost, this.#capacity);
    if (this.#level >= need) return 0;
    return Math.ceil((need - this.#level) / this.#rate);
  }

  /**
   * Takes `cost` units (the level may go below zero for a cost above the capacity); an infinite
   * cost takes the capacity (more would never refill). Returns the units taken.
   */
  take(cost: number, now: number): number {
    this.#refill(now);
    const taken = cost < Infinity ? cost : this.#capacity;
    this.#level -= taken;
    return taken;
  }

  /** Gives back `units` taken (a call that never went upstream), up to the capacity. */
  giveBack(units: number, now: number): void {
    this.#refill(now);
    this.#level = Math.min(this.#capacity, this.#level + units);
  }

  /** Units refilled per minute. */
  get perMinute(): number {
    return this.#rate * 60_000;
  }

  /** Refills faster from `now` on (a budget learned higher), the level kept. */
  raise(perMinute: number, burst: number, now: number): void {
    this.#refill(now);
    this.#rate = perMinute / 60_000;
    this.#capacity = Math.max(1, Math.min(burst, perMinute));
  }

  /** Lowers the level to what the service says remains (never raises it). */
  clampTo(remaining: number, now: number): void {
    this.#refill(now);
    if (remaining < this.#level) this.#level = Math.max(remaining, 0);
  }

  #refill(now: number): void {
    const elapsed = now - this.#updated;
    if (elapsed > 0) {
      this.#level = Math.min(this.#capacity, this.#level + elapsed * this.#rate);
    }
    this.#updated = now;
  }
}
