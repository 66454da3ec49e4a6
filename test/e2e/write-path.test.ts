import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { generatedCustomerId, SAMPLE_CUSTOMER_IDS } from '../../src/simulator/data.js';
import { postGraphQL, startGateway, type RunningGateway } from '../helpers/gateway.js';

const ADD = /* GraphQL */ `
  mutation Add($input: AddCustomerQualificationInput!) {
    addCustomerQualification(input: $input) {
      qualification {
        qualification
        vettingStatus
      }
      customer {
        qualifications {
          qualification
          vettingStatus
        }
      }
      errors {
        code
        upstreamCode
      }
    }
  }
`;
const NONE = SAMPLE_CUSTOMER_IDS.noQualifications;
const KEY = '3f0f7c55-5b0e-4a8e-8a3e-6c2b9a1d4e77';

let running: RunningGateway;
beforeAll(async () => {
  running = await startGateway();
});
afterAll(() => running.close());
beforeEach(() => {
  running.simulator.reset();
});

async function add(input: Record<string, unknown>, authorization = 'Bearer user-token') {
  const response = await postGraphQL(running.graphqlUrl, ADD, { input }, { authorization });
  return response.body;
}

describe('adding each settable kind against the simulator', () => {
  it('lets no cache keep the answer to a write, though it reads the customer again', async () => {
    const response = await postGraphQL(
      running.graphqlUrl,
      ADD,
      { input: { customerId: NONE, qualification: 'EDUCATION', educationSegment: 'K12' } },
      { authorization: 'Bearer user-token' },
    );

    expect(response.body['errors']).toBeUndefined();
    expect(response.headers.get('cache-control')).toBe('no-store');
  });

  it('adds Education: IN_REVIEW at once, and a later read shows it', async () => {
    const body = await add({
      customerId: NONE,
      qualification: 'EDUCATION',
      educationSegment: 'K12',
      website: 'school.example',
    });

    expect(body).toEqual({
      data: {
        addCustomerQualification: {
          qualification: { qualification: 'EDUCATION', vettingStatus: 'IN_REVIEW' },
          customer: {
            qualifications: [{ qualification: 'EDUCATION', vettingStatus: 'IN_REVIEW' }],
          },
          errors: [],
        },
      },
    });
    const read = await postGraphQL(
      running.graphqlUrl,
      `{ customer(id: "${NONE}") { qualifications { qualification vettingStatus } } }`,
    );
    expect(read.body).toEqual({
      data: {
        customer: { qualifications: [{ qualification: 'EDUCATION', vettingStatus: 'IN_REVIEW' }] },
      },
    });
    expect(running.simulator.requests.find((r) => r.method === 'POST')?.body).toBe(
      JSON.stringify({
        qualification: 'Education',
        educationSegment: 'K12',
        website: 'school.example',
      }),
    );
  });

  it('adds StateOwnedEntity next to Education, without vetting', async () => {
    const body = await add({
      customerId: SAMPLE_CUSTOMER_IDS.educationApproved,
      qualification: 'STATE_OWNED_ENTITY',
    });

    expect(body).toEqual({
      data: {
        addCustomerQualification: {
          qualification: { qualification: 'STATE_OWNED_ENTITY', vettingStatus: null },
          customer: {
            qualifications: [
              { qualification: 'EDUCATION', vettingStatus: 'APPROVED' },
              { qualification: 'STATE_OWNED_ENTITY', vettingStatus: null },
            ],
          },
          errors: [],
        },
      },
    });
  });

  it('adds GovernmentCommunityCloud with a validation code, which then has one create less', async () => {
    const fresh = generatedCustomerId(6); // generated customers cycle shapes; the 7th has none

    const body = await add({
      customerId: fresh,
      qualification: 'GOVERNMENT_COMMUNITY_CLOUD',
      validationCode: '123456',
    });
    const codes = await postGraphQL(
      running.graphqlUrl,
      '{ gccValidationCodes { validationCode remainingCreates isUsable } }',
    );

    expect(body['data']).toEqual({
      addCustomerQualification: {
        qualification: { qualification: 'GOVERNMENT_COMMUNITY_CLOUD', vettingStatus: 'IN_REVIEW' },
        customer: {
          qualifications: [
            { qualification: 'GOVERNMENT_COMMUNITY_CLOUD', vettingStatus: 'IN_REVIEW' },
          ],
        },
        errors: [],
      },
    });
    expect(codes.body).toEqual({
      data: {
        gccValidationCodes: [
          { validationCode: '123456', remainingCreates: 4, isUsable: true },
          { validationCode: '654321', remainingCreates: 0, isUsable: false },
        ],
      },
    });
  });
});

describe('expected refusals are payload errors', () => {
  it.each([
    [
      'a used-up validation code',
      { customerId: NONE, qualification: 'GOVERNMENT_COMMUNITY_CLOUD', validationCode: '654321' },
      'Bearer user-token',
      { code: 'VALIDATION_CODE_REJECTED', upstreamCode: '900006' },
    ],
    [
      'a customer already qualified',
      {
        customerId: SAMPLE_CUSTOMER_IDS.educationApproved,
        qualification: 'EDUCATION',
        educationSegment: 'K12',
      },
      'Bearer user-token',
      { code: 'ALREADY_QUALIFIED', upstreamCode: '900003' },
    ],
    [
      'an app-only token',
      { customerId: NONE, qualification: 'STATE_OWNED_ENTITY' },
      'Bearer app-only-token',
      { code: 'NOT_ALLOWED', upstreamCode: '900329' },
    ],
  ])('%s', async (_label, input, authorization, error) => {
    const body = await add(input, authorization);

    expect(body['errors']).toBeUndefined();
    expect(
      (body['data'] as { addCustomerQualification: { qualification: unknown; errors: unknown } })
        .addCustomerQualification,
    ).toMatchObject({
      qualification: null,
      errors: [error],
    });
  });
});

describe('idempotency', () => {
  it('applies a write sent twice with the same idempotency key once', async () => {
    const input = {
      customerId: NONE,
      qualification: 'EDUCATION',
      educationSegment: 'HIGHER_EDUCATION',
      idempotencyKey: KEY,
    };

    const first = await add(input);
    const second = await add(input);

    expect(second).toEqual(first);
    const posts = running.simulator.requests.filter((r) => r.method === 'POST');
    expect(posts.map((r) => r.headers['ms-requestid'])).toEqual([KEY, KEY]);
    const read = await postGraphQL(
      running.graphqlUrl,
      `{ customer(id: "${NONE}") { qualifications { qualification } } }`,
    );
    expect(read.body).toEqual({
      data: { customer: { qualifications: [{ qualification: 'EDUCATION' }] } },
    });
  });

  it('never sends wrong input upstream', async () => {
    const body = await add({ customerId: NONE, qualification: 'EDUCATION' });

    expect((body['errors'] as { extensions: unknown }[])[0]?.extensions).toEqual({
      code: 'BAD_USER_INPUT',
      argumentName: 'input',
      fields: ['educationSegment'],
    });
    expect(running.simulator.stats.writes).toBe(0);
  });
});
