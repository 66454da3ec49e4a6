import type { QualificationKind, VettingStatus } from '../__generated__/resolvers-types.js';
import type { Logger } from '../../observability/logger.js';

// Keys are lower-case: the retired API spelled kinds in lower case, and case carries no meaning.
const KINDS = new Map<string, QualificationKind>([
  ['education', 'EDUCATION'],
  ['governmentcommunitycloud', 'GOVERNMENT_COMMUNITY_CLOUD'],
  ['stateownedentity', 'STATE_OWNED_ENTITY'],
  ['nonprofit', 'NONPROFIT'],
  ['none', 'NONE'],
]);

const STATUSES = new Map<string, VettingStatus>([
  ['approved', 'APPROVED'],
  ['inreview', 'IN_REVIEW'],
  ['denied', 'DENIED'],
]);

/** Bounded, so a misbehaving upstream cannot grow it without limit. */
const warned = new Set<string>();
const MAX_WARNED = 100;

/** Where to warn; a context's logger is only built when there is something to say. */
export interface LogsTo {
  readonly logger: Logger;
}

export function warnOnce(to: LogsTo, field: string, value: string): void {
  const key = `${field}:${value}`;
  if (warned.has(key) || warned.size >= MAX_WARNED) return;
  warned.add(key);
  to.logger.warn(
    { field, value },
    'Partner Center sent a value this gateway does not know; answering OTHER',
  );
}

export function qualificationKind(raw: string, to: LogsTo): QualificationKind {
  const known = KINDS.get(raw.toLowerCase());
  if (known !== undefined) return known;
  warnOnce(to, 'qualification', raw);
  return 'OTHER';
}

export function vettingStatus(raw: string, to: LogsTo): VettingStatus {
  const known = STATUSES.get(raw.toLowerCase());
  if (known !== undefined) return known;
  warnOnce(to, 'vettingStatus', raw);
  return 'OTHER';
}
