import type { PartnerCenterApi } from '../../src/partner-center/client.js';

/** A Partner Center client whose every endpoint fails the test; override the ones a test uses. */
export function fakeApi(overrides: Partial<PartnerCenterApi>): PartnerCenterApi {
  const unused = (name: string) => () => Promise.reject(new Error(`${name} was not expected`));
  return {
    getCustomerQualifications: unused('getCustomerQualifications'),
    createCustomerQualification: unused('createCustomerQualification'),
    getValidationCodes: unused('getValidationCodes'),
    getCustomer: unused('getCustomer'),
    listCustomers: unused('listCustomers'),
    listAuditRecords: unused('listAuditRecords'),
    ...overrides,
  };
}
