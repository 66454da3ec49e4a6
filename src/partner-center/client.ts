import type { HttpClient } from './http-client.js';
import { parseQualifications } from './qualification-guard.js';
import type { CallContext, QualificationRecord } from './types.js';

/** The Partner Center endpoints this gateway uses, one function each. */
export interface PartnerCenterApi {
  /**
   * `GET /v1/customers/{id}/qualifications`. Resolves `null` when Partner Center does not know
   * the customer (404). `customerId` must already be a validated, normalised GUID.
   */
  getCustomerQualifications(
    customerId: string,
    call: CallContext,
  ): Promise<QualificationRecord[] | null>;
}

export function createPartnerCenterApi(http: HttpClient): PartnerCenterApi {
  return {
    async getCustomerQualifications(customerId, call) {
      const { json, status } = await http.getJson(
        `/v1/customers/${encodeURIComponent(customerId)}/qualifications`,
        call,
        '/v1/customers/{id}/qualifications',
      );
      return status === 404 ? null : parseQualifications(json);
    },
  };
}
