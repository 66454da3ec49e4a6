import { GraphQLError } from 'graphql';
import { describe, expect, it } from 'vitest';
import { createLoaders } from '../../src/graphql/loaders.js';
import type { PartnerCenterApi } from '../../src/partner-center/client.js';
import { fakeApi } from '../helpers/fake-api.js';
import type { CallContext, QualificationRecord } from '../../src/partner-center/types.js';
import { UpstreamError } from '../../src/partner-center/upstream-error.js';

const CALL: CallContext = {
  authorize: () => Promise.resolve('Bearer t'),
  correlationId: '00000000-0000-4000-8000-000000000000',
  forwardedHeaders: {},
};

const education: QualificationRecord = {
  qualification: 'Education',
  vettingStatus: 'Approved',
  vettingReason: null,
  vettingCreatedDate: null,
};

/** A Partner Center client that records calls and answers from a table. */
function recordingApi(answers: Record<string, QualificationRecord[] | null | Error>) {
  const calls: string[] = [];
  const api: PartnerCenterApi = fakeApi({
    getCustomerQualifications(id, call) {
      calls.push(`${id} ${call.correlationId}`);
      const answer = answers[id];
      if (answer === undefined) return Promise.reject(new Error(`unexpected id ${id}`));
      return answer instanceof Error ? Promise.reject(answer) : Promise.resolve(answer);
    },
  });
  return { api, calls };
}

describe('createLoaders', () => {
  it('calls upstream once per unique key and answers every key in order', async () => {
    const { api, calls } = recordingApi({ a: [education], b: [] });
    const { customer } = createLoaders(api, CALL);

    const results = await Promise.all(['b', 'a', 'b', 'a'].map((id) => customer.load(id)));

    expect(results).toEqual([
      { id: 'b', qualifications: [] },
      { id: 'a', qualifications: [education] },
      { id: 'b', qualifications: [] },
      { id: 'a', qualifications: [education] },
    ]);
    expect(calls.sort()).toEqual([`a ${CALL.correlationId}`, `b ${CALL.correlationId}`]);
  });

  it('keeps failures per key, mapped to the error table, and null for unknown customers', async () => {
    const { api } = recordingApi({
      ok: [],
      gone: null,
      throttled: new UpstreamError('status', 'status 429', { status: 429, retryAfterSeconds: 3 }),
    });
    const loaders = createLoaders(api, CALL);

    const results = await loaders.customer.loadMany(['ok', 'gone', 'throttled']);

    expect(results[0]).toEqual({ id: 'ok', qualifications: [] });
    expect(results[1]).toBeNull();
    // An unknown customer's answer was read too, and says when.
    expect(loaders.qualificationsReads.get('gone')).toEqual({
      readAt: expect.any(Date) as Date,
      stale: false,
    });
    expect(loaders.qualificationsReads.has('throttled')).toBe(false);
    expect(results[2]).toBeInstanceOf(GraphQLError);
    expect((results[2] as GraphQLError).extensions).toEqual({
      code: 'RATE_LIMITED',
      upstreamStatus: 429,
      retryAfter: 3,
      customerId: 'throttled',
    });
  });

  it('shares nothing between two operations', async () => {
    const { api, calls } = recordingApi({ a: [] });

    await createLoaders(api, CALL).customer.load('a');
    await createLoaders(api, { ...CALL, correlationId: 'second' }).customer.load('a');

    expect(calls).toEqual([`a ${CALL.correlationId}`, 'a second']);
  });
});

describe('the profile loader', () => {
  it('reads each unique customer once, null when unknown, failures per key', async () => {
    const calls: string[] = [];
    const profile = (id: string) => ({
      id,
      companyName: id,
      domain: null,
      relationshipToPartner: null,
    });
    const api = fakeApi({
      getCustomer(id) {
        calls.push(id);
        if (id === 'gone') return Promise.resolve(null);
        if (id === 'down')
          return Promise.reject(new UpstreamError('status', 'status 503', { status: 503 }));
        return Promise.resolve(profile(id));
      },
    });
    const loaders = createLoaders(api, CALL);

    const results = await loaders.profile.loadMany(['a', 'gone', 'a', 'down']);

    expect(results.slice(0, 3)).toEqual([profile('a'), null, profile('a')]);
    expect((results[3] as GraphQLError).extensions).toEqual({
      code: 'UPSTREAM_UNAVAILABLE',
      upstreamStatus: 503,
      customerId: 'down',
    });
    expect(calls).toEqual(['a', 'gone', 'down']);
  });
});
