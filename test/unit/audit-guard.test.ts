import { describe, expect, it } from 'vitest';
import { parseAuditRecordsPage } from '../../src/partner-center/audit-guard.js';

const CUSTOMER = 'A1B2C3D4-0000-4000-8000-000000000001';

describe('parseAuditRecordsPage', () => {
  it('reads the records, normalises ids and names, and follows links.next', () => {
    expect(
      parseAuditRecordsPage({
        totalCount: 3,
        items: [
          {
            id: 'r1',
            customerId: CUSTOMER,
            resourceType: 'Customer',
            operationType: 'Update_Customer_Qualification',
            operationStatus: 'Succeeded',
            operationDate: '2026-12-02T10:00:00Z',
          },
          {
            id: 'r2',
            customerId: 'not-a-guid',
            operationType: 'create_order',
            operationStatus: 'failed',
          },
          { customerId: CUSTOMER, operationType: 'add_customer' },
          'text',
        ],
        links: { next: { headers: [{ key: 'MS-ContinuationToken', value: 'tok2' }] } },
      }),
    ).toEqual({
      items: [
        {
          id: 'r1',
          customerId: CUSTOMER.toLowerCase(),
          resourceType: 'customer',
          operationType: 'update_customer_qualification',
          operationStatus: 'succeeded',
          operationDate: Date.parse('2026-12-02T10:00:00Z'),
        },
        {
          id: 'r2',
          customerId: null,
          resourceType: '',
          operationType: 'create_order',
          operationStatus: 'failed',
          operationDate: null,
        },
      ],
      malformed: 2,
      nextToken: 'tok2',
    });
  });

  it('refuses a body that is no collection, and a next link it could not follow', () => {
    expect(() => parseAuditRecordsPage({ value: [] })).toThrow(/audit records shape/);
    expect(() => parseAuditRecordsPage('x')).toThrow(/audit records shape/);
    expect(() => parseAuditRecordsPage({ items: [], links: { next: { headers: [] } } })).toThrow(
      /MS-ContinuationToken/,
    );
    expect(parseAuditRecordsPage({ items: [], links: {} })).toEqual({
      items: [],
      malformed: 0,
      nextToken: null,
    });
  });
});
