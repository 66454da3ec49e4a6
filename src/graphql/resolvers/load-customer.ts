import type { Context } from '../context.js';
import { normaliseCustomerId } from '../customer-id.js';
import { QUALIFICATIONS_READ, type CustomerReads } from '../customer-reads.js';
import { badUserInput } from '../errors.js';
import type { CustomerProfileRecord, QualificationRecord } from '../../partner-center/types.js';
import type { QualificationsReadInfo } from '../loaders.js';
import { hintCustomer } from './cache-hint.js';
import type { CustomerModel } from './models.js';

/**
 * The single way every entry point (`customer`, `customers`, `_entities`, a payload) reads a
 * customer, so they share validation and the operation's DataLoaders. It does the reads the
 * selection needs (`reads`), together; the customer is null when any of them says it is unknown.
 * A bad id is reported against `argumentName`, the argument the caller's id came in.
 */
export function loadCustomer(
  context: Context,
  rawId: unknown,
  reads: CustomerReads = QUALIFICATIONS_READ,
  argumentName = 'id',
): Promise<CustomerModel | null> {
  const id = normaliseCustomerId(rawId);
  if (id === undefined) {
    return Promise.reject(
      badUserInput('Customer id must be a GUID such as 10000000-0000-4000-8000-000000000001.', {
        argumentName,
      }),
    );
  }
  return Promise.all([
    reads.profile ? loadProfile(context, id) : undefined,
    reads.qualifications ? loadQualifications(context, id) : undefined,
  ]).then(([profile, qualifications]) => {
    const customer =
      profile === null || qualifications === null ? null : { id, profile, qualifications };
    hintCustomer(context, customer);
    return customer;
  });
}

/** A listed customer (its profile from the list answer), with its qualifications if asked. */
export async function loadListedCustomer(
  context: Context,
  profile: CustomerProfileRecord,
  reads: CustomerReads,
): Promise<CustomerModel | null> {
  if (!reads.qualifications) return { id: profile.id, profile };
  const qualifications = await loadQualifications(context, profile.id);
  return qualifications === null ? null : { id: profile.id, profile, qualifications };
}

/**
 * The customer's qualifications: read by its entry point as its selection asked; read here only
 * if a resolver needs them after all (empty for a customer Partner Center no longer knows).
 */
export async function qualificationsOf(
  context: Context,
  customer: CustomerModel,
): Promise<QualificationRecord[]> {
  return customer.qualifications ?? (await loadQualifications(context, customer.id)) ?? [];
}

/**
 * When Partner Center gave the qualifications answer shown, and whether it was served stale;
 * recorded by the operation's loader for every customer it read (an unknown one included).
 */
export async function qualificationsReadOf(
  context: Context,
  customer: CustomerModel,
): Promise<QualificationsReadInfo> {
  await qualificationsOf(context, customer);
  return (
    context.loaders.qualificationsReads.get(customer.id) ?? { readAt: new Date(), stale: false }
  );
}

/** The customer's profile, as `qualificationsOf` does for qualifications. */
export async function profileOf(
  context: Context,
  customer: CustomerModel,
): Promise<CustomerProfileRecord | null> {
  return customer.profile ?? loadProfile(context, customer.id);
}

function loadQualifications(context: Context, id: string) {
  context.stats.loads += 1;
  return context.loaders.customer.load(id).then((record) => record?.qualifications ?? null);
}

function loadProfile(context: Context, id: string) {
  context.stats.loads += 1;
  return context.loaders.profile.load(id);
}
