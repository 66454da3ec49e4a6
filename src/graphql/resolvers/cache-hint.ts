import type { Context } from '../context.js';
import type { CustomerModel } from './models.js';
import { qualificationsMaxAge } from '../../cache/qualifications.js';

/**
 * An honest `Cache-Control` for a customer: settled vetting may be cached longer than vetting
 * still in review (which a client polls). The operation's answer may be cached only as long as
 * its least settled customer allows.
 */
export function hintCustomer(context: Context, customer: CustomerModel | null): void {
  // A profile read alone (no qualifications) is as settled as a company name is.
  const maxAge = qualificationsMaxAge(
    context.cachePolicy,
    customer === null ? null : (customer.qualifications ?? []),
  );
  const { cacheHint } = context;
  cacheHint.maxAge = cacheHint.maxAge === undefined ? maxAge : Math.min(cacheHint.maxAge, maxAge);
}
