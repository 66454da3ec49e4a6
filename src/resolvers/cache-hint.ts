import { cacheControlFromInfo } from '@apollo/cache-control-types';
import type { GraphQLResolveInfo } from 'graphql';
import type { Context } from '../context.js';
import type { CustomerRecord } from '../partner-center/types.js';

const SETTLED = new Set(['approved', 'denied']);

/**
 * An honest `Cache-Control` for a customer: settled vetting may be cached longer than vetting
 * still in review (which a client polls), and `private` whenever the answer depends on the
 * caller's own token.
 */
export function hintCustomer(
  info: GraphQLResolveInfo,
  context: Context,
  customer: CustomerRecord | null,
): void {
  const settled =
    customer !== null &&
    customer.qualifications.every(
      (record) => record.vettingStatus === null || SETTLED.has(record.vettingStatus.toLowerCase()),
    );
  const { settledSeconds, inReviewSeconds, scope } = context.cachePolicy;
  cacheControlFromInfo(info).setCacheHint({
    maxAge: settled ? settledSeconds : inReviewSeconds,
    scope,
  });
}
