import { expect, it } from 'vitest';
import { mockedGatewayPerTest } from '../helpers/mocked-gateway.js';

const ENTITIES = /* GraphQL */ `
  query ($representations: [_Any!]!) {
    _entities(representations: $representations) {
      ... on Customer {
        id
        qualifications {
          qualification
        }
      }
    }
  }
`;

const id = (n: number) => `30000000-0000-4000-8000-${n.toString().padStart(12, '0')}`;

const mocked = mockedGatewayPerTest();

it('resolves 100 representations of 40 customers with 40 upstream calls, in order', async () => {
  for (let n = 0; n < 40; n += 1)
    mocked.upstream.reply(id(n), 200, [{ qualification: 'Education' }]);
  const representations = Array.from({ length: 100 }, (_, n) => ({
    __typename: 'Customer',
    id: n % 2 === 0 ? id(n % 40) : id(n % 40).toUpperCase(),
  }));

  const result = await mocked.gateway.execute(ENTITIES, { representations });

  expect(result.body).toEqual({
    data: {
      _entities: representations.map((_, n) => ({
        id: id(n % 40),
        qualifications: [{ qualification: 'EDUCATION' }],
      })),
    },
  });
  expect(mocked.upstream.calls).toHaveLength(40);
});

it('nulls an entity whose id is not a GUID, answers an unknown one as not known, keeps the rest', async () => {
  mocked.upstream.reply(id(1), 200, []);
  mocked.upstream.reply(id(2), 404, { code: 60003, description: 'Tenant not found.' });

  const result = await mocked.gateway.execute(ENTITIES, {
    representations: [
      { __typename: 'Customer', id: id(1) },
      { __typename: 'Customer', id: '%2e%2e%2fall' },
      { __typename: 'Customer', id: id(2) },
    ],
  });

  expect(result.body).toEqual({
    data: {
      _entities: [{ id: id(1), qualifications: [] }, null, { id: id(2), qualifications: [] }],
    },
    errors: [
      {
        message: 'Customer id must be a GUID such as 10000000-0000-4000-8000-000000000001.',
        locations: [{ line: 3, column: 5 }],
        path: ['_entities', 1],
        extensions: { code: 'BAD_USER_INPUT', argumentName: 'id' },
      },
    ],
  });
  expect(mocked.upstream.calls).toHaveLength(2);
});

it('answers a customer Partner Center does not know as an empty customer, and says so', async () => {
  mocked.upstream.reply(id(1), 200, [{ qualification: 'Education', vettingStatus: 'Approved' }]);
  mocked.upstream.reply(id(2), 404, { code: 60003, description: 'Tenant not found.' });

  const result = await mocked.gateway.execute(
    /* GraphQL */ `
      query ($representations: [_Any!]!) {
        _entities(representations: $representations) {
          ... on Customer {
            id
            knownToPartnerCenter
            isQualifiedFor(qualification: EDUCATION)
            qualifications {
              qualification
            }
          }
        }
      }
    `,
    {
      representations: [
        { __typename: 'Customer', id: id(1) },
        { __typename: 'Customer', id: id(2).toUpperCase() },
      ],
    },
  );

  expect(result.body).toEqual({
    data: {
      _entities: [
        {
          id: id(1),
          knownToPartnerCenter: true,
          isQualifiedFor: true,
          qualifications: [{ qualification: 'EDUCATION' }],
        },
        { id: id(2), knownToPartnerCenter: false, isQualifiedFor: false, qualifications: [] },
      ],
    },
  });
  expect(mocked.upstream.calls).toHaveLength(2);
});
