const MINUTE_MS = 60_000;
/** Drop the expired front of the log once it is this long and at least half of it. */
const COMPACT_AT = 1_024;

/**
 * This replica's own record of the calls it sent, whichever limiter granted them: the shared
 * windows in Redis, the insurance limiter's, or none. The windows alone keep the budget only
 * while they last; a Redis restarted empty, or a switch between shared and local mode, starts
 * fresh ones, and each would let a whole window's calls through again.
 *
 * The rule: a call may be granted only while the calls sent in the last 60 s, plus the calls
 * granted and not yet settled (`hold`), are fewer than `cap`. A held call counts until it is
 * sent (then it is logged at its send time, inside the last 60 s, so the sum is unchanged) or
 * dropped (not granted, or never sent). The sum only grows by a grant that found it below
 * `cap`, so at every moment it is at most `cap`; hence any closed 60 s holds at most `cap`
 * sends, whatever the limiters did. The log holds send times for one minute: at most `cap`.
 */
export interface ReplicaRecord {
  /** 0 when a call may be granted now; otherwise how long until one may, at the soonest. */
  waitMs(now: number): number;
  /** A call is being asked for, or was granted and not yet sent: it counts until settled. */
  hold(): void;
  /** A held call was sent at `now`. */
  sent(now: number): void;
  /** A held call was not granted, or not sent after all. */
  drop(): void;
}

/** How soon to look again when only calls granted and not yet settled fill the record. */
const HELD_RETRY_MS = 10;

export function createReplicaRecord(cap: number): ReplicaRecord {
  const sends: number[] = [];
  let head = 0;
  let held = 0;

  const prune = (now: number) => {
    // A send at exactly 60 s ago still shares a closed 60-s interval with a send now.
    const from = now - MINUTE_MS;
    while (head < sends.length && (sends[head] as number) < from) head += 1;
    if (head >= COMPACT_AT && head * 2 >= sends.length) {
      sends.splice(0, head);
      head = 0;
    }
  };

  return {
    waitMs(now) {
      prune(now);
      const logged = sends.length - head;
      if (logged + held < cap) return 0;
      if (logged < cap) return HELD_RETRY_MS;
      // The oldest send leaves the closed interval just after 60 s.
      return Math.max(1, (sends[head] as number) + MINUTE_MS - now + 1);
    },
    hold() {
      held += 1;
    },
    sent(now) {
      held = Math.max(0, held - 1);
      sends.push(now);
    },
    drop() {
      held = Math.max(0, held - 1);
    },
  };
}
