import { describe, expect, it } from 'vitest';
import { parseCustomer, parseCustomerPage } from '../../src/partner-center/customer-guard.js';
import { UpstreamError } from '../../src/partner-center/upstream-error.js';

const ID = '10000000-0000-4000-8000-00000000000A';

function failure(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error instanceof UpstreamError ? { kind: error.kind, message: error.message } : error;
  }
  return 'no error';
}

describe('parseCustomer', () => {
  it('takes the profile fields, lower-cases the id and allows left-out attributes', () => {
    expect(
      parseCustomer({
        id: ID,
        companyProfile: {
          tenantId: ID,
          domain: 'contoso.onmicrosoft.com',
          companyName: ' Contoso ',
        },
        relationshipToPartner: 'reseller',
        billingProfile: { id: 'x' },
      }),
    ).toEqual({
      id: ID.toLowerCase(),
      companyName: 'Contoso',
      domain: 'contoso.onmicrosoft.com',
      relationshipToPartner: 'reseller',
    });
    expect(parseCustomer({ companyProfile: { tenantId: ID } })).toEqual({
      id: ID.toLowerCase(),
      companyName: null,
      domain: null,
      relationshipToPartner: null,
    });
  });

  it.each([
    ['not an object', [], 'customer 0 is not an object'],
    ['an id that is not a GUID', { id: '../all' }, 'customer 0 has no GUID id'],
    [
      'a profile that is not an object',
      { id: ID, companyProfile: 'x' },
      'customer 0 has a companyProfile that is not an object',
    ],
    [
      'a number for a name',
      { id: ID, companyProfile: { companyName: 7 } },
      'customer 0 has a non-string companyName',
    ],
  ])('refuses %s', (_name, json, reason) => {
    expect(failure(() => parseCustomer(json))).toEqual({
      kind: 'bad-response',
      message: `unexpected customers shape: ${reason}`,
    });
  });
});

describe('parseCustomerPage', () => {
  it('reads items, totalCount and the next continuation token (header key in any case)', () => {
    expect(
      parseCustomerPage({
        totalCount: 3,
        items: [{ id: ID }],
        links: {
          next: {
            uri: '/customers?size=1&seekOperation=next',
            method: 'GET',
            headers: [{ key: 'ms-continuationtoken', value: 'abc=' }],
          },
        },
      }),
    ).toEqual({
      totalCount: 3,
      items: [
        { id: ID.toLowerCase(), companyName: null, domain: null, relationshipToPartner: null },
      ],
      nextToken: 'abc=',
    });
    expect(parseCustomerPage({ items: [], links: {} })).toEqual({
      totalCount: null,
      items: [],
      nextToken: null,
    });
  });

  it.each([
    ['no items', { totalCount: 1 }, 'expected a collection with items'],
    [
      'a next link without a token',
      { items: [], links: { next: { headers: [] } } },
      'links.next has no usable MS-ContinuationToken header',
    ],
    [
      'a token with a line break',
      {
        items: [],
        links: { next: { headers: [{ key: 'MS-ContinuationToken', value: 'a\r\nb' }] } },
      },
      'links.next has no usable MS-ContinuationToken header',
    ],
  ])('refuses %s', (_name, json, reason) => {
    expect(failure(() => parseCustomerPage(json))).toEqual({
      kind: 'bad-response',
      message: `unexpected customers shape: ${reason}`,
    });
  });
});
