import type { Context } from '../context.js';
import type { CustomerModel } from './models.js';

const SETTLED = new Set(['approved', 'denied']);

/**
 * An honest `Cache-Control` for a customer: settled vetting may be cached longer than vetting
 * still in review (which a client polls). The operation's answer may be cached only as long as
 * its least settled customer allows.
 */
export function hintCustomer(context: Context, customer: CustomerModel | null): void {
  // A profile read alone (no qualifications) is as settled as a company name is.
  const settled =
    customer !== null &&
    (customer.qualifications ?? []).every(
      (record) => record.vettingStatus === null || SETTLED.has(record.vettingStatus.toLowerCase()),
    );
  const { settledSeconds, inReviewSeconds } = context.cachePolicy;
  const maxAge = settled ? settledSeconds : inReviewSeconds;
  const { cacheHint } = context;
  cacheHint.maxAge = cacheHint.maxAge === undefined ? maxAge : Math.min(cacheHint.maxAge, maxAge);
}
