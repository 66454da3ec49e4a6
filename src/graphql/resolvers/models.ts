import type { GraphQLError } from 'graphql';
import type { AddCustomerQualificationErrorCode } from '../__generated__/resolvers-types.js';
import type { CustomerProfileRecord, QualificationRecord } from '../../partner-center/types.js';
import type { QualificationsReadInfo } from '../loaders.js';

/** What `addCustomerQualification` resolves to; `customer` is read afresh from `customerId`. */
export interface AddCustomerQualificationOutcome {
  readonly customerId: string;
  readonly qualification: QualificationRecord | null;
  readonly errors: readonly {
    readonly code: AddCustomerQualificationErrorCode;
    readonly message: string;
    readonly upstreamCode: string | null;
  }[];
}

/**
 * What a `Customer` resolves from: its id and the reads its selection needed, done by the entry
 * point that reached it (`customer`, `customers`, `_entities`, a directory edge, a payload).
 */
export interface CustomerModel {
  /** Normalised (lower-case) tenant id. */
  readonly id: string;
  /** The company profile, when read or carried by the directory's list answer. */
  readonly profile?: CustomerProfileRecord | undefined;
  /** The qualifications, when read. */
  readonly qualifications?: QualificationRecord[] | undefined;
  /**
   * How the qualifications were had, when they came with the customer (a subscription's event)
   * rather than through the operation's loader.
   */
  readonly qualificationsRead?: QualificationsReadInfo | undefined;
  /** Set only on the stand-in `_entities` answers for a reference Partner Center does not know. */
  readonly unknownToPartnerCenter?: true;
  /**
   * Reads the entry point did that failed: the customer is kept with what was read, and the
   * fields that need a failed read are null with its error (which names the customer).
   */
  readonly failed?: CustomerReadFailures | undefined;
}

export interface CustomerReadFailures {
  readonly profile?: GraphQLError | undefined;
  readonly qualifications?: GraphQLError | undefined;
}

/**
 * A router's reference to a customer Partner Center does not know: no qualifications at all, and
 * `knownToPartnerCenter` false.
 */
export function unknownCustomer(id: string): CustomerModel {
  return { id, qualifications: [], unknownToPartnerCenter: true };
}
