import { describe, expect, it } from 'vitest';
import { TOKEN } from '../helpers/apollo.js';
import { mockedGatewayPerTest } from '../helpers/mocked-gateway.js';

const A = '10000000-0000-4000-8000-00000000000a';
const B = '10000000-0000-4000-8000-00000000000b';
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const CUSTOMER = /* GraphQL */ `
  query ($id: ID!) {
    customer(id: $id) {
      id
      qualifications {
        qualification
        rawQualification
        vettingStatus
        rawVettingStatus
        vettingReason
        vettingCreatedDate
      }
    }
  }
`;

const CUSTOMERS = /* GraphQL */ `
  query ($ids: [ID!]!) {
    customers(ids: $ids) {
      id
      qualifications {
        qualification
      }
    }
  }
`;

const mocked = mockedGatewayPerTest({ MAX_CUSTOMER_IDS: '5' });

describe('customer(id)', () => {
  it('answers every field of a denied Education qualification with a normalised date', async () => {
    mocked.upstream.reply(A, 200, [
      {
        qualification: 'Education',
        vettingStatus: 'Denied',
        vettingReason: 'Not an Education Customer',
        vettingCreateDate: '2021-05-06T19:59:56.6832021+00:00',
      },
      { qualification: 'StateOwnedEntity' },
    ]);

    const result = await mocked.gateway.execute(CUSTOMER, { id: A });

    expect(result.body).toEqual({
      data: {
        customer: {
          id: A,
          qualifications: [
            {
              qualification: 'EDUCATION',
              rawQualification: 'Education',
              vettingStatus: 'DENIED',
              rawVettingStatus: 'Denied',
              vettingReason: 'Not an Education Customer',
              vettingCreatedDate: '2021-05-06T19:59:56.683Z',
            },
            {
              qualification: 'STATE_OWNED_ENTITY',
              rawQualification: 'StateOwnedEntity',
              vettingStatus: null,
              rawVettingStatus: null,
              vettingReason: null,
              vettingCreatedDate: null,
            },
          ],
        },
      },
    });
    expect(mocked.upstream.calls).toHaveLength(1);
  });

  it('sends the caller token verbatim with correlation and request ids', async () => {
    mocked.upstream.reply(A, 200, []);

    await mocked.gateway.execute(
      CUSTOMER,
      { id: A },
      {
        authorization: TOKEN,
        'ms-correlationid': '5f1c8a52-0a0e-4c5c-9d58-0f6d3b8e2a11',
        'x-locale': 'de-DE',
        'ms-cv': 'abc.1',
      },
    );

    const [call] = mocked.upstream.calls;
    expect(call?.path).toBe(`/v1/customers/${A}/qualifications`);
    expect(call?.headers).toEqual({
      authorization: TOKEN,
      accept: 'application/json',
      'ms-correlationid': '5f1c8a52-0a0e-4c5c-9d58-0f6d3b8e2a11',
      'ms-requestid': expect.stringMatching(GUID) as string,
      'x-locale': 'de-DE',
      'ms-cv': 'abc.1',
    });
  });

  it('replaces a correlation id that is not a GUID and drops malformed optional headers', async () => {
    mocked.upstream.reply(A, 200, []);

    await mocked.gateway.execute(
      CUSTOMER,
      { id: A },
      {
        authorization: TOKEN,
        'ms-correlationid': 'not-a-guid\r\nx: y',
        'x-locale': '../../etc',
      },
    );

    const headers = mocked.upstream.calls[0]?.headers ?? {};
    expect(headers['ms-correlationid']).toMatch(GUID);
    expect(headers).not.toHaveProperty('x-locale');
  });

  it('answers null without an error for a customer Partner Center does not know', async () => {
    mocked.upstream.reply(A, 404, { code: 60003, description: 'Tenant not found.' });

    const result = await mocked.gateway.execute(CUSTOMER, { id: A });

    expect(result.body).toEqual({ data: { customer: null } });
  });

  it('refuses an id that is not a GUID without calling upstream', async () => {
    const result = await mocked.gateway.execute(CUSTOMER, {
      id: '../../v1/customers/all/validations',
    });

    expect(result.body).toEqual({
      data: { customer: null },
      errors: [
        {
          message: 'Customer id must be a GUID such as 10000000-0000-4000-8000-000000000001.',
          locations: [{ line: 3, column: 5 }],
          path: ['customer'],
          extensions: { code: 'BAD_USER_INPUT', argumentName: 'id' },
        },
      ],
    });
    expect(mocked.upstream.calls).toHaveLength(0);
  });

  it('answers OTHER with the raw names for values Partner Center adds later, and warns once', async () => {
    const future = [{ qualification: 'SovereignCloud', vettingStatus: 'Escalated' }];
    mocked.upstream.reply(A, 200, future);
    mocked.upstream.reply(B, 200, future);

    const result = await mocked.gateway.execute(
      /* GraphQL */ `
        query ($ids: [ID!]!) {
          customers(ids: $ids) {
            qualifications {
              qualification
              rawQualification
              vettingStatus
              rawVettingStatus
            }
          }
        }
      `,
      { ids: [A, B] },
    );

    const other = {
      qualification: 'OTHER',
      rawQualification: 'SovereignCloud',
      vettingStatus: 'OTHER',
      rawVettingStatus: 'Escalated',
    };
    expect(result.body).toEqual({
      data: { customers: [{ qualifications: [other] }, { qualifications: [other] }] },
    });
    const warnings = mocked.gateway.logs
      .entries()
      .filter((entry) => entry['value'] === 'SovereignCloud' || entry['value'] === 'Escalated');
    expect(warnings.map((entry) => [entry['level'], entry['field'], entry['value']])).toEqual([
      [40, 'qualification', 'SovereignCloud'],
      [40, 'vettingStatus', 'Escalated'],
    ]);
  });

  it('nulls only the vetting date when Partner Center sends one that is not a date', async () => {
    mocked.upstream.reply(A, 200, [
      { qualification: 'Education', vettingStatus: 'InReview', vettingCreateDate: 'yesterday' },
    ]);

    const result = await mocked.gateway.execute(CUSTOMER, { id: A });

    expect(result.body).toEqual({
      data: {
        customer: {
          id: A,
          qualifications: [
            {
              qualification: 'EDUCATION',
              rawQualification: 'Education',
              vettingStatus: 'IN_REVIEW',
              rawVettingStatus: 'InReview',
              vettingReason: null,
              vettingCreatedDate: null,
            },
          ],
        },
      },
      errors: [
        {
          message: 'Partner Center sent a vetting date that is not a date.',
          locations: [{ line: 11, column: 9 }],
          path: ['customer', 'qualifications', 0, 'vettingCreatedDate'],
          extensions: { code: 'UPSTREAM_BAD_RESPONSE' },
        },
      ],
    });
  });

  it('tells whether a customer is qualified, counting only approved or unvetted kinds', async () => {
    mocked.upstream.reply(A, 200, [
      { qualification: 'Education', vettingStatus: 'InReview' },
      { qualification: 'StateOwnedEntity' },
      { qualification: 'GovernmentCommunityCloud', vettingStatus: 'Approved' },
    ]);

    const result = await mocked.gateway.execute(
      /* GraphQL */ `
        query ($id: ID!) {
          customer(id: $id) {
            education: isQualifiedFor(qualification: EDUCATION)
            soe: isQualifiedFor(qualification: STATE_OWNED_ENTITY)
            gcc: isQualifiedFor(qualification: GOVERNMENT_COMMUNITY_CLOUD)
            nonprofit: isQualifiedFor(qualification: NONPROFIT)
          }
        }
      `,
      { id: A },
    );

    expect(result.body).toEqual({
      data: { customer: { education: false, soe: true, gcc: true, nonprofit: false } },
    });
    expect(mocked.upstream.calls).toHaveLength(1);
  });
});

describe('customers(ids)', () => {
  it('answers in input order with one upstream call per unique id, whatever its case', async () => {
    mocked.upstream.reply(A, 200, [{ qualification: 'Education', vettingStatus: 'Approved' }]);
    mocked.upstream.reply(B, 200, []);

    const result = await mocked.gateway.execute(CUSTOMERS, { ids: [B, A.toUpperCase(), A, B] });

    expect(result.body).toEqual({
      data: {
        customers: [
          { id: B, qualifications: [] },
          { id: A, qualifications: [{ qualification: 'EDUCATION' }] },
          { id: A, qualifications: [{ qualification: 'EDUCATION' }] },
          { id: B, qualifications: [] },
        ],
      },
    });
    expect(mocked.upstream.calls.map((call) => call.path).sort()).toEqual([
      `/v1/customers/${A}/qualifications`,
      `/v1/customers/${B}/qualifications`,
    ]);
  });

  it('nulls only the entry whose id is not a GUID, naming the ids argument', async () => {
    mocked.upstream.reply(A, 200, []);

    const result = await mocked.gateway.execute(CUSTOMERS, { ids: [A, 'abc/../x'] });

    expect(result.body).toEqual({
      data: { customers: [{ id: A, qualifications: [] }, null] },
      errors: [
        {
          message: 'Customer id must be a GUID such as 10000000-0000-4000-8000-000000000001.',
          locations: [{ line: 3, column: 5 }],
          path: ['customers', 1],
          extensions: { code: 'BAD_USER_INPUT', argumentName: 'ids' },
        },
      ],
    });
    expect(mocked.upstream.calls).toHaveLength(1);
  });

  it('refuses more ids than the configured limit before any upstream call', async () => {
    const ids = Array.from({ length: 6 }, (_, n) => `10000000-0000-4000-8000-00000000000${n}`);

    const result = await mocked.gateway.execute(CUSTOMERS, { ids });

    expect(result.body).toEqual({
      data: null,
      errors: [
        {
          message: 'At most 5 customer ids may be asked at once.',
          locations: [{ line: 3, column: 5 }],
          path: ['customers'],
          extensions: { code: 'BAD_USER_INPUT', argumentName: 'ids' },
        },
      ],
    });
    expect(mocked.upstream.calls).toHaveLength(0);
  });
});
