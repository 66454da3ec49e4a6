import type { Context } from '../context.js';
import { normaliseCustomerId } from '../customer-id.js';
import { badUserInput } from '../errors.js';
import type { CustomerRecord } from '../../partner-center/types.js';
import { hintCustomer } from './cache-hint.js';

/**
 * The single way every entry point (`customer`, `customers`, `_entities`) reads a customer, so
 * they share validation and the operation's DataLoader.
 */
export function loadCustomer(context: Context, rawId: unknown): Promise<CustomerRecord | null> {
  const id = normaliseCustomerId(rawId);
  if (id === undefined) {
    return Promise.reject(
      badUserInput('Customer id must be a GUID such as 10000000-0000-4000-8000-000000000001.', {
        argumentName: 'id',
      }),
    );
  }
  context.stats.loads += 1;
  return context.loaders.customer.load(id).then((customer) => {
    hintCustomer(context, customer);
    return customer;
  });
}
