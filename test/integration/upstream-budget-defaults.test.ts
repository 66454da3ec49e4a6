import { expect, it } from 'vitest';
import { customerJson, pageJson, replyToList, replyToProfile } from '../helpers/mock-directory.js';
import { mockedGatewayPerTest } from '../helpers/mocked-gateway.js';

// The default budget and limits, as a client reading docs/ meets them.
const mocked = mockedGatewayPerTest();

const id = (n: number) => `51000000-0000-4000-8000-${n.toString().padStart(12, '0')}`;
const ids = (count: number) => Array.from({ length: count }, (_, n) => id(n));
const name = (n: number) => `Contoso ${String(n)}`;
/** Every third customer is approved for Education; the others have no qualifications. */
const upstreamQualifications = (n: number) =>
  n % 3 === 0 ? [{ qualification: 'Education', vettingStatus: 'Approved' }] : [];
const qualifications = (n: number) =>
  n % 3 === 0 ? [{ qualification: 'EDUCATION', vettingStatus: 'APPROVED' }] : [];

const profilePath = (n: number) => `/v1/customers/${id(n)}`;
const qualificationsPath = (n: number) => `/v1/customers/${id(n)}/qualifications`;
const sorted = (paths: string[]) => [...paths].sort();

const NAMES_AND_QUALIFICATIONS = /* GraphQL */ `
  query ($ids: [ID!]!) {
    customers(ids: $ids) {
      id
      companyName
      qualifications {
        qualification
        vettingStatus
      }
    }
  }
`;

it('answers MAX_CUSTOMER_IDS (100) customers with names and qualifications in full, with 200 reads', async () => {
  for (let n = 0; n < 100; n += 1) {
    replyToProfile(mocked.upstream, id(n), 200, customerJson(id(n), name(n)));
    mocked.upstream.reply(id(n), 200, upstreamQualifications(n));
  }

  const result = await mocked.gateway.execute(NAMES_AND_QUALIFICATIONS, { ids: ids(100) });

  expect(result).toEqual({
    status: undefined,
    body: {
      data: {
        customers: ids(100).map((value, n) => ({
          id: value,
          companyName: name(n),
          qualifications: qualifications(n),
        })),
      },
    },
  });
  expect(sorted(mocked.upstream.calls.map((call) => call.path))).toEqual(
    sorted(ids(100).flatMap((_, n) => [profilePath(n), qualificationsPath(n)])),
  );
});

it('answers customerDirectory(first: 100) with qualifications in full, with 101 reads', async () => {
  replyToList(
    mocked.upstream,
    '/v1/customers?size=100',
    200,
    pageJson(ids(100).map((value, n) => customerJson(value, name(n)))),
  );
  for (let n = 0; n < 100; n += 1) mocked.upstream.reply(id(n), 200, upstreamQualifications(n));

  const result = await mocked.gateway.execute(/* GraphQL */ `
    {
      customerDirectory(first: 100) {
        totalCount
        edges {
          node {
            id
            companyName
            qualifications {
              qualification
              vettingStatus
            }
          }
        }
      }
    }
  `);

  expect(result).toEqual({
    status: undefined,
    body: {
      data: {
        customerDirectory: {
          totalCount: 100,
          edges: ids(100).map((value, n) => ({
            node: { id: value, companyName: name(n), qualifications: qualifications(n) },
          })),
        },
      },
    },
  });
  expect(sorted(mocked.upstream.calls.map((call) => call.path))).toEqual(
    sorted(['/v1/customers?size=100', ...ids(100).map((_, n) => qualificationsPath(n))]),
  );
});

it('refuses, before any call, one read more than the default budget of 200', async () => {
  const result = await mocked.gateway.execute(
    /* GraphQL */ `
      query ($ids: [ID!]!, $one: ID!) {
        customers(ids: $ids) {
          companyName
          qualifications {
            qualification
          }
        }
        one: customer(id: $one) {
          id
        }
      }
    `,
    { ids: ids(100), one: id(100) },
  );

  expect(result).toEqual({
    status: 400,
    body: {
      errors: [
        {
          message:
            'This operation would make 201 Partner Center reads; the limit is 200 per operation. Split it into smaller operations.',
          extensions: { code: 'BAD_USER_INPUT', upstreamCalls: 201, maxUpstreamCalls: 200 },
        },
      ],
    },
  });
  expect(mocked.upstream.calls).toHaveLength(0);
});
