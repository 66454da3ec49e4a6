import { parseQualifications } from '../partner-center/qualification-guard.js';
import type { QualificationRecord } from '../partner-center/types.js';
import type { CacheKind } from './kind.js';

/** A customer's qualifications, or `null` for a customer Partner Center does not know (404). */
export type QualificationsRead = QualificationRecord[] | null;

const SETTLED = new Set(['approved', 'denied']);

/**
 * Settled: nothing is being vetted (no qualifications counts), so the answer changes only by a
 * write. An unknown customer may appear at any moment, and vetting in review is polled: both get
 * the short age.
 */
export function isSettled(read: QualificationsRead): boolean {
  return (
    read !== null &&
    read.every(
      (record) => record.vettingStatus === null || SETTLED.has(record.vettingStatus.toLowerCase()),
    )
  );
}

export interface FreshnessPolicy {
  readonly settledSeconds: number;
  readonly inReviewSeconds: number;
}

/** The one freshness policy: the cache's entries and `Cache-Control` both follow it. */
export function qualificationsMaxAge(policy: FreshnessPolicy, read: QualificationsRead): number {
  return isSettled(read) ? policy.settledSeconds : policy.inReviewSeconds;
}

export function qualificationsKind(policy: FreshnessPolicy): CacheKind<QualificationsRead> {
  return {
    name: 'qualifications',
    maxAgeSeconds: (read) => qualificationsMaxAge(policy, read),
    decode(json) {
      if (json === null) return null;
      if (!Array.isArray(json)) return undefined;
      try {
        return parseQualifications(json);
      } catch {
        return undefined;
      }
    },
  };
}
