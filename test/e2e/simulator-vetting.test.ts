import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { SAMPLE_CUSTOMER_IDS } from '../../src/simulator/data.js';
import { postGraphQL, startGateway, type RunningGateway } from '../helpers/gateway.js';

const READ = /* GraphQL */ `
  query Read($id: ID!) {
    customer(id: $id) {
      qualifications {
        qualification
        vettingStatus
        vettingReason
      }
    }
  }
`;
const ADD = /* GraphQL */ `
  mutation Add($input: AddCustomerQualificationInput!) {
    addCustomerQualification(input: $input) {
      qualification {
        qualification
        vettingStatus
      }
      errors {
        code
      }
    }
  }
`;
// Past the gateway's cache of in-review answers, as a portal's poll after a decision would be.
const FRESH = { authorization: 'Bearer e2e-token', 'cache-control': 'no-cache' };

let now = 0;
let running: RunningGateway;
beforeAll(async () => {
  running = await startGateway({ simulator: { vettingSeconds: 120, now: () => now } });
});
afterAll(() => running.close());
beforeEach(() => {
  now = 0;
  running.simulator.reset();
});

async function read(id: string) {
  return (await postGraphQL(running.graphqlUrl, READ, { id }, FRESH)).body;
}

function qualifications(...list: Record<string, unknown>[]) {
  return { data: { customer: { qualifications: list } } };
}

it('shows a seeded review IN_REVIEW, then APPROVED once the review period has passed', async () => {
  const id = SAMPLE_CUSTOMER_IDS.educationInReview;
  now = 119_999;
  const before = await read(id);
  now = 120_000;
  const after = await read(id);

  expect(before).toEqual(
    qualifications({ qualification: 'EDUCATION', vettingStatus: 'IN_REVIEW', vettingReason: null }),
  );
  expect(after).toEqual(
    qualifications({ qualification: 'EDUCATION', vettingStatus: 'APPROVED', vettingReason: null }),
  );
  expect(running.simulator.stats.reads).toBe(2);
});

it('shows the seeded customer meant to be denied DENIED with its reason', async () => {
  const id = SAMPLE_CUSTOMER_IDS.wrapperAndOffsetDate;
  const before = await read(id);
  now = 120_000;
  const after = await read(id);

  expect(before).toEqual(
    qualifications({ qualification: 'EDUCATION', vettingStatus: 'IN_REVIEW', vettingReason: null }),
  );
  expect(after).toEqual(
    qualifications({
      qualification: 'EDUCATION',
      vettingStatus: 'DENIED',
      vettingReason: 'Not an Education Customer',
    }),
  );
});

it('decides a qualification added through the gateway the review period after it was added', async () => {
  const id = SAMPLE_CUSTOMER_IDS.noQualifications;
  now = 100_000;
  const added = await postGraphQL(
    running.graphqlUrl,
    ADD,
    { input: { customerId: id, qualification: 'EDUCATION', educationSegment: 'K12' } },
    { authorization: 'Bearer e2e-token' },
  );
  // Past the seed's period, not yet past the new review's.
  now = 219_999;
  const before = await read(id);
  now = 220_000;
  const after = await read(id);

  expect(added.body).toEqual({
    data: {
      addCustomerQualification: {
        qualification: { qualification: 'EDUCATION', vettingStatus: 'IN_REVIEW' },
        errors: [],
      },
    },
  });
  expect(before).toEqual(
    qualifications({ qualification: 'EDUCATION', vettingStatus: 'IN_REVIEW', vettingReason: null }),
  );
  expect(after).toEqual(
    qualifications({ qualification: 'EDUCATION', vettingStatus: 'APPROVED', vettingReason: null }),
  );
});
