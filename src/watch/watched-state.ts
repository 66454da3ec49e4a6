import { isSettled } from '../cache/qualifications.js';
import { parseQualifications } from '../partner-center/qualification-guard.js';
import type { QualificationRecord } from '../partner-center/types.js';

/** What one read told of a watched customer. */
export interface WatchedState {
  /** False: Partner Center does not know the customer (404). */
  readonly known: boolean;
  readonly qualifications: readonly QualificationRecord[];
  /** When Partner Center gave this answer (epoch ms). */
  readonly readAt: number;
}

/**
 * What makes two answers the same for a watcher: whether the customer is known and its
 * qualifications with their vetting (status, reason, date), in any order. The read time is left
 * out: a poll that finds nothing new emits nothing.
 */
export function fingerprintOf(state: WatchedState): string {
  if (!state.known) return 'unknown';
  return JSON.stringify(
    state.qualifications
      .map((record) => [
        record.qualification,
        record.vettingStatus,
        record.vettingReason,
        record.vettingCreatedDate,
      ])
      .sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1)),
  );
}

export interface WatchCadence {
  /** `WATCH_POLL_IN_REVIEW_SECONDS`. */
  readonly inReviewSeconds: number;
  /** `WATCH_POLL_SECONDS`. */
  readonly settledSeconds: number;
}

/** How long until the customer is read again: soon while a decision may come, else seldom. */
export function pollIntervalMs(cadence: WatchCadence, state: WatchedState | undefined): number {
  const settled = state !== undefined && state.known && isSettled([...state.qualifications]);
  return (settled ? cadence.settledSeconds : cadence.inReviewSeconds) * 1000;
}

/** A state as it travels between replicas; `undefined` when the JSON is not one. */
export function parseWatchedState(json: unknown): WatchedState | undefined {
  if (typeof json !== 'object' || json === null) return undefined;
  const { known, qualifications, readAt } = json as Record<string, unknown>;
  if (typeof known !== 'boolean' || typeof readAt !== 'number') return undefined;
  try {
    // The records travel as the cache stores them, in the shape Partner Center's guard reads.
    return { known, qualifications: parseQualifications(qualifications), readAt };
  } catch {
    return undefined;
  }
}
