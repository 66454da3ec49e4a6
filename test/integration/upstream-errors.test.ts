import { describe, expect, it } from 'vitest';
import { CUSTOMERS_IDS } from '../helpers/operations.js';
import { mockedGatewayPerTest } from '../helpers/mocked-gateway.js';

const OK = '20000000-0000-4000-8000-000000000000';
const BAD = '20000000-0000-4000-8000-0000000000ff';

/** Runs one healthy and one failing customer; returns the failing entry's error. */
const mocked = mockedGatewayPerTest({ UPSTREAM_TIMEOUT_MS: '100', UPSTREAM_RETRIES: '0' });

async function failingEntry() {
  mocked.upstream.reply(OK, 200, []);
  const result = await mocked.gateway.execute(CUSTOMERS_IDS, { ids: [OK, BAD] });
  expect(result.body['data']).toEqual({ customers: [{ id: OK }, null] });
  const errors = result.body['errors'] as { path: unknown; extensions: unknown; message: string }[];
  expect(errors).toHaveLength(1);
  expect(errors[0]?.path).toEqual(['customers', 1]);
  return errors[0];
}

describe('upstream failures are per customer, mapped to the closed code table (no retries)', () => {
  it.each([
    [
      401,
      { code: 800002, description: 'expired' },
      { code: 'UNAUTHENTICATED', upstreamStatus: 401, upstreamCode: '800002' },
    ],
    [
      403,
      { code: 20002, description: 'No relationship between caller and account.' },
      { code: 'FORBIDDEN', upstreamStatus: 403, upstreamCode: '20002' },
    ],
    [
      400,
      { code: '900118', description: 'Invalid customer id' },
      { code: 'BAD_USER_INPUT', upstreamStatus: 400, upstreamCode: '900118' },
    ],
    [
      409,
      { code: '1', description: 'conflict' },
      { code: 'UPSTREAM_BAD_RESPONSE', upstreamStatus: 409, upstreamCode: '1' },
    ],
    [
      500,
      'An unexpected error has occurred.',
      { code: 'UPSTREAM_UNAVAILABLE', upstreamStatus: 500 },
    ],
    [
      503,
      { message: 'Service Unavailable' },
      { code: 'UPSTREAM_UNAVAILABLE', upstreamStatus: 503 },
    ],
    [504, { message: 'Gateway Timeout' }, { code: 'UPSTREAM_UNAVAILABLE', upstreamStatus: 504 }],
  ])('status %i', async (status, body, extensions) => {
    mocked.upstream.reply(BAD, status, body);

    const error = await failingEntry();

    // The failing customer is named, so a client of a list knows which one failed.
    expect(error?.extensions).toEqual({ ...extensions, customerId: BAD });
    expect(error?.message).not.toContain(
      typeof body === 'string' ? body : JSON.stringify(body).slice(2, 10),
    );
  });

  it('429 carries retryAfter in seconds from Retry-After', async () => {
    mocked.upstream.reply(
      BAD,
      429,
      { statusCode: 429, message: 'Rate limit is exceeded. Try again in 57 seconds.' },
      { headers: { 'retry-after': '57' } },
    );

    const error = await failingEntry();

    expect(error).toEqual({
      message: 'Partner Center is throttling requests; retry later.',
      locations: [{ line: 3, column: 5 }],
      path: ['customers', 1],
      extensions: { code: 'RATE_LIMITED', upstreamStatus: 429, retryAfter: 57, customerId: BAD },
    });
  });

  it('a body that is not JSON is UPSTREAM_BAD_RESPONSE', async () => {
    mocked.upstream.reply(BAD, 200, '[{"qualification": ');

    expect((await failingEntry())?.extensions).toEqual({
      code: 'UPSTREAM_BAD_RESPONSE',
      upstreamStatus: 200,
      customerId: BAD,
    });
  });

  it('JSON of the wrong shape is UPSTREAM_BAD_RESPONSE', async () => {
    mocked.upstream.reply(BAD, 200, { value: 'Education' });

    expect((await failingEntry())?.extensions).toEqual({
      code: 'UPSTREAM_BAD_RESPONSE',
      customerId: BAD,
    });
  });

  it('a body larger than any qualification answer (over 1 MiB) is UPSTREAM_BAD_RESPONSE', async () => {
    mocked.upstream.reply(
      BAD,
      200,
      `[${'{"qualification":"Education"},'.repeat(40_000)}{"qualification":"Education"}]`,
    );

    expect((await failingEntry())?.extensions).toEqual({
      code: 'UPSTREAM_BAD_RESPONSE',
      customerId: BAD,
    });
  });

  it('no answer within UPSTREAM_TIMEOUT_MS is UPSTREAM_TIMEOUT', async () => {
    mocked.upstream.reply(BAD, 200, [], { delayMs: 1000 });

    expect((await failingEntry())?.extensions).toEqual({
      code: 'UPSTREAM_TIMEOUT',
      customerId: BAD,
    });
  });

  it('a reset connection is UPSTREAM_UNAVAILABLE', async () => {
    mocked.upstream.failConnection(BAD);

    expect((await failingEntry())?.extensions).toEqual({
      code: 'UPSTREAM_UNAVAILABLE',
      customerId: BAD,
    });
  });

  it('logs the upstream description with the correlation id, but never the token', async () => {
    mocked.upstream.reply(BAD, 403, {
      code: 20002,
      description: 'No relationship between caller and account.',
    });

    await failingEntry();

    const failure = mocked.gateway.logs
      .entries()
      .find((entry) => entry['msg'] === 'partner center call failed');
    expect(failure).toMatchObject({
      level: 40,
      status: 403,
      upstreamCode: '20002',
      err: 'status 403: No relationship between caller and account.',
    });
    expect(failure?.['correlationId']).toEqual(expect.any(String));
    expect(mocked.gateway.logs.lines.join('\n')).not.toContain('test-user-token');
  });
});
