import type { AddCustomerQualificationErrorCode } from '../__generated__/resolvers-types.js';
import type { QualificationRecord } from '../../partner-center/types.js';

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
