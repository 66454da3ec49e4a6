import { GraphQLError } from 'graphql';
import { describe, expect, it } from 'vitest';
import { createContextFactory } from '../../src/graphql/context.js';
import { silentLogger } from '../../src/observability/logger.js';
import type { PartnerCenterApi } from '../../src/partner-center/client.js';
import { fakeApi } from '../helpers/fake-api.js';
import type { CallContext } from '../../src/partner-center/types.js';

function factory(fallbackAuthorization?: string) {
  const seen: CallContext[] = [];
  const api: PartnerCenterApi = fakeApi({
    getCustomerQualifications(_id, call) {
      seen.push(call);
      return Promise.resolve([]);
    },
  });
  const create = createContextFactory({
    api,
    logger: silentLogger,
    maxCustomerIds: 100,
    operationTimeoutMs: 1000,
    fallbackAuthorization,
  });
  return { create, seen };
}

describe('createContextFactory', () => {
  it('builds a context without Authorization that can call nothing upstream', async () => {
    const { create } = factory();

    const context = await create({ headers: { authorization: '  ' } });
    const thrown: unknown = await context.call.authorize().catch((error: unknown) => error);

    expect(context.hasPartnerCenterCredentials).toBe(false);
    expect(thrown).toBeInstanceOf(GraphQLError);
    expect((thrown as GraphQLError).extensions).toEqual({
      code: 'UNAUTHENTICATED',
      http: { status: 401 },
    });
  });

  it('uses the fallback token only when the caller sends none', async () => {
    const { create, seen } = factory('Bearer demo');

    await (await create({ headers: {} })).loaders.customer.load('a');
    await (await create({ headers: { authorization: 'Bearer mine' } })).loaders.customer.load('a');

    expect(await Promise.all(seen.map((call) => call.authorize()))).toEqual([
      'Bearer demo',
      'Bearer mine',
    ]);
  });

  it('gives each request its own loader, correlation id and credentials', async () => {
    const { create, seen } = factory();

    const first = await create({ headers: { authorization: 'Bearer one' } });
    const second = await create({ headers: { authorization: 'Bearer two' } });
    await first.loaders.customer.load('a');
    await second.loaders.customer.load('a');

    expect(first.loaders.customer).not.toBe(second.loaders.customer);
    expect(first.correlationId).not.toBe(second.correlationId);
    expect(await Promise.all(seen.map((call) => call.authorize()))).toEqual([
      'Bearer one',
      'Bearer two',
    ]);
  });
});
