import { expect, it } from 'vitest';
import { mockedGatewayPerTest } from '../helpers/mocked-gateway.js';
import { CUSTOMERS_IDS } from '../helpers/operations.js';

const A = '60000000-0000-4000-8000-00000000000a';
const B = '60000000-0000-4000-8000-00000000000b';
const C = '60000000-0000-4000-8000-00000000000c';
const D = '60000000-0000-4000-8000-00000000000d';

// One slot, and 10 calls a minute: 15-s windows of 2 calls, this process's own (no Redis).
const mocked = mockedGatewayPerTest({
  UPSTREAM_MAX_CONCURRENCY: '1',
  UPSTREAM_TIMEOUT_MS: '1000',
  UPSTREAM_MAX_CALLS_PER_MINUTE: '10',
  UPSTREAM_RETRIES: '0',
});

const qualificationsOf = (id: string) => `/v1/customers/${id}/qualifications`;

it('gives the budget call of a call shed before it was sent to the next caller', async () => {
  // A holds the only slot for 800 ms; B has its call of the budget, then is shed in the queue.
  mocked.upstream.reply(A, 200, [], { delayMs: 800 });
  const first = await mocked.gateway.execute(CUSTOMERS_IDS, { ids: [A, B] });
  expect(first.body).toMatchObject({
    data: { customers: [{ id: A }, null] },
    errors: [{ path: ['customers', 1], extensions: { code: 'OVERLOADED' } }],
  });

  // Another caller, another customer, in the same window: B's call was never sent, so C has it.
  mocked.upstream.reply(C, 200, []);
  const next = await mocked.gateway.execute(CUSTOMERS_IDS, { ids: [C] });
  expect(next).toEqual({ status: undefined, body: { data: { customers: [{ id: C }] } } });

  // Exactly one call came back: the window's two calls are spent now.
  const over = await mocked.gateway.execute(CUSTOMERS_IDS, { ids: [D] });
  expect(over.body).toMatchObject({
    data: { customers: [null] },
    errors: [{ extensions: { code: 'RATE_LIMITED' } }],
  });
  expect(mocked.upstream.calls.map((call) => call.path)).toEqual([
    qualificationsOf(A),
    qualificationsOf(C),
  ]);
});
