import type { AddCustomerQualificationErrorCode } from '../__generated__/resolvers-types.js';
import type { CustomerRecord, QualificationRecord } from '../../partner-center/types.js';

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
 * What a `Customer` resolves from: Partner Center's record, or the stand-in `_entities` answers
 * for a reference Partner Center does not know (marked `unknownToPartnerCenter`).
 */
export type CustomerModel = CustomerRecord & { readonly unknownToPartnerCenter?: true };

/** A router's reference to a customer Partner Center does not know: no qualifications at all. */
export function unknownCustomer(id: string): CustomerModel {
  return { id, qualifications: [], unknownToPartnerCenter: true };
}
