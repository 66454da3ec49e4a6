import { describe, expect, it } from 'vitest';
import { createContextFactory } from '../../src/graphql/context.js';
import {
  loadCustomer,
  profileOf,
  qualificationsOf,
} from '../../src/graphql/resolvers/load-customer.js';
import { silentLogger } from '../../src/observability/logger.js';
import { fakeApi } from '../helpers/fake-api.js';

const A = '10000000-0000-4000-8000-00000000000a';
const EDUCATION = {
  qualification: 'Education',
  vettingStatus: 'Approved',
  vettingReason: null,
  vettingCreatedDate: null,
};
const PROFILE = { id: A, companyName: 'Contoso', domain: null, relationshipToPartner: null };

async function context(known = true) {
  const calls: string[] = [];
  const api = fakeApi({
    getCustomerQualifications(id) {
      calls.push(`qualifications ${id}`);
      return Promise.resolve(known ? [EDUCATION] : null);
    },
    getCustomer(id) {
      calls.push(`profile ${id}`);
      return Promise.resolve(known ? PROFILE : null);
    },
  });
  const create = createContextFactory({
    api,
    logger: silentLogger,
    maxCustomerIds: 100,
    operationTimeoutMs: 1000,
  });
  return { context: await create({ headers: { authorization: 'Bearer t' } }), calls };
}

describe('loadCustomer', () => {
  it('does the reads asked for, together, and keeps what they answered', async () => {
    const { context: ctx, calls } = await context();

    const customer = await loadCustomer(ctx, A.toUpperCase(), {
      profile: true,
      qualifications: true,
    });

    expect(customer).toEqual({ id: A, profile: PROFILE, qualifications: [EDUCATION] });
    expect(calls.sort()).toEqual([`profile ${A}`, `qualifications ${A}`]);
    expect(ctx.stats).toMatchObject({ loads: 2, uniqueLoads: 2 });
  });

  it('is null when a read it needs says the customer is unknown', async () => {
    const { context: ctx } = await context(false);

    expect(await loadCustomer(ctx, A, { profile: true, qualifications: false })).toBeNull();
  });

  it('leaves resolvers a read to do only when the entry point did not do it, once', async () => {
    const { context: ctx, calls } = await context();
    const bare = { id: A };

    expect(await qualificationsOf(ctx, bare)).toEqual([EDUCATION]);
    expect(await qualificationsOf(ctx, bare)).toEqual([EDUCATION]);
    expect(await profileOf(ctx, bare)).toEqual(PROFILE);
    expect(await qualificationsOf(ctx, { id: A, qualifications: [] })).toEqual([]);
    expect(calls).toEqual([`qualifications ${A}`, `profile ${A}`]);
  });
});
