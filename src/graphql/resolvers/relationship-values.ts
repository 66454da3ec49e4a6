import type { RelationshipToPartner } from '../__generated__/resolvers-types.js';
import { warnOnce, type LogsTo } from './qualification-values.js';

// Partner Center spells them in lower case.
const RELATIONSHIPS = new Map<string, RelationshipToPartner>([
  ['none', 'NONE'],
  ['reseller', 'RESELLER'],
  ['advisor', 'ADVISOR'],
  ['syndication', 'SYNDICATION'],
  ['microsoft_support', 'MICROSOFT_SUPPORT'],
]);

/** Partner Center's value (any case); one it adds later answers OTHER. */
export function relationshipToPartner(raw: string, to: LogsTo): RelationshipToPartner {
  const known = RELATIONSHIPS.get(raw.toLowerCase());
  if (known !== undefined) return known;
  warnOnce(to, 'relationshipToPartner', raw);
  return 'OTHER';
}
