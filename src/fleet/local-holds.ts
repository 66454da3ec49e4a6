/**
 * This replica's view of the 429 holds: key → until (epoch ms), bounded. Looked up by every
 * call, so a plain Map and no timers; expired entries go when met or when the map is full.
 */
export class LocalHolds {
  private readonly until = new Map<string, number>();

  constructor(private readonly maxKeys: number) {}

  /** Milliseconds until `key` may be called again (0: not held). */
  remainingMs(key: string, now = Date.now()): number {
    const until = this.until.get(key);
    if (until === undefined) return 0;
    if (until > now) return until - now;
    this.until.delete(key);
    return 0;
  }

  /** Holds `key` until `until`, unless it is already held longer. True when that changed it. */
  hold(key: string, until: number, now = Date.now()): boolean {
    const current = this.until.get(key);
    if (until <= now || (current !== undefined && current >= until)) return false;
    this.until.delete(key);
    this.until.set(key, until);
    if (this.until.size > this.maxKeys) this.evict(now);
    return true;
  }

  /** Keys held now (sweeps the expired ones: for a scrape, not for every call). */
  live(now = Date.now()): number {
    for (const [key, until] of this.until) if (until <= now) this.until.delete(key);
    return this.until.size;
  }

  private evict(now: number): void {
    this.live(now);
    // Still full of live holds: the one set longest ago goes (the Map keeps insertion order).
    while (this.until.size > this.maxKeys) {
      const oldest = this.until.keys().next();
      if (oldest.done === true) break;
      this.until.delete(oldest.value);
    }
  }
}
