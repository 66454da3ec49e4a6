/**
 * Calls of one fixed window that this replica holds to spend later without asking anyone: the
 * rest of a block reserved in one request, or a call given back by an attempt that was never
 * sent. They are void from `endsAt`, a time no later than the end of the window that counted
 * them (measured from before that window was asked), so each is spent inside its own window.
 *
 * Calls of two windows never mix: a call of a later window can only arrive once the earlier
 * window is over, by which time the earlier calls are void. So merging keeps the earlier end,
 * and that is still no later than either window's own.
 */
export class CallsInHand {
  private count = 0;
  private endsAt = 0;

  /** Spends one call, if one is good at `now`: the end of its window; 0 when none is. */
  take(now: number): number {
    if (this.count === 0) return 0;
    if (now >= this.endsAt) {
      this.count = 0;
      return 0;
    }
    this.count -= 1;
    return this.endsAt;
  }

  /** Holds `calls` more of a window that is good until `endsAt`; false if that is over. */
  add(calls: number, endsAt: number, now: number): boolean {
    if (calls <= 0 || now >= endsAt) return false;
    if (this.count === 0 || now >= this.endsAt) {
      this.count = calls;
      this.endsAt = endsAt;
    } else {
      this.count += calls;
      this.endsAt = Math.min(this.endsAt, endsAt);
    }
    return true;
  }

  clear(): void {
    this.count = 0;
  }
}
