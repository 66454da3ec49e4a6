export interface SubjectHoldOptions {
  /** Consecutive outage failures of one subject after which it is held. */
  readonly threshold: number;
  /** How long a held subject fails fast before one call may try it again. */
  readonly holdMs: number;
  /** Most subjects remembered; the least recently failing is forgotten first. */
  readonly maxSubjects: number;
}

interface Entry {
  failures: number;
  heldUntil: number;
}

/**
 * Per-subject (per-customer) fail-fast: a customer Partner Center keeps failing for is not asked
 * again for a few seconds, while every other customer is. Bounded, so a flood of distinct
 * failing ids costs at most `maxSubjects` small entries. After the hold one call goes through:
 * a success forgets the subject, another outage failure holds it again at once.
 */
export class SubjectHolds {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly options: SubjectHoldOptions) {}

  isHeld(subject: string, now = Date.now()): boolean {
    const entry = this.entries.get(subject);
    return entry !== undefined && entry.heldUntil > now;
  }

  /** Milliseconds until a held subject may be tried again (0: not held). */
  remainingMs(subject: string, now = Date.now()): number {
    const entry = this.entries.get(subject);
    return entry === undefined ? 0 : Math.max(0, entry.heldUntil - now);
  }

  failed(subject: string, now = Date.now()): void {
    const entry = this.entries.get(subject) ?? { failures: 0, heldUntil: 0 };
    entry.failures += 1;
    if (entry.failures >= this.options.threshold) entry.heldUntil = now + this.options.holdMs;
    // Re-inserting keeps the Map's order by last failure, so the first key is the stalest.
    this.entries.delete(subject);
    this.entries.set(subject, entry);
    if (this.entries.size > this.options.maxSubjects) {
      const stalest = this.entries.keys().next();
      if (stalest.done !== true) this.entries.delete(stalest.value);
    }
  }

  succeeded(subject: string): void {
    this.entries.delete(subject);
  }

  /** Subjects remembered (held or on their way to it). */
  get size(): number {
    return this.entries.size;
  }
}
