import { afterEach, describe, expect, it } from 'vitest';
import {
  FAULT_CUSTOMER_IDS as FAULT,
  generatedCustomerId,
  SAMPLE_CUSTOMER_IDS,
} from '../../src/simulator/data.js';
import { postGraphQL, startGateway, type RunningGateway } from '../helpers/gateway.js';
import { CUSTOMER_ID, CUSTOMERS_IDS } from '../helpers/operations.js';

/**
 * What the circuit breaker and the per-customer holds take for evidence, over real HTTP against
 * the simulator: a call that got no answer of Partner Center's (its client left, its operation's
 * deadline cut it short) is none, so healthy calls right after it are sent and answered.
 */

const HALF_OPEN_MS = 1_000;

let running: RunningGateway | undefined;
afterEach(async () => {
  await running?.close();
  running = undefined;
});

async function start(env: Record<string, string>): Promise<RunningGateway> {
  running = await startGateway({
    env: { UPSTREAM_RETRIES: '0', CACHE_ENABLED: 'false', ...env },
  });
  return running;
}

async function read(gateway: RunningGateway, id: string, signal?: AbortSignal) {
  const response = await postGraphQL(
    gateway.graphqlUrl,
    CUSTOMER_ID,
    { id },
    { authorization: 'Bearer e2e-token' },
    signal,
  );
  return response.body;
}

const answered = (id: string) => ({ data: { customer: { id } } });

function codeOf(body: Record<string, unknown>): unknown {
  const errors = body['errors'] as { extensions: Record<string, unknown> }[] | undefined;
  return errors?.[0]?.extensions['code'];
}

async function waitFor(condition: () => boolean): Promise<void> {
  for (let n = 0; n < 300 && !condition(); n += 1) {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  expect(condition()).toBe(true);
}

/** Sends a read of a customer Partner Center never answers, and hangs up after 100 ms. */
async function hangUpOn(gateway: RunningGateway, id: string): Promise<void> {
  const client = new AbortController();
  const before = gateway.simulator.stats.reads;
  const request = read(gateway, id, client.signal).catch(() => undefined);
  await waitFor(() => gateway.simulator.stats.reads === before + 1);
  await new Promise((resolve) => setTimeout(resolve, 100));
  client.abort();
  await request;
  // The gateway cancelled its call: the simulator's connection is gone.
  await waitFor(() => gateway.simulator.stats.inFlight === 0);
}

describe('a half-open probe its client cancels', () => {
  it('is no evidence: the next call probes at once and a healthy Partner Center answers', async () => {
    const gateway = await start({
      BREAKER_FAILURE_THRESHOLD: '3',
      BREAKER_HALF_OPEN_MS: String(HALF_OPEN_MS),
    });
    gateway.simulator.setFault('*', 'unavailable');
    for (const n of [1, 2, 3]) await read(gateway, generatedCustomerId(n));
    gateway.simulator.setFault('*', undefined);
    expect(codeOf(await read(gateway, generatedCustomerId(4)))).toBe('UPSTREAM_UNAVAILABLE');
    expect(gateway.simulator.stats.reads).toBe(3);
    await new Promise((resolve) => setTimeout(resolve, HALF_OPEN_MS + 50));

    // The probe: a customer that hangs, whose client leaves after 100 ms.
    await hangUpOn(gateway, FAULT.hang);
    const next = await read(gateway, SAMPLE_CUSTOMER_IDS.educationApproved);
    const after = await read(gateway, generatedCustomerId(5));

    // Well inside another BREAKER_HALF_OPEN_MS: before, both were UPSTREAM_UNAVAILABLE, unsent.
    expect(next).toEqual(answered(SAMPLE_CUSTOMER_IDS.educationApproved));
    expect(after).toEqual(answered(generatedCustomerId(5)));
    expect(gateway.simulator.stats.reads).toBe(6);
  });
});

describe('a held customer’s probe its client cancels', () => {
  it('does not keep the customer held: its next call is sent and answered', async () => {
    const gateway = await start({
      BREAKER_FAILURE_THRESHOLD: '3',
      BREAKER_HALF_OPEN_MS: String(HALF_OPEN_MS),
    });
    const flaky = generatedCustomerId(7);
    gateway.simulator.setFault(flaky, 'unavailable', 3);
    for (let n = 0; n < 3; n += 1) await read(gateway, flaky);
    expect(codeOf(await read(gateway, flaky))).toBe('UPSTREAM_UNAVAILABLE');
    expect(gateway.simulator.stats.reads).toBe(3);
    await new Promise((resolve) => setTimeout(resolve, HALF_OPEN_MS + 50));

    gateway.simulator.setFault(flaky, 'hang', 1);
    await hangUpOn(gateway, flaky);
    const next = await read(gateway, flaky);

    expect(next).toEqual(answered(flaky));
    expect(gateway.simulator.stats.reads).toBe(5);
  });
});

describe('an operation deadline that cuts calls short', () => {
  it('is no evidence of an outage: the next operation of other customers is answered', async () => {
    const gateway = await start({
      BREAKER_FAILURE_THRESHOLD: '3',
      OPERATION_TIMEOUT_MS: '300',
      UPSTREAM_TIMEOUT_MS: '10000',
    });
    // Partner Center is slow, not down: every answer takes a second.
    gateway.simulator.setLatency(1_000);
    const slow = [1, 2, 3, 4, 5].map((n) => generatedCustomerId(10 + n));
    const cut = await postGraphQL(gateway.graphqlUrl, CUSTOMERS_IDS, { ids: slow });
    const errors = cut.body['errors'] as { extensions: Record<string, unknown> }[];
    expect(errors.map((error) => error.extensions['code'])).toEqual(
      slow.map(() => 'UPSTREAM_TIMEOUT'),
    );
    await waitFor(() => gateway.simulator.stats.inFlight === 0);

    gateway.simulator.setLatency(0);
    const healthy = [1, 2, 3].map((n) => generatedCustomerId(20 + n));
    const next = await postGraphQL(gateway.graphqlUrl, CUSTOMERS_IDS, { ids: healthy });

    // Before, five distinct "timeouts" opened the breaker: UPSTREAM_UNAVAILABLE, unsent.
    expect(next.body).toEqual({ data: { customers: healthy.map((id) => ({ id })) } });
    // Requests as they arrived (the slow ones are counted as read only once their second is up),
    // in whatever order the parallel calls of each operation got there.
    const arrived = gateway.simulator.requests.map((request) => request.path);
    const pathsOf = (ids: string[]) => ids.map((id) => `/v1/customers/${id}/qualifications`).sort();
    expect([arrived.slice(0, 5).sort(), arrived.slice(5).sort()]).toEqual([
      pathsOf(slow),
      pathsOf(healthy),
    ]);
  });

  it('still opens the breaker on calls Partner Center had for their whole attempt timeout', async () => {
    const gateway = await start({
      BREAKER_FAILURE_THRESHOLD: '3',
      OPERATION_TIMEOUT_MS: '5000',
      UPSTREAM_TIMEOUT_MS: '200',
    });
    gateway.simulator.setFault('*', 'hang');
    const hung = [1, 2, 3].map((n) => generatedCustomerId(30 + n));
    await postGraphQL(gateway.graphqlUrl, CUSTOMERS_IDS, { ids: hung });
    gateway.simulator.setFault('*', undefined);
    await waitFor(() => gateway.simulator.stats.inFlight === 0);

    const next = await read(gateway, generatedCustomerId(40));

    expect(codeOf(next)).toBe('UPSTREAM_UNAVAILABLE');
    expect(gateway.simulator.stats.reads).toBe(3);
  });
});
