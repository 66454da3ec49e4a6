import type { AuditRecord } from '../partner-center/types.js';

/** What one audit record makes stale in the cache. */
export interface RecordEffects {
  /** The customer's qualification answers (and its watch reads it again). */
  readonly qualifications: boolean;
  /** The customer's company profile (name, domain, relationship). */
  readonly profiles: boolean;
}

/**
 * Customer operations after which Partner Center no longer answers for the customer as it did:
 * its qualifications read changes too (403 or 404 instead of the list).
 */
const CUSTOMER_GONE: ReadonlySet<string> = new Set([
  'delete_customer',
  'remove_partner_customer_relationship',
]);

/** The operation types the metrics name; any other is counted as `other` (a bounded label). */
export const NAMED_OPERATIONS: readonly string[] = [
  'update_customer_qualification',
  'add_customer',
  'update_customer_billing_profile',
  'update_customer_partner_contract_company_name',
  'delete_customer',
  'remove_partner_customer_relationship',
];

export function operationLabel(record: AuditRecord): string {
  return NAMED_OPERATIONS.includes(record.operationType) ? record.operationType : 'other';
}

/**
 * What a record changes, or `undefined` when it changes nothing the gateway caches: not
 * succeeded (a failed or still running operation changed nothing yet), no valid customer id, or
 * about another resource (orders, subscriptions, users…). Qualification operations are known by
 * their type (`update_customer_qualification`, and any `…_qualification` Partner Center adds),
 * whatever resource type they are logged under.
 */
export function effectsOf(record: AuditRecord): RecordEffects | undefined {
  if (record.operationStatus !== 'succeeded' || record.customerId === null) return undefined;
  if (/(^|_)qualifications?$/.test(record.operationType)) {
    return { qualifications: true, profiles: false };
  }
  if (record.resourceType !== 'customer') return undefined;
  return { qualifications: CUSTOMER_GONE.has(record.operationType), profiles: true };
}
