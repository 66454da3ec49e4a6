import { describe, expect, it } from 'vitest';
import { customerJson, replyToProfile } from '../helpers/mock-directory.js';
import { mockedGatewayPerTest } from '../helpers/mocked-gateway.js';

const A = '70000000-0000-4000-8000-00000000000a';
const B = '70000000-0000-4000-8000-00000000000b';
const EDUCATION = [{ qualification: 'Education', vettingStatus: 'Approved' }];

const mocked = mockedGatewayPerTest();

const paths = () => mocked.upstream.calls.map((call) => call.path);

describe('a customer reached by id reads only what its selection needs', () => {
  it('reads only the profile for names alone', async () => {
    replyToProfile(mocked.upstream, A, 200, customerJson(A, 'Contoso University', 'advisor'));

    const result = await mocked.gateway.execute(
      /* GraphQL */ `
        query ($id: ID!) {
          customer(id: $id) {
            id
            companyName
            domain
            relationshipToPartner
          }
        }
      `,
      { id: A.toUpperCase() },
    );

    expect(result.body).toEqual({
      data: {
        customer: {
          id: A,
          companyName: 'Contoso University',
          domain: 'contosouniversity.onmicrosoft.com',
          relationshipToPartner: 'ADVISOR',
        },
      },
    });
    expect(paths()).toEqual([`/v1/customers/${A}`]);
  });

  it('reads only the qualifications for qualifications alone, and for id alone', async () => {
    mocked.upstream.reply(A, 200, EDUCATION);
    mocked.upstream.reply(B, 200, []);

    const result = await mocked.gateway.execute(
      /* GraphQL */ `
        query ($a: ID!, $b: ID!) {
          a: customer(id: $a) {
            isEducation: isQualifiedFor(qualification: EDUCATION)
          }
          b: customer(id: $b) {
            id
            __typename
          }
        }
      `,
      { a: A, b: B },
    );

    expect(result.body).toEqual({
      data: { a: { isEducation: true }, b: { id: B, __typename: 'Customer' } },
    });
    expect(paths()).toEqual([
      `/v1/customers/${A}/qualifications`,
      `/v1/customers/${B}/qualifications`,
    ]);
  });

  it('reads both, once each, for names and qualifications through fragments', async () => {
    replyToProfile(mocked.upstream, A, 200, customerJson(A, 'Contoso University'));
    mocked.upstream.reply(A, 200, EDUCATION);

    const result = await mocked.gateway.execute(
      /* GraphQL */ `
        query ($id: ID!) {
          customer(id: $id) {
            ...Names
            ... on Customer {
              qualifications {
                qualification
              }
            }
          }
          again: customer(id: $id) {
            companyName
          }
        }
        fragment Names on Customer {
          companyName
        }
      `,
      { id: A },
    );

    expect(result.body).toEqual({
      data: {
        customer: {
          companyName: 'Contoso University',
          qualifications: [{ qualification: 'EDUCATION' }],
        },
        again: { companyName: 'Contoso University' },
      },
    });
    expect(paths().sort()).toEqual([`/v1/customers/${A}`, `/v1/customers/${A}/qualifications`]);
  });

  it('leaves out reads for fields @skip or @include leave out', async () => {
    mocked.upstream.reply(A, 200, []);

    const result = await mocked.gateway.execute(
      /* GraphQL */ `
        query ($id: ID!, $names: Boolean!) {
          customer(id: $id) {
            companyName @include(if: $names)
            domain @skip(if: true)
            qualifications {
              qualification
            }
          }
        }
      `,
      { id: A, names: false },
    );

    expect(result.body).toEqual({ data: { customer: { qualifications: [] } } });
    expect(paths()).toEqual([`/v1/customers/${A}/qualifications`]);
  });

  it('answers null without an error when the profile read says the customer is unknown', async () => {
    replyToProfile(mocked.upstream, A, 404, { code: 60003, description: 'Tenant not found.' });

    const result = await mocked.gateway.execute(
      /* GraphQL */ `
        query ($id: ID!) {
          customer(id: $id) {
            companyName
          }
        }
      `,
      { id: A },
    );

    expect(result.body).toEqual({ data: { customer: null } });
  });

  it('makes one profile call per unique customer across customers(ids:) and _entities', async () => {
    replyToProfile(mocked.upstream, A, 200, customerJson(A, 'Contoso University'));
    replyToProfile(mocked.upstream, B, 200, customerJson(B, 'Fabrikam School District'));

    const result = await mocked.gateway.execute(
      /* GraphQL */ `
        query ($ids: [ID!]!, $representations: [_Any!]!) {
          customers(ids: $ids) {
            companyName
          }
          _entities(representations: $representations) {
            ... on Customer {
              domain
            }
          }
        }
      `,
      {
        ids: [A, B, A.toUpperCase()],
        representations: [
          { __typename: 'Customer', id: B },
          { __typename: 'Customer', id: A },
        ],
      },
    );

    expect(result.body).toEqual({
      data: {
        customers: [
          { companyName: 'Contoso University' },
          { companyName: 'Fabrikam School District' },
          { companyName: 'Contoso University' },
        ],
        _entities: [
          { domain: 'fabrikamschooldistrict.onmicrosoft.com' },
          { domain: 'contosouniversity.onmicrosoft.com' },
        ],
      },
    });
    expect(paths().sort()).toEqual([`/v1/customers/${A}`, `/v1/customers/${B}`]);
  });
});
