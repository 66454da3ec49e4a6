import { GraphQLError } from 'graphql';
import type { Context } from '../context.js';
import { normaliseCustomerId } from '../customer-id.js';
import { QUALIFICATIONS_READ, type CustomerReads } from '../customer-reads.js';
import { badUserInput, fromUpstream } from '../errors.js';
import type { CustomerProfileRecord, QualificationRecord } from '../../partner-center/types.js';
import type { QualificationsReadInfo } from '../loaders.js';
import { hintCustomer } from './cache-hint.js';
import type { CustomerModel, CustomerReadFailures } from './models.js';

/**
 * The single way every entry point (`customer`, `customers`, `_entities`, a payload) reads a
 * customer, so they share validation and the operation's DataLoaders. It does the reads the
 * selection needs (`reads`), together; the customer is null when any of them says it is unknown.
 * A failed read keeps the customer with what the others read: the fields that need it carry its
 * error. Only reads done just to know the customer exists fail the customer itself.
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
    reads.profile ? settle(loadProfile(context, id)) : undefined,
    reads.qualifications ? settle(loadQualifications(context, id)) : undefined,
  ]).then(([profile, qualifications]) => {
    if (profile?.value === null || qualifications?.value === null) {
      hintCustomer(context, null);
      return null;
    }
    if (reads.existenceOnly === true && qualifications?.error !== undefined) {
      throw qualifications.error;
    }
    const customer = {
      id,
      profile: profile?.value,
      qualifications: qualifications?.value,
      ...failuresOf(profile?.error, qualifications?.error),
    };
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
  const qualifications = await settle(loadQualifications(context, profile.id));
  if (qualifications.value === null) return null;
  return {
    id: profile.id,
    profile,
    qualifications: qualifications.value,
    ...failuresOf(undefined, qualifications.error),
  };
}

/**
 * The customer's qualifications: read by its entry point as its selection asked; read here only
 * if a resolver needs them after all (empty for a customer Partner Center no longer knows).
 * Rejects with the read's error when it failed.
 */
export async function qualificationsOf(
  context: Context,
  customer: CustomerModel,
): Promise<QualificationRecord[]> {
  if (customer.failed?.qualifications !== undefined) throw customer.failed.qualifications;
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
    customer.qualificationsRead ??
    context.loaders.qualificationsReads.get(customer.id) ?? { readAt: new Date(), stale: false }
  );
}

/** The customer's profile, as `qualificationsOf` does for qualifications. */
export async function profileOf(
  context: Context,
  customer: CustomerModel,
): Promise<CustomerProfileRecord | null> {
  if (customer.failed?.profile !== undefined) throw customer.failed.profile;
  return customer.profile ?? loadProfile(context, customer.id);
}

/**
 * Whether Partner Center knows the customer: false only for the `_entities` stand-in, true once
 * any read (the directory's list included) answered for it, else the failed read's error.
 */
export function knownToPartnerCenterOf(customer: CustomerModel): boolean {
  if (customer.unknownToPartnerCenter === true) return false;
  if (customer.profile !== undefined || customer.qualifications !== undefined) return true;
  const error = customer.failed?.qualifications ?? customer.failed?.profile;
  if (error !== undefined) throw error;
  return true;
}

interface Settled<T> {
  readonly value?: T;
  readonly error?: GraphQLError;
}

/** A read's answer or its error; the loaders reject only with GraphQL errors naming the customer. */
function settle<T>(read: Promise<T>): Promise<Settled<T>> {
  return read.then(
    (value) => ({ value }),
    (error: unknown) => ({
      error: error instanceof GraphQLError ? error : fromUpstream(error),
    }),
  );
}

function failuresOf(
  profile: GraphQLError | undefined,
  qualifications: GraphQLError | undefined,
): { failed?: CustomerReadFailures } {
  if (profile === undefined && qualifications === undefined) return {};
  return {
    failed: {
      ...(profile === undefined ? {} : { profile }),
      ...(qualifications === undefined ? {} : { qualifications }),
    },
  };
}

function loadQualifications(context: Context, id: string) {
  context.stats.loads += 1;
  return context.loaders.customer.load(id).then((record) => record?.qualifications ?? null);
}

function loadProfile(context: Context, id: string) {
  context.stats.loads += 1;
  return context.loaders.profile.load(id);
}
