import type { HoldTimes } from './hold-times.js';

/**
 * Admission control at the door: before an operation runs, estimate when its upstream reads
 * would finish behind everything already admitted, and refuse it at once if that is too late.
 * Past capacity this keeps the queue in front of Partner Center short enough that what is
 * admitted finishes, instead of every caller waiting until its calls time out.
 */
export interface Admission {
  /**
   * Admits an operation that will make `reads` upstream calls, each of which must be done
   * within `allowedMs` from now, reserving them until `release()`; or refuses it. `taken` tells
   * how many of them have taken an in-flight slot so far: from then on the limit's load counts
   * them, and the reservation shrinks by as many (without it, it stays whole until `release()`).
   */
  admit(reads: number, allowedMs: number, taken?: () => number): AdmissionDecision;
  /** Reads reserved by admitted operations that have not ended, and not taken a slot yet. */
  reservedReads(): number;
  /** Admitted operations with reads that have not ended yet. */
  admittedOperations(): number;
}

export type AdmissionDecision =
  | { readonly admitted: true; readonly release: () => void }
  | {
      readonly admitted: false;
      /** When enough of the work ahead will have drained for this operation to fit. */
      readonly retryAfterSeconds: number;
      readonly estimatedMs: number;
      readonly allowedMs: number;
    };

export interface AdmissionOptions {
  /** `UPSTREAM_MAX_CONCURRENCY`: calls Partner Center serves at once for us. */
  readonly maxConcurrency: number;
  readonly holdTimes: HoldTimes;
  /** Calls holding or waiting for a slot now, also those of operations that reserved nothing. */
  readonly upstreamLoad: () => { readonly active: number; readonly queued: number };
}

/**
 * Admitted work may be estimated to take only this share of the time it may wait. The rest is
 * the margin: estimates err (hold times jump when the machine is busy), and an error must not
 * turn into UPSTREAM_TIMEOUT. A longer standing queue would add latency, not goodput: any queue
 * at all keeps every slot busy.
 */
export const ADMISSION_HEADROOM = 0.5;

const MAX_RETRY_AFTER_SECONDS = 60;
const ADMITTED_NOTHING = { admitted: true, release: () => undefined } as const;
const NONE_TAKEN = () => 0;

/**
 * When the last of `reads` calls would be done: the calls ahead drain `maxConcurrency` at a time,
 * a mean hold time per round; the last of ours then needs a cautious round trip of its own.
 */
function finishMs(
  ahead: number,
  reads: number,
  maxConcurrency: number,
  meanMs: number,
  cautiousMs: number,
): number {
  return (Math.max(0, ahead + reads - maxConcurrency) / maxConcurrency) * meanMs + cautiousMs;
}

interface Reservation {
  readonly reads: number;
  readonly taken: () => number;
}

export function createAdmission(options: AdmissionOptions): Admission {
  const { maxConcurrency, holdTimes } = options;
  const open = new Set<Reservation>();
  // Reads of the open reservations, whole: an upper bound of what they still hold.
  let whole = 0;
  // Kept whole until the response, a reservation would let one hung call of a large operation,
  // all its other reads long answered, refuse everybody else's operations until that call timed
  // out. What it still holds is a walk over the operations in progress, so it is asked only
  // when the upper bound would refuse.
  const reserved = (): number => {
    let sum = 0;
    for (const reservation of open) sum += Math.max(0, reservation.reads - reservation.taken());
    return sum;
  };

  return {
    admit(reads, allowedMs, taken = NONE_TAKEN) {
      if (reads <= 0) return ADMITTED_NOTHING;
      const load = options.upstreamLoad();
      const loaded = load.active + load.queued;
      const mean = holdTimes.meanMs();
      const cautious = holdTimes.cautiousMs();
      const limitMs = allowedMs * ADMISSION_HEADROOM;
      // Reservations count at once, before their calls reach the queue (a burst at start-up
      // sees the operations admitted a moment ago); calls nobody reserved show in the queue.
      // A call waiting for a slot is in both: hence the larger, not the sum.
      let ahead = Math.max(whole, loaded);
      let estimatedMs = finishMs(ahead, reads, maxConcurrency, mean, cautious);
      if (estimatedMs > limitMs && whole > loaded) {
        ahead = Math.max(reserved(), loaded);
        estimatedMs = finishMs(ahead, reads, maxConcurrency, mean, cautious);
      }
      // With nothing ahead, refusing helps nobody: a large operation on an idle gateway runs.
      if (estimatedMs > limitMs && ahead > 0) {
        const retryAfterSeconds = Math.min(
          MAX_RETRY_AFTER_SECONDS,
          Math.max(1, Math.ceil((estimatedMs - limitMs) / 1000)),
        );
        return { admitted: false, retryAfterSeconds, estimatedMs, allowedMs };
      }
      const reservation: Reservation = { reads, taken };
      open.add(reservation);
      whole += reads;
      return {
        admitted: true,
        release: () => {
          if (open.delete(reservation)) whole -= reads;
        },
      };
    },
    reservedReads: reserved,
    admittedOperations: () => open.size,
  };
}
