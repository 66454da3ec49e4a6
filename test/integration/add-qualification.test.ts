import { beforeEach, describe, expect, it } from 'vitest';
import { TOKEN } from '../helpers/apollo.js';
import { replyToCreate, type SeenWrite } from '../helpers/mock-upstream.js';
import { mockedGatewayPerTest } from '../helpers/mocked-gateway.js';

const A = '60000000-0000-4000-8000-00000000000a';
const KEY = '0d6a0c1e-2f8e-4f7e-9d3a-5b1c2d3e4f50';
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const ADD = /* GraphQL */ `
  mutation Add($input: AddCustomerQualificationInput!) {
    addCustomerQualification(input: $input) {
      qualification {
        qualification
        vettingStatus
        vettingCreatedDate
      }
      customer {
        id
        qualifications {
          qualification
          vettingStatus
        }
      }
      errors {
        code
        message
        upstreamCode
      }
    }
  }
`;
const CREATED = {
  qualification: 'Education',
  vettingStatus: 'InReview',
  vettingCreateDate: '2026-11-24T10:00:00Z',
};
const EDUCATION = {
  customerId: A,
  qualification: 'EDUCATION',
  educationSegment: 'HIGHER_EDUCATION',
  website: 'contoso.edu',
};

let writes: SeenWrite[];

const mocked = mockedGatewayPerTest({ UPSTREAM_TIMEOUT_MS: '100', UPSTREAM_RETRY_BASE_MS: '5' });

beforeEach(() => {
  writes = [];
});

function payload(body: Record<string, unknown>) {
  return (body['data'] as { addCustomerQualification: Record<string, unknown> } | null)
    ?.addCustomerQualification;
}

describe('addCustomerQualification', () => {
  it.each([
    ['201 with the created object', 201, CREATED],
    ['200 with the collection', 200, [{ qualification: 'StateOwnedEntity' }, CREATED]],
    ['200 with the wrapper', 200, { qualifications: [CREATED] }],
  ])('adds Education and reads the customer back (%s)', async (_label, status, body) => {
    replyToCreate(mocked.upstream, A, status, body, writes);
    mocked.upstream.reply(A, 200, [CREATED]);

    const result = await mocked.gateway.execute(ADD, { input: EDUCATION });

    expect(result.body).toEqual({
      data: {
        addCustomerQualification: {
          qualification: {
            qualification: 'EDUCATION',
            vettingStatus: 'IN_REVIEW',
            vettingCreatedDate: '2026-11-24T10:00:00.000Z',
          },
          customer: {
            id: A,
            qualifications: [{ qualification: 'EDUCATION', vettingStatus: 'IN_REVIEW' }],
          },
          errors: [],
        },
      },
    });
    expect(writes).toHaveLength(1);
    expect(writes[0]?.body).toEqual({
      qualification: 'Education',
      educationSegment: 'HigherEducation',
      website: 'contoso.edu',
    });
    expect(writes[0]?.headers).toMatchObject({
      authorization: TOKEN,
      'content-type': 'application/json',
      accept: 'application/json',
    });
    expect(writes[0]?.headers['ms-requestid']).toMatch(GUID);
  });

  it('accepts a create answered with an empty body', async () => {
    replyToCreate(mocked.upstream, A, 201, undefined, writes);
    mocked.upstream.reply(A, 200, [CREATED]);

    const result = await mocked.gateway.execute(ADD, { input: EDUCATION });

    expect(payload(result.body)).toMatchObject({ qualification: null, errors: [] });
  });

  it('sends GCC with its validation code in the body, not as ?code=', async () => {
    replyToCreate(
      mocked.upstream,
      A,
      201,
      { qualification: 'GovernmentCommunityCloud', vettingStatus: 'InReview' },
      writes,
    );
    mocked.upstream.reply(A, 200, []);

    await mocked.gateway.execute(ADD, {
      input: {
        customerId: A,
        qualification: 'GOVERNMENT_COMMUNITY_CLOUD',
        validationCode: '123456',
      },
    });

    expect(writes[0]?.body).toEqual({
      qualification: 'GovernmentCommunityCloud',
      validationCode: '123456',
    });
  });

  it('retries a failed write with the same MS-RequestId, the client idempotency key', async () => {
    replyToCreate(mocked.upstream, A, 503, { message: 'Service Unavailable' }, writes);
    replyToCreate(mocked.upstream, A, 201, CREATED, writes);
    mocked.upstream.reply(A, 200, [CREATED]);

    const result = await mocked.gateway.execute(ADD, {
      input: { ...EDUCATION, idempotencyKey: KEY },
    });

    expect(payload(result.body)).toMatchObject({ errors: [] });
    expect(writes.map((write) => write.headers['ms-requestid'])).toEqual([KEY, KEY]);
  });

  it('retries a timed-out write (its MS-RequestId makes that safe)', async () => {
    // The first answer comes too late to be recorded; both interceptors must still be used.
    replyToCreate(mocked.upstream, A, 201, CREATED, writes, { delayMs: 1000 });
    replyToCreate(mocked.upstream, A, 201, CREATED, writes);
    mocked.upstream.reply(A, 200, [CREATED]);

    const result = await mocked.gateway.execute(ADD, {
      input: { ...EDUCATION, idempotencyKey: KEY },
    });

    expect(payload(result.body)).toMatchObject({ errors: [] });
    expect(writes.map((write) => write.headers['ms-requestid'])).toEqual([KEY]);
  });

  it('uses a new MS-RequestId for each logical write without a key', async () => {
    replyToCreate(mocked.upstream, A, 201, CREATED, writes, { times: 2 });
    mocked.upstream.reply(A, 200, [CREATED], { times: 2 });

    await mocked.gateway.execute(ADD, { input: EDUCATION });
    await mocked.gateway.execute(ADD, { input: EDUCATION });

    const [first, second] = writes.map((write) => write.headers['ms-requestid']);
    expect(first).not.toBe(second);
  });

  it.each([
    [409, { code: 1, description: 'exists' }, 'EDUCATION', 'ALREADY_QUALIFIED'],
    [403, { code: 900329, description: 'App only' }, 'EDUCATION', 'NOT_ALLOWED'],
    [404, { code: 60003, description: 'Tenant not found.' }, 'EDUCATION', 'CUSTOMER_NOT_FOUND'],
    [
      400,
      { code: 900006, description: 'used up' },
      'GOVERNMENT_COMMUNITY_CLOUD',
      'VALIDATION_CODE_REJECTED',
    ],
    [400, { code: 900002, description: 'bad' }, 'STATE_OWNED_ENTITY', 'REJECTED'],
  ])('reports a %i refusal as a typed payload error', async (status, body, qualification, code) => {
    replyToCreate(mocked.upstream, A, status, body, writes);
    mocked.upstream.reply(A, 200, []);
    const input = {
      customerId: A,
      qualification,
      ...(qualification === 'EDUCATION' ? { educationSegment: 'K12' } : {}),
      ...(qualification === 'GOVERNMENT_COMMUNITY_CLOUD' ? { validationCode: '654321' } : {}),
    };

    const result = await mocked.gateway.execute(ADD, { input });

    expect(payload(result.body)).toMatchObject({
      qualification: null,
      customer: { id: A, qualifications: [] },
      errors: [{ code, message: expect.any(String) as string, upstreamCode: String(body.code) }],
    });
    expect(result.body['errors']).toBeUndefined();
  });

  it('turns a Partner Center failure into a GraphQL error from the table', async () => {
    replyToCreate(mocked.upstream, A, 401, { code: 800002, description: 'expired' }, writes);

    const result = await mocked.gateway.execute(ADD, { input: EDUCATION });

    expect(result.body).toEqual({
      data: null,
      errors: [
        {
          message: 'Partner Center did not accept the credentials.',
          locations: [{ line: 3, column: 5 }],
          path: ['addCustomerQualification'],
          extensions: {
            code: 'UNAUTHENTICATED',
            upstreamStatus: 401,
            upstreamCode: '800002',
            customerId: A,
          },
        },
      ],
    });
  });

  it.each([
    [
      { customerId: A, qualification: 'EDUCATION' },
      ['educationSegment'],
      'educationSegment is required for EDUCATION.',
    ],
    [
      {
        customerId: A,
        qualification: 'STATE_OWNED_ENTITY',
        educationSegment: 'K12',
        validationCode: '1',
      },
      ['educationSegment', 'validationCode'],
      'educationSegment applies to EDUCATION only. validationCode applies to GOVERNMENT_COMMUNITY_CLOUD only.',
    ],
    [
      { customerId: A, qualification: 'GOVERNMENT_COMMUNITY_CLOUD' },
      ['validationCode'],
      'validationCode is required for GOVERNMENT_COMMUNITY_CLOUD.',
    ],
    [
      { customerId: A, qualification: 'GOVERNMENT_COMMUNITY_CLOUD', validationCode: '1?code=2' },
      ['validationCode'],
      'validationCode must be 1 to 64 letters, digits or dashes.',
    ],
    [
      { customerId: '../all', qualification: 'STATE_OWNED_ENTITY', idempotencyKey: 'retry-1' },
      ['customerId', 'idempotencyKey'],
      'customerId must be a GUID. idempotencyKey must be a GUID (Partner Center uses it as MS-RequestId).',
    ],
    [
      {
        customerId: A,
        qualification: 'EDUCATION',
        educationSegment: 'K12',
        website: 'contoso edu',
      },
      ['website'],
      'website must be a host or URL without spaces, at most 2048 characters.',
    ],
  ])('refuses wrong input before any upstream call: %j', async (input, fields, message) => {
    const result = await mocked.gateway.execute(ADD, { input });

    expect(result.body).toEqual({
      data: null,
      errors: [
        {
          message,
          locations: [{ line: 3, column: 5 }],
          path: ['addCustomerQualification'],
          extensions: { code: 'BAD_USER_INPUT', argumentName: 'input', fields },
        },
      ],
    });
    expect(writes).toHaveLength(0);
    expect(mocked.upstream.calls).toHaveLength(0);
  });
});

describe('gccValidationCodes', () => {
  it('lists the codes, usable while creates remain, reading Partner Center once', async () => {
    mocked.upstream.agent
      .get('https://partner-center.test')
      .intercept({ path: '/v1/customers/all/validations', method: 'GET' })
      .reply(200, [
        {
          partnerId: 'p',
          organizationName: 'Contoso',
          validationId: '123456',
          maxCreates: 5,
          remainingCreates: 2,
          eTag: '1',
        },
        {
          partnerId: 'p',
          organizationName: 'Fabrikam',
          validationId: 654321,
          maxCreates: 1,
          remainingCreates: 0,
          eTag: '2',
        },
      ]);

    const result = await mocked.gateway.execute(/* GraphQL */ `
      {
        gccValidationCodes {
          validationCode
          organizationName
          maxCreates
          remainingCreates
          isUsable
        }
        again: gccValidationCodes {
          validationCode
        }
      }
    `);

    expect(result.body).toEqual({
      data: {
        gccValidationCodes: [
          {
            validationCode: '123456',
            organizationName: 'Contoso',
            maxCreates: 5,
            remainingCreates: 2,
            isUsable: true,
          },
          {
            validationCode: '654321',
            organizationName: 'Fabrikam',
            maxCreates: 1,
            remainingCreates: 0,
            isUsable: false,
          },
        ],
        again: [{ validationCode: '123456' }, { validationCode: '654321' }],
      },
    });
  });
});
